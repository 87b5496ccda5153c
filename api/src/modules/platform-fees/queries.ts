import type { Db, Invoice, PlatformFeeInvoice } from '@qihub/db';
import type { Actor } from '../../lib/actor.ts';
import { decodeCursor, encodeCursor } from '../../lib/cursor.ts';
import { notFound } from '../../lib/errors.ts';
import { money } from '../../lib/money.ts';
import { invoiceViews } from '../invoices/index.ts';
import { adminRegions, assertLabMember, inScope } from './access.ts';
import * as repo from './repository.ts';

export interface FeeDeps {
  db: Db;
  clock: () => Date;
}

export interface FeeQuery {
  limit?: number;
  cursor?: string;
  status?: Invoice['status'];
  month?: string;
}

async function views(deps: FeeDeps, rows: { fee: PlatformFeeInvoice; invoice: Invoice }[]) {
  const invoices = await invoiceViews(
    deps.db,
    rows.map((r) => r.invoice),
    deps.clock(),
  );
  return rows.map((r, i) => ({
    month: r.fee.month,
    regionCode: r.fee.regionCode,
    rateBp: r.fee.rateBp,
    base: money(r.fee.baseFen, 'CNY'),
    invoice: invoices[i]!,
  }));
}

async function page(deps: FeeDeps, q: FeeQuery, filter: Omit<repo.FeeListFilter, 'limit' | 'after'>) {
  const limit = q.limit ?? 20;
  const after = q.cursor ? decodeCursor(q.cursor, 'platform-fees', 'timestamptz') : undefined;
  const rows = await repo.listFeeInvoices(deps.db, {
    ...filter,
    status: q.status,
    month: q.month,
    after: after ? { issuedAt: new Date(String(after.key)), id: after.id } : undefined,
    limit: limit + 1,
  });
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return {
    items: await views(deps, items),
    nextCursor:
      rows.length > limit && last
        ? encodeCursor('platform-fees', last.invoice.issuedAt.toISOString(), last.invoice.id)
        : null,
  };
}

/** `GET /v1/labs/{labId}/platform-fees`: the platform's fee invoices to the lab, newest first. */
export async function labPlatformFees(deps: FeeDeps, actor: Actor | null, labId: string, q: FeeQuery) {
  assertLabMember(actor, labId);
  return page(deps, q, { labId });
}

/** `GET /v1/admin/platform-fees`: the fee invoices to the labs in the admin's regions. */
export async function adminPlatformFees(deps: FeeDeps, actor: Actor | null, q: FeeQuery) {
  const { prefixes } = adminRegions(actor);
  return page(deps, q, { regionPrefixes: prefixes });
}

/** One fee invoice, for an admin of a region holding the lab; 404 otherwise. */
export async function adminPlatformFee(deps: FeeDeps, actor: Actor | null, invoiceId: string) {
  const { scopes } = adminRegions(actor);
  const row = await repo.findByInvoice(deps.db, invoiceId);
  if (!row || !inScope(scopes, row.labRegion)) throw notFound('platform fee invoice');
  return (await views(deps, [row]))[0]!;
}

/** `GET /v1/admin/fee-rates`: the admin's regions with the rate in force, and every rate set under them. */
export async function adminFeeRates(deps: FeeDeps, actor: Actor | null) {
  const { scopes, prefixes } = adminRegions(actor);
  const items = await repo.ratesUnder(deps.db, prefixes);
  const names = await repo.regionNames(deps.db, scopes);
  // A city admin's rate in force may be its province's, set above its own region.
  const candidatesOf = (code: string) => [code, `${code.slice(0, 4)}00`, `${code.slice(0, 2)}0000`];
  const set = await repo.ratesOf(deps.db, [...new Set(scopes.flatMap(candidatesOf))]);
  const inForce = (code: string) => {
    for (const c of candidatesOf(code)) {
      const hit = set.find((r) => r.regionCode === c);
      if (hit) return hit.rateBp;
    }
    return 0;
  };
  return {
    scopes: [...new Set(scopes)].map((code) => ({
      regionCode: code,
      nameZh: names.get(code) ?? '',
      rateBp: inForce(code),
    })),
    items,
  };
}
