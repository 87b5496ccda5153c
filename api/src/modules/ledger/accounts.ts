/**
 * The chart of accounts. Every book (a lab's, or a platform's) uses the same codes; the accounts
 * with a counterparty are kept per organisation (a customer's receivable, a lab's platform fee).
 * Signs: a debit is a positive amount, a credit a negative one.
 */
export const ACCOUNTS = {
  /** 应计收入: charged, not yet on an invoice (a monthly account's lines). Per customer. */
  unbilled: { zh: '应收账款-未开账单', en: 'Unbilled receivable', perCounterparty: true },
  /** 应收账款: invoiced and not yet paid. Per customer, entries tied to their invoice. */
  receivable: { zh: '应收账款', en: 'Accounts receivable', perCounterparty: true },
  /** 预收账款: paid beyond what was due (an over-payment, a credited paid invoice). Per customer. */
  customer_credit: { zh: '预收账款-客户余额', en: 'Customer credit', perCounterparty: true },
  /** 主营业务收入: fees net of VAT. */
  revenue: { zh: '主营业务收入', en: 'Service revenue', perCounterparty: false },
  /** 应交税费-应交增值税(销项税额): the VAT inside VAT-inclusive prices. */
  vat_output: { zh: '应交税费-销项税额', en: 'Output VAT', perCounterparty: false },
  /** 银行存款: the issuer's own bank account. */
  bank: { zh: '银行存款', en: 'Bank', perCounterparty: false },
  /** 其他应收款-创新券: what a voucher programme owes. Per programme issuer. */
  voucher_receivable: { zh: '其他应收款-创新券', en: 'Voucher programme receivable', perCounterparty: true },
  /** 其他货币资金-支付机构: card payments on their way from the processor. */
  processor_clearing: { zh: '其他货币资金-支付机构', en: 'Processor clearing', perCounterparty: false },
  /** The lab's cost of the platform's service fee, and what it owes the platform. */
  platform_fee_expense: { zh: '销售费用-平台服务费', en: 'Platform fee expense', perCounterparty: false },
  platform_fee_payable: { zh: '应付账款-平台服务费', en: 'Platform fee payable', perCounterparty: true },
  /** In a platform's book: the fee each lab owes it, and the fee income. */
  fee_receivable: { zh: '应收账款-服务费', en: 'Service fee receivable', perCounterparty: true },
  fee_revenue: { zh: '其他业务收入-服务费', en: 'Service fee revenue', perCounterparty: false },
} as const;

export type AccountCode = keyof typeof ACCOUNTS;
export const ACCOUNT_CODES = Object.keys(ACCOUNTS) as AccountCode[];

export function accountName(code: string, locale: 'zh' | 'en' = 'zh'): string {
  const a = (ACCOUNTS as Record<string, { zh: string; en: string }>)[code];
  return a ? a[locale] : code;
}
