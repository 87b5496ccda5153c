import type { components } from '$lib/api/schema';

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

/* Billing terms and the payee account, as the lab's billing settings carry them. */
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

/** A line of an uploaded bank statement; status matched (paid an invoice), suggested (waits for a
 * person to confirm), unmatched, or resolved (matched or dismissed by hand). */
export type BankLine = components['schemas']['BankLine'];
export type BankLineStatus = BankLine['status'];
export type StatementCounts = components['schemas']['BankStatementResult'];

/** How an invoice can be paid now (card only when the processor is configured and the lab takes cards). */
export type PaymentMethod = 'bank_transfer' | 'voucher' | 'card';
