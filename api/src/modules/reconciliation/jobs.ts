import type { JobDeps, JobHandler } from '../../jobs/registry.ts';
import { recomputeDiscrepancies } from './recompute.ts';

/** The daily recomputation of the reconciliation's discrepancies (idempotent). */
export function reconciliationJobHandlers(deps: JobDeps, clock: () => Date): JobHandler[] {
  return [
    {
      name: 'reconciliation.recompute',
      handle: async () => {
        await recomputeDiscrepancies({ db: deps.db, clock });
      },
    },
  ];
}
