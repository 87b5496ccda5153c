/**
 * The administrators' reconciliation (对账): per-lab figures over a period for the labs of an admin's
 * region, and discrepancies — found by a daily job, resolved by a person with a note.
 */
export { reconciliationRoutes } from './routes.ts';
export { reconciliationJobHandlers } from './jobs.ts';
export { recomputeDiscrepancies, type RecomputeResult } from './recompute.ts';
