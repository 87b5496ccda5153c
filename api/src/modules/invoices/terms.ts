import type { BillingTerms, DbOrTx, PayeeAccount } from '@qihub/db';
import * as repo from './repository.ts';

export const DEFAULT_TERMS = { terms: 'on_delivery' as BillingTerms, dueDays: 15, monthlyDueDays: 30, taxRateBp: 600 };

export interface ResolvedTerms {
  terms: BillingTerms;
  /** Days from the invoice to its due date. */
  dueDays: number;
  taxRateBp: number;
  payee: PayeeAccount;
  /** The customer's credit with the issuer (fen) as read with the terms; a hint — spending it re-reads under a lock. */
  customerCreditFen?: number;
}

/** The issuer's terms for this customer (its per-customer override, else its defaults) and the customer's credit, in one query. */
export async function termsFor(tx: DbOrTx, issuerId: string, customerOrgId: string): Promise<ResolvedTerms> {
  const r = await repo.findTermsRows(tx, issuerId, customerOrgId);
  const terms = r.own_terms ?? r.terms ?? DEFAULT_TERMS.terms;
  const base =
    terms === 'monthly' ? (r.monthly_due_days ?? DEFAULT_TERMS.monthlyDueDays) : (r.due_days ?? DEFAULT_TERMS.dueDays);
  return {
    terms,
    dueDays: r.own_due_days ?? base,
    taxRateBp: r.tax_rate_bp ?? DEFAULT_TERMS.taxRateBp,
    payee: { accountName: r.account_name ?? '', bankName: r.bank_name ?? '', accountNumber: r.account_number ?? '' },
    customerCreditFen: Number(r.customer_credit ?? 0),
  };
}
