import type { Tx } from '@qihub/db';
import { post } from '../ledger/index.ts';
import * as repo from './repository.ts';

/**
 * The lab's side of paying the platform's fee: each payment that arrived on a fee invoice by bank
 * transfer (matched from the platform's statement, or recorded by hand) is the lab's payment too —
 * Dr platform_fee_payable (platform) / Cr bank in the lab's book, once per payment. Anything the lab
 * paid beyond the fee stays a debit on its payable (a prepayment), which the platform's next fee
 * invoice takes up as the lab's credit. Called in the transaction that records the payments (only
 * those from `bankLineIds`), and by the hourly sweep for any recorded another way (all).
 */
export async function settleFeePayables(tx: Tx, at: Date, bankLineIds: string[] | null): Promise<number> {
  if (bankLineIds !== null && bankLineIds.length === 0) return 0;
  const due = await repo.unsettledFeePayments(tx, bankLineIds);
  for (const p of due) {
    await post(tx, {
      book: p.labId,
      kind: 'platform_fee_payment',
      source: { kind: 'platform_fee_payment', id: p.paymentId },
      memo: `${p.number} 支付平台服务费 (platform fee paid)`,
      at,
      entries: [
        { code: 'platform_fee_payable', counterparty: p.platformOrgId, amount: p.amountFen },
        { code: 'bank', amount: -p.amountFen },
      ],
    });
  }
  return due.length;
}
