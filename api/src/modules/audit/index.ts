/**
 * The audit log as the platform admins read it: who did what to which entity, when, filtered and
 * exported (CSV), each admin seeing their own region only (province → city → station).
 */
export { auditRoutes } from './routes.ts';
