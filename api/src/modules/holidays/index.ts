/**
 * The national holiday calendar per year: the `chinese-days` package by default, a year entered by
 * the province platform's admins over it. The availability module's calendar reads what is loaded here.
 */
export { holidayRoutes } from './routes.ts';
export { followHolidayOverrides, loadHolidayOverrides } from './service.ts';
