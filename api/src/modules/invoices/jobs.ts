import type { JobDeps, JobHandler } from '../../jobs/registry.ts';
import { invoiceMonthlyAccounts } from './monthly.ts';

/**
 * The monthly-account sweep. It runs every hour rather than once on the 1st: it only ever invoices
 * lines of months already over, so every run but the first after midnight of the 1st (China time)
 * finds nothing, and a worker that was down on the 1st catches up when it returns.
 */
export function invoiceJobHandlers(deps: JobDeps, clock: () => Date): JobHandler[] {
  return [{ name: 'invoices.monthly', handle: async () => void (await invoiceMonthlyAccounts(deps.db, clock())) }];
}
