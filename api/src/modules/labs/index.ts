/** Labs and their qualifications. */
export { labRoutes } from './routes.ts';
export { findLab, qualificationsOf } from './repository.ts';
