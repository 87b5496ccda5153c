import type { Db, DbOrTx, Invoice } from '@qihub/db';
import { requireActor, type Actor } from '../../lib/actor.ts';
import { decodeCursor, encodeCursor } from '../../lib/cursor.ts';
import { badRequest, notFound } from '../../lib/errors.ts';
import { canSeeInvoice, customerOrgs, issuerOrgs } from './access.ts';
import { amountDue } from './amounts.ts';
import { renderPaymentNotice } from './pdf.ts';
import * as repo from './repository.ts';
import { invoiceViews } from './view.ts';

export interface InvoiceDeps {
  db: Db;
  clock: () => Date;
}

export interface InvoiceListQuery {
  limit?: number;
  cursor?: string;
  status?: Invoice['status'];
  labId?: string;
  customerOrgId?: string;
  from?: string;
  to?: string;
}

/** A customer's organisations' invoices and its labs' own, newest first. */
export async function listInvoices(deps: InvoiceDeps, actor: Actor | null, q: InvoiceListQuery) {
  const a = requireActor(actor);
  if (q.from && q.to && q.from > q.to) throw badRequest('invalid_range', '`from` must not be after `to`.');
  const limit = q.limit ?? 20;
  const after = q.cursor ? decodeCursor(q.cursor, 'invoices', 'timestamptz') : undefined;
  const rows = await repo.listInvoices(deps.db, {
    customerOrgs: customerOrgs(a),
    labs: issuerOrgs(a),
    status: q.status,
    labId: q.labId,
    customerOrgId: q.customerOrgId,
    from: q.from,
    to: q.to,
    after: after ? { issuedAt: new Date(String(after.key)), id: after.id } : undefined,
    limit: limit + 1,
  });
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return {
    items: await invoiceViews(deps.db, items, deps.clock()),
    nextCursor: rows.length > limit && last ? encodeCursor('invoices', last.issuedAt.toISOString(), last.id) : null,
  };
}

export async function getInvoice(deps: InvoiceDeps, actor: Actor | null, id: string) {
  const a = requireActor(actor);
  const inv = await repo.findInvoice(deps.db, id);
  if (!inv || !canSeeInvoice(a, inv)) throw notFound('invoice');
  const [view] = await invoiceViews(deps.db, [inv], deps.clock());
  return view!;
}

/** The payment notice (付款通知书) PDF of an invoice the caller may see. */
export async function invoicePdf(deps: InvoiceDeps, actor: Actor | null, id: string) {
  const a = requireActor(actor);
  const inv = await repo.findInvoice(deps.db, id);
  if (!inv || !canSeeInvoice(a, inv)) throw notFound('invoice');
  const [view] = await invoiceViews(deps.db, [inv], deps.clock());
  const lines = await repo.linesOf(deps.db, [inv.id]);
  const bytes = await renderPaymentNotice({
    number: inv.number,
    kind: inv.kind,
    status: inv.status,
    issuerNameZh: view!.lab.nameZh,
    customerNameZh: view!.customer.nameZh,
    issuedAt: inv.issuedAt,
    dueDate: inv.dueDate,
    lines: lines.map((l) => ({ description: l.descriptionZh, amountFen: l.amountFen, taxRateBp: l.taxRateBp })),
    totalFen: inv.totalFen,
    taxFen: view!.tax.amount,
    voucherShareFen: inv.voucherShareFen,
    amountPaidFen: inv.amountPaidFen,
    amountCreditedFen: inv.amountCreditedFen,
    amountDueFen: amountDue(inv),
    paymentReference: inv.paymentReference,
    payee: inv.payee,
    reason: inv.reason,
  });
  return { number: inv.number, bytes };
}

/**
 * How an order stands with its money: the invoice of its charge and whether anything is still due
 * on it. Undefined when the order was never charged (nothing to pay) or its line waits for the
 * month's invoice (月结: not due yet).
 */
export async function orderPayment(db: DbOrTx, orderId: string) {
  const inv = await repo.invoiceOfOrder(db, orderId);
  if (!inv) return undefined;
  return {
    invoiceId: inv.id,
    terms: inv.terms,
    status: inv.status,
    amountDueFen: amountDue(inv),
    currency: inv.currency,
  };
}

/**
 * Whether the customer has paid what it owes for the order's work, as pay-on-delivery needs before
 * the report is released: true when nothing is due on the order's invoice, when it has none (never
 * charged) and on a monthly account (the month's invoice is not tied to one report).
 */
export async function orderPaid(db: DbOrTx, orderId: string): Promise<boolean> {
  const p = await orderPayment(db, orderId);
  return !p || p.terms === 'monthly' || p.amountDueFen === 0;
}

/** A paid invoice and the orders charged on it (what `invoices.paid` continues); undefined unless paid. */
export async function paidInvoiceOrders(db: DbOrTx, invoiceId: string) {
  const inv = await repo.findInvoice(db, invoiceId);
  if (!inv || inv.status !== 'paid') return undefined;
  return { invoice: inv, orderIds: await repo.orderIdsOf(db, invoiceId) };
}
