/** The inbox: notices to users. */
export { notificationRoutes } from './routes.ts';
export { notificationJobHandlers } from './jobs.ts';
