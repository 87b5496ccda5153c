import type { DbOrTx, Invoice, Tx } from '@qihub/db';
import { post } from '../ledger/index.ts';
import { amountDue } from './billing.ts';
import * as repo from './repository.ts';

/**
 * The voucher split of an invoice (创新券): part of what the customer owes becomes what the
 * programme's issuer owes the lab. Never an edit of the invoice's lines or total — only of who pays
 * how much of it — so an issued invoice stays as issued.
 */

function statusOf(inv: Invoice): Invoice['status'] {
  if (inv.status === 'void') return 'void';
  if (amountDue({ ...inv, status: 'open' }) > 0) return inv.amountPaidFen > 0 ? 'partially_paid' : 'open';
  return 'paid';
}

/** Locks an invoice row for a voucher change (the caller's transaction). */
export async function lockInvoiceForVoucher(tx: Tx, invoiceId: string): Promise<Invoice | undefined> {
  return repo.findInvoice(tx, invoiceId, true);
}

/** An invoice as stored (no lock), for reading it into an evidence pack. */
export async function invoiceById(db: DbOrTx, invoiceId: string): Promise<Invoice | undefined> {
  return repo.findInvoice(db, invoiceId);
}

/**
 * Moves `amount` of a locked invoice from the customer's receivable to the programme's: Dr
 * voucher_receivable (issuer) / Cr receivable (invoice), and the invoice's voucher share. The caller
 * checked eligibility and holds the invoice's row lock; `amount` is at most what is due.
 */
export async function applyVoucherShare(
  tx: Tx,
  invoice: Invoice,
  v: { amount: number; issuerOrgId: string; at: Date; sourceId: string; memo: string },
): Promise<Invoice> {
  if (v.amount <= 0 || v.amount > amountDue(invoice)) throw new RangeError('voucher share beyond the amount due');
  await post(tx, {
    book: invoice.labId,
    kind: 'voucher_share',
    source: { kind: 'voucher_use', id: v.sourceId },
    memo: `${invoice.number} ${v.memo}`.trim(),
    at: v.at,
    entries: [
      { code: 'voucher_receivable', counterparty: v.issuerOrgId, amount: v.amount },
      { code: 'receivable', counterparty: invoice.customerOrgId, amount: -v.amount, invoiceId: invoice.id },
    ],
  });
  const next = { ...invoice, voucherShareFen: invoice.voucherShareFen + v.amount };
  const status = statusOf(next);
  return repo.updateInvoice(tx, invoice.id, {
    voucherShareFen: next.voucherShareFen,
    status,
    paidAt: status === 'paid' && invoice.status !== 'paid' ? v.at : invoice.paidAt,
    updatedAt: v.at,
  });
}

/**
 * Bills a voucher share back to the customer (a rejected or voided redemption claim): the reverse
 * of `applyVoucherShare` — Dr receivable (invoice) / Cr voucher_receivable (issuer) — so the same
 * invoice, with its payment reference, is due again for that share. No new revenue: the work was
 * invoiced once, only who pays for it changes.
 */
export async function billVoucherShareBack(
  tx: Tx,
  invoice: Invoice,
  v: { amount: number; issuerOrgId: string; at: Date; sourceId: string; memo: string },
): Promise<Invoice> {
  if (v.amount <= 0 || v.amount > invoice.voucherShareFen) throw new RangeError('more than the voucher share');
  await post(tx, {
    book: invoice.labId,
    kind: 'voucher_share_reversal',
    source: { kind: 'voucher_claim', id: v.sourceId },
    memo: `${invoice.number} ${v.memo}`.trim(),
    at: v.at,
    entries: [
      { code: 'receivable', counterparty: invoice.customerOrgId, amount: v.amount, invoiceId: invoice.id },
      { code: 'voucher_receivable', counterparty: v.issuerOrgId, amount: -v.amount },
    ],
  });
  const next = { ...invoice, voucherShareFen: invoice.voucherShareFen - v.amount };
  const status = statusOf(next);
  return repo.updateInvoice(tx, invoice.id, {
    voucherShareFen: next.voucherShareFen,
    status,
    paidAt: status === 'paid' ? invoice.paidAt : null,
    updatedAt: v.at,
  });
}

/**
 * The programme's payment for a redeemed share, in the lab's book: Dr bank / Cr voucher_receivable
 * (issuer). The invoice is untouched — it was settled for the customer when the share was applied.
 */
export async function recordVoucherReceipt(
  tx: Tx,
  r: { labId: string; issuerOrgId: string; amount: number; at: Date; sourceId: string; memo: string },
): Promise<void> {
  await post(tx, {
    book: r.labId,
    kind: 'voucher_payment',
    source: { kind: 'voucher_claim_payment', id: r.sourceId },
    memo: r.memo,
    at: r.at,
    entries: [
      { code: 'bank', amount: r.amount },
      { code: 'voucher_receivable', counterparty: r.issuerOrgId, amount: -r.amount },
    ],
  });
}
