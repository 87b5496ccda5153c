/** The lab console's Today page: what needs doing at a lab today, counted per queue. */
export { todayRoutes } from './routes.ts';
