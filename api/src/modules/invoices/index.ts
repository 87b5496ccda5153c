/**
 * Invoices (账单), payments against them and billing terms. Other modules charge through `charge`
 * and take back through `credit`, inside their own transaction, so a fee is never computed and
 * then forgotten.
 */
export { invoiceRoutes } from './routes.ts';
export {
  amountDue,
  charge,
  credit,
  issueInvoice,
  recordPayment,
  vatOf,
  type ChargeInput,
  type PaymentInput,
} from './billing.ts';
export { termsFor, DEFAULT_TERMS, type ResolvedTerms } from './terms.ts';
export { canSeeInvoice, isIssuer } from './access.ts';
export { invoiceViews } from './view.ts';
export { invoiceJobHandlers } from './jobs.ts';
export { invoiceMonthlyAccounts, monthStart } from './monthly.ts';
export { orderPaid, orderPayment, paidInvoiceOrders } from './queries.ts';
export { bookingLabel, insertLineOnce } from './repository.ts';
export { InvoiceOut } from './schema.ts';
export {
  applyVoucherShare,
  billVoucherShareBack,
  invoiceById,
  lockInvoiceForVoucher,
  recordVoucherReceipt,
} from './billing-voucher.ts';
