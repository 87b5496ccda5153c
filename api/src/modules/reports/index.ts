/** Test reports and certificates: drafts, review, sign-off, issue and verification. */
export { reportRoutes } from './routes.ts';
export { reportJobHandlers } from './jobs.ts';
