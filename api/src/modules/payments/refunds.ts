import type { Tx } from '@qihub/db';
import { membershipIn, requireActor, type Actor } from '../../lib/actor.ts';
import { AppError, conflict, forbidden, notFound, unprocessable } from '../../lib/errors.ts';
import { money } from '../../lib/money.ts';
import { canSeeInvoice } from '../invoices/index.ts';
import { balanceOf, post } from '../ledger/index.ts';
import { withAttempt } from './attempts.ts';
import type { PaymentDeps } from './deps.ts';
import { cardNotOffered } from './onboarding.ts';
import type { PaymentProvider } from './port.ts';
import * as repo from './repository.ts';

/**
 * `POST /v1/invoices/{id}/refunds` (the issuing lab's managers): gives card money back through the
 * processor. The refund is written (pending) first and its id is the idempotency key, so a retry —
 * of the request, or after a crash or a lost answer — refunds once. While one is pending, a request
 * for the same amount retries it and one for another amount is refused.
 */
export async function refundInvoice(deps: PaymentDeps, actor: Actor | null, id: string, body: { amount: number }) {
  const a = requireActor(actor);
  const inv = await repo.findInvoice(deps.db, id);
  if (!inv || !canSeeInvoice(a, inv)) throw notFound('invoice');
  const m = membershipIn(a, inv.labId);
  if (!m || m.orgKind !== 'lab' || m.role !== 'manager') throw forbidden('Only a manager of the issuing lab refunds.');
  const provider = deps.provider;
  if (!provider) throw cardNotOffered();

  const refund = await deps.db.transaction(async (tx) => {
    await repo.findInvoice(tx, id, true);
    const pending = await repo.pendingRefund(tx, id);
    if (pending) {
      if (pending.amountFen !== body.amount) {
        throw conflict('refund_pending', 'Another refund of this invoice is still in progress; retry it first.');
      }
      return pending;
    }
    const paid = await repo.cardPaymentsOf(tx, id, true);
    // One processor payment per refund: the one with the most left to refund.
    const source = paid.map((p) => ({ p, left: p.amountFen - p.refundedFen })).sort((x, y) => y.left - x.left)[0];
    if (!source || body.amount > source.left) {
      throw unprocessable('refund_exceeds_paid', 'The amount exceeds what was paid by card and not yet refunded.', [
        { path: '/amount', code: 'refund_exceeds_paid', message: `At most ${source?.left ?? 0} fen.` },
      ]);
    }
    return repo.insertRefund(tx, {
      invoiceId: id,
      externalPaymentId: source.p.externalId,
      amountFen: body.amount,
      currency: inv.currency,
      requestedBy: a.userId,
      createdAt: deps.clock(),
    });
  });
  return completeRefund(deps, provider, refund.id, refund.externalPaymentId, refund.amountFen);
}

/**
 * Refunds left pending (the processor's answer was lost and nobody retried) are retried by the
 * daily sweep with their own key: the processor answers what it did, and the books follow.
 */
export async function retryPendingRefunds(deps: Omit<PaymentDeps, 'webUrl'>, olderThanMs = 10 * 60_000) {
  const provider = deps.provider;
  if (!provider) return 0;
  const stale = await repo.stalePendingRefunds(deps.db, new Date(deps.clock().getTime() - olderThanMs));
  let done = 0;
  for (const r of stale) {
    try {
      await completeRefund(deps, provider, r.id, r.externalPaymentId, r.amountFen);
      done++;
    } catch {
      // Still unreachable: the next sweep tries again with the same key.
    }
  }
  return done;
}

async function completeRefund(
  deps: Omit<PaymentDeps, 'webUrl'>,
  provider: PaymentProvider,
  refundId: string,
  paymentId: string,
  amount: number,
) {
  const cp = (await repo.findCardPayment(deps.db, paymentId))!;
  const params = { paymentId, amount, refundId };
  const result = await withAttempt(
    deps.db,
    deps.clock,
    { key: `refund:${refundId}`, operation: 'refund.create', account: cp.account, params },
    (key) => provider.refund(cp.account, params, key),
  ).catch(async (error: unknown) => {
    // A refusal is an answer (e.g. more than Stripe has left after a refund in its dashboard):
    // nothing was refunded, so the refund fails instead of staying pending and blocking the next.
    if (error instanceof AppError && error.code === 'processor_refused') {
      await repo.failRefund(deps.db, refundId, deps.clock());
    }
    throw error;
  });
  await deps.db.transaction(async (tx) => {
    await repo.findInvoice(tx, cp.invoiceId, true);
    const r = await repo.lockPendingRefund(tx, refundId);
    if (!r) return; // already completed by a concurrent retry, or by the refund's webhook event
    const at = deps.clock();
    await repo.completeRefund(tx, refundId, result.id, at);
    await bookCardRefund(tx, { refundId, externalId: result.id, paymentId, amount, at });
  });
  return { id: refundId, status: 'succeeded' as const, amount: money(amount, cp.currency), externalId: result.id };
}

/**
 * Books a card refund the processor made (through QIHub, or in its dashboard) in the lab's book,
 * inside the caller's transaction, which holds the invoice's row lock. The money leaves the
 * processor clearing. It comes first out of what the customer holds as credit with the lab (an
 * over-payment, a credited paid invoice); the rest reopens the invoice.
 */
export async function bookCardRefund(
  tx: Tx,
  r: { refundId: string; externalId: string; paymentId: string; amount: number; at: Date },
) {
  const cp = (await repo.findCardPayment(tx, r.paymentId))!;
  const inv = (await repo.findInvoice(tx, cp.invoiceId))!;
  await repo.addRefunded(tx, r.paymentId, r.amount);
  const credit = -(await balanceOf(tx, {
    book: inv.labId,
    code: 'customer_credit',
    counterparty: inv.customerOrgId,
  }));
  const fromCredit = Math.max(0, Math.min(credit, r.amount));
  const reopened = Math.min(r.amount - fromCredit, inv.amountPaidFen);
  const rest = r.amount - fromCredit - reopened;
  await post(tx, {
    book: inv.labId,
    kind: 'refund',
    source: { kind: 'card_refund', id: r.refundId },
    memo: `${inv.number} 退款 refund ${r.externalId}`,
    at: r.at,
    entries: [
      { code: 'processor_clearing', amount: -r.amount },
      { code: 'customer_credit', counterparty: inv.customerOrgId, amount: fromCredit + rest },
      { code: 'receivable', counterparty: inv.customerOrgId, amount: reopened, invoiceId: inv.id },
    ],
  });
  if (reopened > 0) await repo.reducePaid(tx, inv, reopened, r.at);
}
