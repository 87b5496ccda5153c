import type { Invoice } from '@qihub/db';

/** The VAT inside a VAT-inclusive amount: amount × r / (1 + r), rounded half away from zero. */
export function vatOf(amount: number, rateBp: number): number {
  const num = BigInt(Math.abs(amount)) * BigInt(rateBp);
  const den = BigInt(10_000 + rateBp);
  const v = Number((num * 2n + den) / (den * 2n));
  return amount < 0 ? -v : v;
}

/** What the customer still owes on an invoice (the voucher share is the programme's to pay). */
export function amountDue(
  inv: Pick<Invoice, 'totalFen' | 'voucherShareFen' | 'amountPaidFen' | 'amountCreditedFen' | 'kind' | 'status'>,
) {
  if (inv.kind !== 'invoice' || inv.status === 'void') return 0;
  return Math.max(0, inv.totalFen - inv.voucherShareFen - inv.amountPaidFen - inv.amountCreditedFen);
}
