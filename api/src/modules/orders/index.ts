/** Orders for tests and services: request, quote, acceptance, work, cancellation and objections. */
export { orderRoutes } from './routes.ts';
export { custodyRoutes } from './custody-routes.ts';
export { orderJobHandlers } from './jobs.ts';
export { assertSide, LAB_ORDER_MANAGERS, loadOrderFor, type OrderAccess } from './access.ts';
export { customerLink, labLink, notifySide } from './notify.ts';
export { recordOrderEvent, transitionOrder } from './transition.ts';
export { nextSequence } from './repository/orders.ts';
export { DEFAULT_ORDER_SETTINGS, termsOfOrder } from './settings.ts';
export { claimReportPrefix } from './report-prefix.ts';
export { markScope } from './accreditation-scope.ts';
export { issueStamps } from './deadline.ts';
export { addWorkingDays, workingDaysBetween, workingDaysCounter } from './workingdays.ts';
export { creditWaivedSurcharge } from './billing.ts';
export { upholdObjectionOnRevokedReport } from './objections.ts';
