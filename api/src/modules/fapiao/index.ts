/**
 * Fapiao (发票): the customer's invoice title, requests on paid invoices, and the lab's record of
 * the fapiao it issued in the tax system. QIHub does not talk to the tax system.
 */
export { fapiaoRoutes } from './routes.ts';
