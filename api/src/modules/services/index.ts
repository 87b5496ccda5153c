/** Quality services offered by labs (tests, calibration, standards, certification …). */
export { serviceRoutes } from './routes.ts';
