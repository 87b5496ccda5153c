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
  customer: { id: string; nameZh: string; nameEn?: string };
  terms: Terms;
  dueDays: number | null;
}

export type BankLineStatus = 'unmatched' | 'suggested' | 'matched' | 'dismissed';
export const QUEUE_STATUSES = ['unmatched', 'suggested'] as const satisfies readonly BankLineStatus[];

export interface BankLine {
  id: string;
  txnDate: string;
  counterparty: string;
  amount: Money;
  remark: string;
  status: BankLineStatus;
  suggestedInvoice: { id: string; number: string; customer: { nameZh: string; nameEn?: string }; amountDue: Money } | null;
}

export interface StatementCounts {
  statementId?: string;
  lines: number;
  matched: number;
  suggested: number;
  unmatched: number;
  duplicates: number;
}
