/** Training events and seminars: sessions and registrations. */
export { eventRoutes } from './routes.ts';
export { eventJobHandlers } from './jobs.ts';
