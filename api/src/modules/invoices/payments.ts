import type { Invoice, Tx } from '@qihub/db';
import { membershipIn, requireActor, type Actor } from '../../lib/actor.ts';
import { recordAudit } from '../../lib/audit.ts';
import { conflict, forbidden, notFound, unprocessable, validationFailed } from '../../lib/errors.ts';
import { findReplay, hashRequest, saveAnswer, type IdempotentRequest } from '../../lib/idempotency.ts';
import { localDate } from '../../lib/time.ts';
import { post } from '../ledger/index.ts';
import { amountDue, vatOf } from './amounts.ts';
import { canSeeInvoice, isIssuer } from './access.ts';
import { recordPayment } from './billing.ts';
import { rebillVoided, type AfterVoid } from './rebill.ts';
import type { InvoiceDeps } from './queries.ts';
import * as repo from './repository.ts';
import { invoiceViews } from './view.ts';

export interface ManualPaymentBody {
  /** Fen received. */
  amount: number;
  receivedOn: string;
  channel: 'bank_transfer' | 'manual';
  note?: string;
}

type InvoiceView = Awaited<ReturnType<typeof invoiceViews>>[number];

/** The invoice under its row lock, with the caller checked against it: 404 unless it may see it. */
async function lockedFor(tx: Tx, a: Actor, id: string): Promise<Invoice> {
  const inv = await repo.findInvoice(tx, id, true);
  if (!inv || !canSeeInvoice(a, inv)) throw notFound('invoice');
  return inv;
}

/**
 * A payment the lab records by hand (a transfer it saw on its account, cash at the counter): its
 * managers and staff, through the same `recordPayment` as a matched bank line. A void or already
 * paid invoice takes no payment (409). With an `Idempotency-Key`, a repeat gets the first answer.
 */
export async function recordManualPayment(
  deps: InvoiceDeps,
  actor: Actor | null,
  invoiceId: string,
  body: ManualPaymentBody,
  idempotencyKey?: string,
  requestId?: string,
): Promise<{ replayed: boolean; body: InvoiceView }> {
  const a = requireActor(actor);
  const idem: IdempotentRequest | undefined =
    idempotencyKey && a.userId
      ? { userId: a.userId, key: `invoice-payment:${idempotencyKey}`, requestHash: hashRequest({ invoiceId, body }) }
      : undefined;
  if (idem) {
    const replay = await findReplay<InvoiceView>(deps.db, idem);
    if (replay) return replay;
  }
  const now = deps.clock();
  // Money received cannot have arrived after tomorrow (a day's slack for time zones).
  if (body.receivedOn > localDate(new Date(now.getTime() + 86_400_000))) {
    throw unprocessable('invalid_value', 'The payment cannot have been received in the future.', [
      { path: '/receivedOn', code: 'invalid_value', message: '收款日期不能晚于今天' },
    ]);
  }
  try {
    return await deps.db.transaction(async (tx) => {
      const inv = await lockedFor(tx, a, invoiceId);
      if (!isIssuer(a, inv.labId)) throw forbidden("Only the issuer's managers and staff record payments.");
      if (inv.kind !== 'invoice' || inv.status === 'void' || inv.status === 'paid' || amountDue(inv) === 0) {
        throw conflict('invoice_not_open', `Invoice ${inv.number} is ${inv.status}: it takes no payment.`);
      }
      const paid = await recordPayment(tx, inv, {
        amount: body.amount,
        channel: body.channel,
        receivedOn: body.receivedOn,
        at: now,
        recordedBy: a.userId,
        note: body.note ?? '',
      });
      await recordAudit(tx, a, {
        at: now,
        action: 'invoice.payment_recorded',
        entityType: 'invoice',
        entityId: inv.id,
        orgId: inv.labId,
        before: { status: inv.status, amountPaidFen: inv.amountPaidFen },
        after: { status: paid.status, amountPaidFen: paid.amountPaidFen, payment: body },
        requestId,
      });
      const [view] = await invoiceViews(tx, [paid], now);
      if (idem) await saveAnswer(tx, idem, view);
      return { replayed: false, body: view! };
    });
  } catch (error) {
    if (idem) {
      const replay = await findReplay<InvoiceView>(deps.db, idem);
      if (replay) return replay;
    }
    throw error;
  }
}

/**
 * Voids an invoice issued in error (作废), with a reason — only while nothing has happened to it:
 * nothing paid, no voucher share, no credit note. The ledger gets reversal entries (the receivable
 * back against revenue and output VAT; no entry is ever edited). The lines stay on the void
 * invoice; `then` bills them again (see `rebill.ts`), else they are forgiven — which an order still
 * waiting for this prepayment does not allow (409 `order_awaits_invoice`: re-issue, release, or
 * cancel the order, which credits it).
 */
export async function voidInvoice(
  deps: InvoiceDeps,
  actor: Actor | null,
  invoiceId: string,
  reason: string,
  requestId?: string,
  then?: AfterVoid,
) {
  const a = requireActor(actor);
  if (reason.trim() === '') {
    throw validationFailed([{ path: '/reason', code: 'required', message: '请填写作废原因' }]);
  }
  const now = deps.clock();
  return deps.db.transaction(async (tx) => {
    const inv = await lockedFor(tx, a, invoiceId);
    const m = membershipIn(a, inv.labId);
    const manager =
      m && m.orgStatus !== 'suspended' && (m.role === 'manager' || (m.orgKind === 'platform' && m.role === 'admin'));
    if (!isIssuer(a, inv.labId) || !manager) throw forbidden("Only the issuer's managers void invoices.");
    if (inv.status === 'void') throw conflict('invoice_void', `Invoice ${inv.number} is already void.`);
    if (
      inv.kind !== 'invoice' ||
      inv.status === 'paid' ||
      inv.amountPaidFen > 0 ||
      inv.voucherShareFen > 0 ||
      inv.amountCreditedFen > 0 ||
      (await repo.countCreditNotes(tx, inv.id)) > 0
    ) {
      throw conflict(
        'invoice_not_open',
        `Invoice ${inv.number} has payments, a voucher share or credit notes: credit it instead of voiding it.`,
      );
    }
    const awaiting = await repo.lockOrdersAwaiting(tx, inv.id);
    if (awaiting.length > 0 && !then) {
      throw conflict(
        'order_awaits_invoice',
        `An order waits in accepted for invoice ${inv.number} to be paid: void it with then=reissue (a corrected invoice) or then=release (billed on delivery or monthly, the work starts), or cancel the order instead.`,
      );
    }
    const lines = await repo.linesOf(tx, [inv.id]);
    const vat = lines.reduce((s, l) => s + vatOf(l.amountFen, l.taxRateBp), 0);
    await post(tx, {
      book: inv.labId,
      kind: 'invoice_void',
      source: { kind: 'invoice', id: inv.id },
      memo: `${inv.number} 作废：${reason}`,
      at: now,
      entries: [
        { code: 'receivable', counterparty: inv.customerOrgId, amount: -inv.totalFen, invoiceId: inv.id },
        { code: 'revenue', amount: inv.totalFen - vat },
        { code: 'vat_output', amount: vat },
      ],
    });
    const voided = await repo.updateInvoice(tx, inv.id, { status: 'void', reason, voidedAt: now, updatedAt: now });
    const rebilled = then ? await rebillVoided(tx, voided, then, awaiting, now) : null;
    await recordAudit(tx, a, {
      at: now,
      action: 'invoice.voided',
      entityType: 'invoice',
      entityId: inv.id,
      orgId: inv.labId,
      before: { status: inv.status },
      after: { status: 'void', reason, then: then ?? null, rebilledAs: rebilled?.number ?? null, orders: awaiting },
      requestId,
    });
    const [view] = await invoiceViews(tx, [voided], now);
    return view!;
  });
}
