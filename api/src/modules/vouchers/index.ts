/**
 * Innovation vouchers (创新券): platform programmes, enterprise quotas, the voucher split of an
 * invoice and the lab's redemption claims with their evidence packs.
 */
export { voucherRoutes } from './routes.ts';
