/**
 * The platform's own service fee (平台服务费): a lab's obligation to its platform, invoiced monthly in
 * the platform's name and paid by bank transfer to the platform's account (card payments carry it
 * as the processor's application fee instead).
 */
export { platformFeeRoutes } from './routes.ts';
export { platformFeeJobHandlers } from './jobs.ts';
export { issueMonthlyFees } from './monthly.ts';
export { settleFeePayables } from './settle.ts';
