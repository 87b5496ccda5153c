import type { Tx } from '@qihub/db';
import * as repo from './repository.ts';
import { STRIPE_DETECTORS } from './repository/stripe.ts';

/**
 * The Stripe detectors (a charge, refund or payout at the processor with no ledger entry), synced
 * like the others inside the recomputation's transaction and lock.
 */
export async function recomputeStripeDiscrepancies(tx: Tx, now: Date) {
  const total = { inserted: 0, cleared: 0 };
  for (const [kind, detect] of Object.entries(STRIPE_DETECTORS)) {
    const r = await repo.syncKind(tx, kind, detect(now), now);
    total.inserted += r.inserted;
    total.cleared += r.cleared;
  }
  return total;
}
