/** The inbox: notices to users. */
export { notificationRoutes } from './routes.ts';
