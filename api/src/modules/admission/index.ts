/** The admission module: labs applying to join and the platform's decision. */
export { admissionRoutes } from './routes.ts';
