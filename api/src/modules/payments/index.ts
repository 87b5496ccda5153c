/**
 * Card payments through a processor on the lab's own merchant account (Stripe Connect direct
 * charges): onboarding, checkout, webhooks processed by a job, refunds. The platform never holds
 * the money; it records what the processor confirms.
 */
export { paymentRoutes } from './routes.ts';
export { paymentJobHandlers } from './jobs.ts';
export type { PaymentProvider, PaymentState, ProviderEvent } from './port.ts';
export { stripeProvider } from './stripe-adapter.ts';
export { processEvent } from './settle.ts';
