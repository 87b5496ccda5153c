/** Labs and their qualifications. */
export { labRoutes } from './routes.ts';
export { findLab, qualificationsOf } from './repository.ts';
export { labJobHandlers } from './jobs.ts';
export { acceptInvitations } from './members.ts';
