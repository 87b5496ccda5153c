import type { Invoice } from '$lib/finance/types';
import type { Quota, ServiceKind } from './types';

/** The programme's part of an amount: share × amount, rounded down (as the API reckons it). */
export function voucherPart(amount: number, shareBp: number): number {
  return Math.floor((amount * shareBp) / 10_000);
}

/** Why a quota cannot be used on an invoice, in the words the page explains. */
export type Unusable = 'not_open' | 'currency' | 'closed' | 'kind' | 'exhausted';

export type VoucherOption =
  | { quota: Quota; usable: true; voucher: number; selfPaid: number }
  | { quota: Quota; usable: false; why: Unusable; kinds: ServiceKind[] };

/**
 * What the customer's quotas could do for an invoice, before it is paid: the programme takes
 * min(share × amount due, quota left), the rest stays due. A preview only — the API decides (it also
 * checks that the lab is admitted to the programme's region), and the page shows its refusal.
 * `kinds` are the invoice's service kinds when known (null: not known, not held against it).
 */
export function voucherOptions(
  invoice: Pick<Invoice, 'kind' | 'status' | 'amountPaid' | 'voucherShare' | 'amountDue' | 'customerOrgId'>,
  quotas: readonly Quota[],
  kinds: readonly ServiceKind[] | null,
  today: string,
): VoucherOption[] {
  const mine = quotas.filter((q) => q.enterprise.id === invoice.customerOrgId && q.quota.amount > 0);
  const open =
    invoice.kind === 'invoice' &&
    invoice.status === 'open' &&
    invoice.amountPaid.amount === 0 &&
    invoice.voucherShare.amount === 0 &&
    invoice.amountDue.amount > 0;
  return mine.map((quota): VoucherOption => {
    const p = quota.programme;
    const no = (why: Unusable, outside: ServiceKind[] = []): VoucherOption => ({
      quota,
      usable: false,
      why,
      kinds: outside,
    });
    if (!open) return no('not_open');
    if (invoice.amountDue.currency !== 'CNY') return no('currency');
    if (today < p.validFrom || today > p.validTo) return no('closed');
    const outside = (kinds ?? []).filter((k) => !p.eligibleKinds.includes(k));
    if (kinds !== null && (kinds.length === 0 || outside.length > 0)) return no('kind', outside);
    if (quota.remaining.amount <= 0) return no('exhausted');
    const voucher = Math.min(voucherPart(invoice.amountDue.amount, p.shareBp), quota.remaining.amount);
    if (voucher <= 0) return no('exhausted');
    return { quota, usable: true, voucher, selfPaid: invoice.amountDue.amount - voucher };
  });
}

/** 5000 → "50%", 3333 → "33.33%". */
export function sharePercent(bp: number): string {
  return `${bp / 100}%`;
}
