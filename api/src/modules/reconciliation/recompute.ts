import type { Db } from '@qihub/db';
import { localDate } from '../../lib/time.ts';
import * as repo from './repository.ts';
import { recomputeStripeDiscrepancies } from './stripe.ts';

export interface RecomputeResult {
  inserted: number;
  cleared: number;
}

/**
 * The daily recomputation, idempotent: each detector's findings are synced into the discrepancy
 * table in one transaction (serialised by an advisory lock), so running it twice changes nothing
 * the second time. Resolution policy:
 * - a problem still there stays as it is (open, or resolved with its note — a person saw it);
 * - a problem no longer found is marked cleared (and drops out of the queue);
 * - a cleared problem found again opens anew (new detectedAt; the earlier resolution is in the audit log).
 */
export async function recomputeDiscrepancies(deps: { db: Db; clock: () => Date }): Promise<RecomputeResult> {
  const now = deps.clock();
  const today = localDate(now);
  return deps.db.transaction(async (tx) => {
    await repo.lockRecompute(tx);
    const total = { inserted: 0, cleared: 0 };
    for (const [kind, detect] of Object.entries(repo.DETECTORS) as [
      repo.DiscrepancyKind,
      (typeof repo.DETECTORS)[repo.DiscrepancyKind],
    ][]) {
      const r = await repo.syncKind(tx, kind, detect(now, today), now);
      total.inserted += r.inserted;
      total.cleared += r.cleared;
    }
    const stripe = await recomputeStripeDiscrepancies(tx, now);
    total.inserted += stripe.inserted;
    total.cleared += stripe.cleared;
    return total;
  });
}
