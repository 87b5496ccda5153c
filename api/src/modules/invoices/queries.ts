import type { Db, Invoice } from '@qihub/db';
import { requireActor, type Actor } from '../../lib/actor.ts';
import { decodeCursor, encodeCursor } from '../../lib/cursor.ts';
import { badRequest, notFound } from '../../lib/errors.ts';
import { canSeeInvoice, customerOrgs, issuerOrgs } from './access.ts';
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
