/**
 * The national holiday calendar per year: the `chinese-days` package by default, a year entered by
 * the province platform's admins over it. The availability module's calendar follows what is entered
 * here (`refreshHolidayCalendar`, before each computation, in every process).
 */
export { holidayRoutes } from './routes.ts';
