import type { Invoice, Tx } from '@qihub/db';
import { conflict } from '../../lib/errors.ts';
import * as vrepo from './repository/voucher.ts';

/**
 * The voucher part of a credit note (红字 on an invoice with a 创新券 share). The programme pays
 * min(share × fee, the share taken): when a credit note lowers the fee, the programme's part
 * falls to min(share × what is left, its part) — proportionally, never above what it took — and
 * the difference goes back to the enterprise's quota, off the use and off its redemption claim.
 * A claim the programme has already paid beyond its new amount cannot follow: the credit is
 * refused (409 `voucher_claim_paid`) until the lab and the programme settle it.
 * The caller holds the invoice's row lock and has inserted the credit note; returns the part taken
 * off the programme (0 if none).
 */
export async function takeVoucherPartOfCredit(
  tx: Tx,
  target: Invoice,
  reason: string,
  at: Date,
): Promise<{ amount: number; issuerOrgId: string | null }> {
  if (target.voucherShareFen <= 0) return { amount: 0, issuerOrgId: null };
  const use = await vrepo.lockAppliedUse(tx, target.id);
  if (!use) return { amount: 0, issuerOrgId: null };
  // The fee left once this credit note (already inserted) and every earlier one are taken off.
  const feeLeft = Math.max(0, target.totalFen - (await vrepo.creditedSoFar(tx, target.id)));
  const part = Math.min(target.voucherShareFen, Number((BigInt(feeLeft) * BigInt(use.shareBp)) / 10_000n));
  const take = Math.min(target.voucherShareFen - part, use.amountFen);
  if (take <= 0) return { amount: 0, issuerOrgId: use.issuerOrgId };
  const claim = await vrepo.lockClaimOfUse(tx, use.id);
  const live = claim && ['submitted', 'approved', 'paid'].includes(claim.status) ? claim : undefined;
  if (live && (live.status === 'paid' || live.paidFen > live.amountFen - take)) {
    throw conflict(
      'voucher_claim_paid',
      `The voucher programme has already paid the lab for this invoice's voucher share: settle the claim with the programme before crediting it.`,
    );
  }
  await vrepo.reduceVoucherUse(tx, {
    useId: use.id,
    applicationId: use.applicationId,
    claimId: live?.id ?? null,
    amount: take,
    at,
    reason: `红字冲减 (credited): ${reason}`,
  });
  return { amount: take, issuerOrgId: use.issuerOrgId };
}
