import type { Db } from '@qihub/db';
import { post } from '../ledger/index.ts';
import type { PaymentProvider } from './port.ts';
import * as repo from './repository.ts';

/**
 * A payout event (`payout.paid`, `payout.failed` …) on a lab's connected account: the payout is
 * re-read and stored (the reconciliation sees every one), and under its row lock the lab's book
 * follows its state exactly once — paid: the money moved from the processor to the lab's bank
 * (Dr bank, Cr processor clearing); failed after it was booked (the bank returned it): back again.
 * Events late, repeated or out of order converge on the payout as Stripe shows it now.
 */
export async function syncPayout(
  deps: { db: Db; clock: () => Date; provider: PaymentProvider },
  account: string,
  payoutId: string,
): Promise<string> {
  const p = await deps.provider.retrievePayout(account, payoutId);
  if (p.amount <= 0) return 'ignored';
  return deps.db.transaction(async (tx) => {
    const acct = await repo.accountByExternalId(tx, account);
    if (!acct) return 'unknown_account';
    const at = deps.clock();
    const row = await repo.lockPayout(tx, {
      externalId: p.id,
      labId: acct.labId,
      account,
      amountFen: p.amount,
      currency: p.currency,
      status: p.status,
      arrivalDate: p.arrivalDate,
      createdAt: at,
      updatedAt: at,
    });
    const set: Parameters<typeof repo.updatePayout>[2] = {
      status: p.status,
      arrivalDate: p.arrivalDate,
      updatedAt: at,
    };
    let outcome = `payout_${p.status}`;
    // The lab's books are kept in CNY: a payout in another currency waits for a person (reconciliation).
    const bookable = p.currency === 'CNY';
    const memo = `Stripe 提现 payout ${p.id}`;
    if (p.status === 'paid' && !row.bookedAt && bookable) {
      await post(tx, {
        book: acct.labId,
        kind: 'payout',
        source: { kind: 'payout', id: row.id },
        memo,
        at,
        entries: [
          { code: 'bank', amount: row.amountFen },
          { code: 'processor_clearing', amount: -row.amountFen },
        ],
      });
      set.bookedAt = at;
      outcome = 'payout_booked';
    } else if ((p.status === 'failed' || p.status === 'canceled') && row.bookedAt && !row.reversedAt) {
      await post(tx, {
        book: acct.labId,
        kind: 'payout_reversal',
        source: { kind: 'payout', id: row.id },
        memo: `${memo} 退回 returned`,
        at,
        entries: [
          { code: 'processor_clearing', amount: row.amountFen },
          { code: 'bank', amount: -row.amountFen },
        ],
      });
      set.reversedAt = at;
      outcome = 'payout_reversed';
    }
    await repo.updatePayout(tx, row.id, set);
    return outcome;
  });
}
