import { AppError } from '../../lib/errors.ts';
import { formatYuan } from '../../lib/money.ts';
import { membersOf, notifyUsers } from '../../lib/notify.ts';
import { amountDue } from '../invoices/index.ts';
import { withAttempt } from './attempts.ts';
import { platformFee } from './checkout.ts';
import type { OffSessionInput, OffSessionResult } from './port.ts';
import * as repo from './repository.ts';
import * as cards from './repository/cards.ts';
import type { SettleDeps } from './settle.ts';

/**
 * Charges an invoice of a booking to the customer's card on file with that lab, off-session, at
 * most once per invoice; the job runs after the check-out (or cancellation, or no-show) committed,
 * never inside it, so a slow or failing processor never holds up or undoes the check-out.
 *
 * Why charge now and never authorise ahead: a card authorisation lapses after about 7 days (about 5
 * for merchant-initiated ones, up to 30 only with extended authorisation on some networks), and a
 * booking is often made weeks before it happens. A hold placed at booking time would be gone by the
 * check-out, so the card is only saved (setup mode) then, and the real amount — max(booked, actual),
 * or the fee — is charged when it is known.
 *
 * The PaymentIntent's success is NOT booked here: the webhook (`payment_intent.succeeded`, re-read,
 * `card_payments` keyed by its id) books it, like every card payment. A decline leaves the invoice
 * open, is recorded, and the customer's members are told to pay another way.
 */
export async function chargeInvoiceOffSession(deps: SettleDeps, invoiceId: string): Promise<string> {
  const { db, clock, provider } = deps;
  const inv = await repo.findInvoice(db, invoiceId);
  if (!inv) return 'unknown_invoice';
  let charge = await cards.findOffSessionCharge(db, invoiceId);
  if (charge && charge.status !== 'pending') return charge.status;
  if (!charge) {
    const open = inv.kind === 'invoice' && (inv.status === 'open' || inv.status === 'partially_paid');
    if (!open || amountDue(inv) <= 0) return 'not_open';
    // Card-eligible: an invoice of bookings only (orders and events are paid as their terms say).
    const kinds = await cards.lineSourceKinds(db, invoiceId);
    if (kinds.length === 0 || kinds.some((k) => k !== 'booking')) return 'not_eligible';
    const card = await cards.cardInUse(db, inv.customerOrgId, inv.labId);
    if (!card) return 'no_card';
    const acct = await repo.findAccount(db, inv.labId);
    if (!acct?.chargesEnabled || acct.accountId !== card.account) return 'lab_cannot_take_cards';
    const due = amountDue(inv);
    const at = clock();
    charge = await cards.ensureOffSessionCharge(db, {
      invoiceId,
      savedCardId: card.id,
      amountFen: due,
      feeFen: await platformFee(deps, inv.labId, due),
      currency: inv.currency,
      createdAt: at,
      updatedAt: at,
    });
    if (charge.status !== 'pending') return charge.status;
  }
  const card = (await cards.findCard(db, charge.savedCardId))!;
  const key = `off-session:${invoiceId}`;
  // Removed before the processor was ever asked: nothing to find out, nothing to charge.
  if (card.removedAt && !(await repo.latestAttempt(db, key)).latest) {
    await cards.settleOffSessionCharge(db, invoiceId, {
      status: 'failed',
      paymentIntentId: null,
      failureCode: 'card_removed',
      at: clock(),
    });
    return 'failed';
  }
  const params: OffSessionInput = {
    invoiceId,
    invoiceNumber: inv.number,
    // The amount and fee stored with the charge, not recomputed: a retry sends the same request.
    amount: charge.amountFen,
    currency: charge.currency,
    fee: charge.feeFen,
    customerId: card.customerId,
    paymentMethodId: card.paymentMethodId,
    description: `账单 Invoice ${inv.number}`,
  };
  let result: OffSessionResult;
  try {
    result = await withAttempt<OffSessionResult>(
      db,
      clock,
      { key, operation: 'payment_intent.off_session', account: card.account, params },
      (k) => provider.chargeSavedCard(card.account, params, k),
    );
  } catch (error) {
    // Refused outright (not a decline: the request itself): as final as a decline. Unknown
    // outcomes (processor_unavailable) are thrown so the job retries with the same key.
    if (!(error instanceof AppError && error.code === 'processor_refused')) throw error;
    result = { paymentId: null, status: 'declined', declineCode: 'processor_refused', message: error.message };
  }
  if (result.status !== 'declined') {
    // Accepted by the processor (succeeded, or a card still processing): the webhook books the money.
    await cards.settleOffSessionCharge(db, invoiceId, {
      status: 'succeeded',
      paymentIntentId: result.paymentId,
      at: clock(),
    });
    return 'charged';
  }
  await db.transaction(async (tx) => {
    const first = await cards.settleOffSessionCharge(tx, invoiceId, {
      status: 'failed',
      paymentIntentId: result.paymentId,
      failureCode: result.declineCode,
      failureMessage: result.message,
      at: clock(),
    });
    if (!first) return;
    const users = await membersOf(tx, inv.customerOrgId, { activeOnly: true });
    const due = formatYuan(amountDue(inv));
    const needs3ds = result.declineCode === 'authentication_required';
    await notifyUsers(
      tx,
      users,
      {
        kind: 'card_charge_failed',
        titleZh: `账单 ${inv.number} 自动扣款未成功，请另行付款`,
        titleEn: `Invoice ${inv.number}: the saved card was not charged — please pay another way`,
        bodyZh: `尾号 ${card.last4} 的卡${needs3ds ? '需要持卡人验证' : '被拒绝'}，应付 ¥${due} 尚未支付。请在账单页面刷卡或对公转账付款（附言填写付款识别码 ${inv.paymentReference}）。`,
        bodyEn: `The card ending ${card.last4} was ${needs3ds ? 'not charged: the bank wants the cardholder to confirm' : 'declined'}; CNY ${due} is still due. Pay on the invoice page by card or by bank transfer (reference ${inv.paymentReference}).`,
        link: `/invoices/${inv.id}`,
      },
      `card-charge-failed:${inv.id}`,
      deps.clock(),
    );
  });
  return 'declined';
}

/** Off-session charges left pending (the job gave up while the processor was unreachable): retried with their key. */
export async function retryPendingOffSession(deps: SettleDeps, olderThanMs = 10 * 60_000) {
  const stale = await cards.stalePendingOffSession(deps.db, new Date(deps.clock().getTime() - olderThanMs));
  let done = 0;
  for (const c of stale) {
    try {
      await chargeInvoiceOffSession(deps, c.invoiceId);
      done++;
    } catch {
      // Still unreachable: the next sweep tries again with the same key.
    }
  }
  return done;
}
