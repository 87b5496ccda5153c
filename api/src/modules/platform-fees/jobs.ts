import type { JobDeps, JobHandler } from '../../jobs/registry.ts';
import { issueMonthlyFees } from './monthly.ts';
import { lockSettleSweep } from './repository.ts';
import { settleFeePayables } from './settle.ts';

/**
 * The platform's monthly fee invoices, run every hour rather than once on the 1st (like
 * `invoices.monthly`): only a month already over is invoiced, and each (lab, month) once, so every
 * run after the first on the 1st (China time) finds nothing, and a worker down on the 1st catches
 * up. The same sweep books the labs' side of fee payments recorded other than from a statement.
 */
export function platformFeeJobHandlers(deps: JobDeps, clock: () => Date): JobHandler[] {
  return [
    {
      name: 'platform-fees.monthly',
      handle: async () => {
        await issueMonthlyFees(deps.db, clock());
        await deps.db.transaction(async (tx) => {
          await lockSettleSweep(tx);
          await settleFeePayables(tx, clock(), null);
        });
      },
    },
  ];
}
