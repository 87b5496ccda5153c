import type { DbOrTx, FapiaoRequest } from '@qihub/db';
import { money } from '../../lib/money.ts';
import { findOrganisationNames } from '../../lib/repository/organisation-names.ts';

/** Views of requests (with their invoice's number), in the order given. */
export async function requestViews(db: DbOrTx, rows: readonly { request: FapiaoRequest; invoiceNumber: string }[]) {
  const ids = [...new Set(rows.flatMap((r) => [r.request.labId, r.request.customerOrgId]))];
  const names = new Map((ids.length > 0 ? await findOrganisationNames(db, ids) : []).map((o) => [o.id, o]));
  const named = (id: string) => ({ id, nameZh: names.get(id)?.nameZh ?? '', nameEn: names.get(id)?.nameEn ?? '' });
  return rows.map(({ request: r, invoiceNumber }) => ({
    id: r.id,
    invoiceId: r.invoiceId,
    invoiceNumber,
    lab: named(r.labId),
    customer: named(r.customerOrgId),
    type: r.type,
    status: r.status,
    title: r.title,
    amount: money(r.amountFen, r.currency),
    tax: money(r.taxFen, r.currency),
    amountExcludingTax: money(r.amountFen - r.taxFen, r.currency),
    taxRates: r.rates.map((s) => s.rateBp / 10_000),
    note: r.note,
    requestedAt: r.requestedAt.toISOString(),
    fapiaoNumber: r.fapiaoNumber,
    issuedOn: r.issuedOn,
    labNote: r.labNote,
    rejectReason: r.rejectReason,
    decidedAt: r.decidedAt?.toISOString() ?? null,
    taxSystem: 'recorded_by_lab' as const,
  }));
}
