import type { Invoice, Tx } from '@qihub/db';
import { enqueueAfterCommit } from '../../lib/audit.ts';
import { issueInvoice, postAccrual } from './billing.ts';
import * as repo from './repository.ts';
import { termsFor } from './terms.ts';

/**
 * What becomes of a voided invoice's charges (作废后):
 * - `reissue`: a corrected invoice (new number, new payment reference, today's payee account) on the
 *   same terms; an order waiting for the prepayment now waits for the new one.
 * - `release`: billed again without prepayment — on the customer's monthly account (月结) when it
 *   has one, else an invoice payable on delivery (the report waits for it) — and the orders that
 *   waited in `accepted` go on.
 * Without either the charges are forgiven, which the lab may not choose while an order waits.
 */
export const AFTER_VOID = ['reissue', 'release'] as const;
export type AfterVoid = (typeof AFTER_VOID)[number];

/**
 * Bills a just-voided invoice's lines again, in the void's transaction: the old lines stay on the
 * void invoice as issued but are superseded, and copies become the charges' only live lines (the
 * partial unique index on (source, charge) holds: a charge is billed exactly once net of voids).
 * The void posted the reversal; the new invoice (or accrual) posts the charge again. Returns the
 * new invoice, or null when the lines wait for the month's invoice.
 */
export async function rebillVoided(
  tx: Tx,
  voided: Invoice,
  then: AfterVoid,
  awaitingOrderIds: string[],
  at: Date,
): Promise<Invoice | null> {
  const old = await repo.supersedeLines(tx, voided.id, at);
  const lines = [];
  for (const l of old) {
    const { id: _id, invoiceId: _inv, supersededAt: _sup, createdAt: _created, ...charge } = l;
    const line = await repo.insertLineOnce(tx, { ...charge, invoiceId: null });
    // The old line was the live one, so nothing else can hold its (source, charge).
    if (!line) throw new Error(`charge ${l.sourceKind}:${l.sourceId}:${l.charge} is live twice`);
    lines.push(line);
  }
  if (lines.length === 0) return null;
  const terms = await termsFor(tx, voided.labId, voided.customerOrgId);
  let invoice: Invoice | null = null;
  if (then === 'reissue') {
    invoice = await issueInvoice(tx, {
      labId: voided.labId,
      customerOrgId: voided.customerOrgId,
      lines,
      accrued: false,
      terms: { ...terms, terms: voided.terms },
      at,
    });
  } else if (terms.terms === 'monthly') {
    for (const line of lines) await postAccrual(tx, line, at);
  } else {
    invoice = await issueInvoice(tx, {
      labId: voided.labId,
      customerOrgId: voided.customerOrgId,
      lines,
      accrued: false,
      terms: { ...terms, terms: 'on_delivery' },
      at,
    });
  }
  if (then === 'release' && awaitingOrderIds.length > 0) {
    await enqueueAfterCommit(
      tx,
      'invoices.prepay-released',
      { invoiceId: voided.id, orderIds: awaitingOrderIds },
      `invoices.prepay-released:${voided.id}`,
    );
  }
  return invoice;
}
