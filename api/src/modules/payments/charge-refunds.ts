import type { Db } from '@qihub/db';
import { bookFeeRefund } from './platform-fee.ts';
import type { PaymentProvider } from './port.ts';
import { bookCardRefund } from './refunds.ts';
import * as repo from './repository.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * A refund event (`charge.refunded`, `refund.created|updated` …) says only "look again": the charge
 * is re-read from the processor with all its refunds, and every succeeded refund not yet in
 * `card_refunds` is booked — exactly once, under the invoice's row lock, keyed by the processor's
 * refund id (unique). A refund made through QIHub carries our id in its metadata: if its answer was
 * lost (or is still on its way) the event completes that same row, so the API's own completion
 * then finds nothing pending and books nothing. A refund made in Stripe's dashboard gets a row of
 * its own (no requester). If the processor gave back part of the application fee, the difference
 * from what is already booked is reversed in the lab's and the platform's books.
 */
export async function syncChargeRefunds(
  deps: { db: Db; clock: () => Date; provider: PaymentProvider },
  account: string,
  ref: { chargeId: string } | { refundId: string },
): Promise<string> {
  const ch = await deps.provider.retrieveCharge(account, ref);
  const paymentId = ch.paymentId;
  if (!paymentId) return 'unrelated';
  const known = await repo.findCardPayment(deps.db, paymentId);
  // A charge we never recorded (not an invoice's, or not yet settled: its own event will be).
  if (!known || known.account !== account) return 'unrelated';
  return deps.db.transaction(async (tx) => {
    const inv = (await repo.findInvoice(tx, known.invoiceId, true))!;
    const cp = (await repo.findCardPayment(tx, paymentId, true))!;
    const at = deps.clock();
    let booked = 0;
    for (const r of ch.refunds) {
      if (r.status !== 'succeeded' || r.amount <= 0) continue;
      if (await repo.refundByExternalId(tx, r.id)) continue;
      const ours = r.refundId && UUID.test(r.refundId) ? await repo.lockPendingRefund(tx, r.refundId) : undefined;
      let refundId: string;
      if (ours && ours.externalPaymentId === paymentId) {
        await repo.completeRefund(tx, ours.id, r.id, at);
        refundId = ours.id;
      } else {
        const row = await repo.insertRefund(tx, {
          invoiceId: cp.invoiceId,
          externalPaymentId: paymentId,
          amountFen: r.amount,
          currency: cp.currency,
          status: 'succeeded',
          externalId: r.id,
          requestedBy: null,
          createdAt: at,
          completedAt: at,
        });
        refundId = row.id;
      }
      await bookCardRefund(tx, { refundId, externalId: r.id, paymentId, amount: r.amount, at });
      booked++;
    }
    const fee = ch.applicationFee;
    const feeBack = fee ? Math.min(fee.refunded, cp.feeFen) - cp.feeRefundedFen : 0;
    if (feeBack > 0) {
      await repo.addFeeRefunded(tx, paymentId, feeBack);
      await bookFeeRefund(tx, {
        labId: cp.labId,
        paymentId: cp.paymentId,
        invoiceNumber: inv.number,
        amount: feeBack,
        at,
      });
    }
    return booked > 0 || feeBack > 0 ? 'refund_recorded' : 'refund_known';
  });
}
