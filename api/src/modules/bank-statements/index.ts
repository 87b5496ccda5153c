/**
 * Bank transfers (对公转账): a lab's bank statements matched to its open invoices by payment
 * reference, set-based; suggestions and the rest in a queue that a person works by hand.
 */
export { bankStatementRoutes } from './routes.ts';
export { parseStatement, type ParsedStatement, type StatementLine } from './csv.ts';
