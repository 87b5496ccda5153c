import type { Tx } from '@qihub/db';
import { post } from '../ledger/index.ts';
import * as repo from './repository.ts';

/**
 * The platform's side of the application fee (Stripe Connect direct charges): Stripe takes the fee
 * out of the lab's card payment and puts it in the platform's own Stripe balance, so it is the
 * platform's revenue (其他业务收入-服务费) the moment the payment is made — booked in the book of the
 * platform whose region covers the lab (as a platform books its own events), with the money on its
 * way from the processor (processor clearing), not as a debt of the lab (it was settled at source).
 * Nothing is booked when no platform covers the lab's region.
 */
export async function bookFeeIncome(
  tx: Tx,
  f: { labId: string; paymentId: string; invoiceNumber: string; amount: number; at: Date },
) {
  if (f.amount <= 0) return;
  const platform = await repo.platformOfLab(tx, f.labId);
  if (!platform) return;
  await post(tx, {
    book: platform,
    kind: 'fee_income',
    source: { kind: 'payment', id: f.paymentId },
    memo: `${f.invoiceNumber} 平台服务费收入 platform fee income`,
    at: f.at,
    entries: [
      { code: 'processor_clearing', amount: f.amount },
      { code: 'fee_revenue', amount: -f.amount },
    ],
  });
}

/**
 * The processor gave (part of) the application fee back to the lab — a refund "with the fee": the
 * lab's fee expense shrinks and the money is back in its clearing; the platform's revenue is
 * reversed. `paymentId` is our payment row (the journals' source).
 */
export async function bookFeeRefund(
  tx: Tx,
  f: { labId: string; paymentId: string; invoiceNumber: string; amount: number; at: Date },
) {
  if (f.amount <= 0) return;
  const memo = `${f.invoiceNumber} 平台服务费退还 platform fee refunded`;
  await post(tx, {
    book: f.labId,
    kind: 'platform_fee_refund',
    source: { kind: 'payment', id: f.paymentId },
    memo,
    at: f.at,
    entries: [
      { code: 'processor_clearing', amount: f.amount },
      { code: 'platform_fee_expense', amount: -f.amount },
    ],
  });
  const platform = await repo.platformOfLab(tx, f.labId);
  if (!platform) return;
  await post(tx, {
    book: platform,
    kind: 'fee_income_refund',
    source: { kind: 'payment', id: f.paymentId },
    memo,
    at: f.at,
    entries: [
      { code: 'fee_revenue', amount: f.amount },
      { code: 'processor_clearing', amount: -f.amount },
    ],
  });
}
