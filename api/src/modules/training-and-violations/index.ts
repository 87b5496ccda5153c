/** Training records (who may use an instrument) and violations (no-shows, late cancellations). */
export { trainingAndViolationsRoutes } from './routes.ts';
export { DEFAULT_LAB_SETTINGS, isBlocked } from './rules.ts';
export { countedViolations, hasValidTraining, recordViolation } from './repository.ts';
