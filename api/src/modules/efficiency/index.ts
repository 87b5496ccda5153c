/**
 * 效能评价 and instrument utilisation (issue 12): figures from the orders' workflow stamps and the
 * bookings' check-in and check-out, for the platform admins of a region (province → city → station).
 */
export { efficiencyRoutes } from './routes.ts';
export { efficiency } from './evaluation.ts';
