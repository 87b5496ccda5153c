/**
 * Lab statements (对账单): each lab's month — bookings and use per instrument, orders, invoices,
 * payments by channel, vouchers, platform fee, receivables — as JSON, PDF and XLSX, stored with their
 * hashes; and a monthly-account customer's statement with a lab.
 */
export { statementRoutes } from './routes.ts';
export { statementJobHandlers } from './jobs.ts';
export { buildIfMissing, buildStatement, queueDueStatements, type BuildHooks, type StatementDeps } from './build.ts';
export { collectStatement, monthWindow, previousMonth, type StatementData, type StatementKey } from './figures.ts';
