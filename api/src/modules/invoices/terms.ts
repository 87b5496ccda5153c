import type { BillingTerms, DbOrTx, PayeeAccount } from '@qihub/db';
import * as repo from './repository.ts';

export const DEFAULT_TERMS = { terms: 'on_delivery' as BillingTerms, dueDays: 15, monthlyDueDays: 30, taxRateBp: 600 };

export interface ResolvedTerms {
  terms: BillingTerms;
  /** Days from the invoice to its due date. */
  dueDays: number;
  taxRateBp: number;
  payee: PayeeAccount;
}

/** The issuer's terms for this customer: its per-customer override, else its defaults. */
export async function termsFor(tx: DbOrTx, issuerId: string, customerOrgId: string): Promise<ResolvedTerms> {
  const s = await repo.findSettings(tx, issuerId);
  const own = await repo.findCustomerTerms(tx, issuerId, customerOrgId);
  const terms = own?.terms ?? s?.terms ?? DEFAULT_TERMS.terms;
  const base =
    terms === 'monthly' ? (s?.monthlyDueDays ?? DEFAULT_TERMS.monthlyDueDays) : (s?.dueDays ?? DEFAULT_TERMS.dueDays);
  return {
    terms,
    dueDays: own?.dueDays ?? base,
    taxRateBp: s?.taxRateBp ?? DEFAULT_TERMS.taxRateBp,
    payee: { accountName: s?.accountName ?? '', bankName: s?.bankName ?? '', accountNumber: s?.accountNumber ?? '' },
  };
}
