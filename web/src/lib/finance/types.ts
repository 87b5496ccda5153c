import type { components } from '$lib/api/schema';
import type { Money } from '$lib/types';

/** An invoice or credit note as `GET /v1/invoices/{id}` answers it. */
export type Invoice = components['schemas']['Invoice'];
export type InvoiceStatus = Invoice['status'];
export type InvoiceLine = Invoice['lines'][number];
export type TrialBalance = components['schemas']['TrialBalance'];
export type TrialBalanceAccount = TrialBalance['accounts'][number];

export const INVOICE_STATUSES = ['open', 'partially_paid', 'paid', 'void'] as const satisfies readonly InvoiceStatus[];

export function isInvoiceStatus(v: unknown): v is InvoiceStatus {
  return typeof v === 'string' && (INVOICE_STATUSES as readonly string[]).includes(v);
}

/*
 * The shapes below follow the contracts of the money endpoints still being built (bank
 * statements, billing settings, per-customer terms, card checkout); they are read loosely so the
 * pages build before the generated client has them.
 */
export type Terms = 'prepay' | 'on_delivery' | 'monthly';
export const TERMS = ['prepay', 'on_delivery', 'monthly'] as const satisfies readonly Terms[];

export interface Payee {
  accountName: string;
  bankName: string;
  accountNumber: string;
}

export interface BillingSettings {
  terms: Terms;
  dueDays: number;
  monthlyDueDays: number;
  taxRateBp: number;
  payee: Payee;
}

export interface CustomerTerms {
  customerOrgId: string;
  customer: { id: string; nameZh: string; nameEn: string };
  terms: Terms;
  dueDays: number | null;
}

/** matched: paid an invoice; suggested: waits for a person to confirm; resolved: matched or dismissed by hand. */
export type BankLineStatus = 'matched' | 'suggested' | 'unmatched' | 'resolved';

export interface BankLine {
  id: string;
  txnDate: string;
  counterparty: string;
  amount: Money;
  remark: string;
  status: BankLineStatus;
  suggestedInvoice: { id: string; number: string; customer: { id: string; nameZh: string }; amountDue: Money } | null;
  payments: { invoiceId: string; number: string; amount: Money }[];
  note: string;
}

/** How an invoice can be paid now (card only when the processor is configured and the lab takes cards). */
export type PaymentMethod = 'bank_transfer' | 'voucher' | 'card';

export interface StatementCounts {
  statementId?: string;
  lines: number;
  matched: number;
  suggested: number;
  unmatched: number;
  duplicates: number;
}
