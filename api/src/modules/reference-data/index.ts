/** Reference data: regions, instrument categories, standards. */
export { referenceDataRoutes } from './routes.ts';
