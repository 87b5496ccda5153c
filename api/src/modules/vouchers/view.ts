import type { DbOrTx, VoucherApplication, VoucherClaim, VoucherProgramme } from '@qihub/db';
import { decodeCursor, encodeCursor } from '../../lib/cursor.ts';
import { money } from '../../lib/money.ts';
import { findOrganisationNames } from '../../lib/repository/organisation-names.ts';

export type Names = Map<string, { nameZh: string; nameEn: string }>;

export async function namesOf(db: DbOrTx, ids: string[]): Promise<Names> {
  const rows = await findOrganisationNames(db, [...new Set(ids)]);
  return new Map(rows.map((r) => [r.id, { nameZh: r.nameZh, nameEn: r.nameEn }]));
}

const named = (names: Names, id: string) => ({
  id,
  nameZh: names.get(id)?.nameZh ?? '',
  nameEn: names.get(id)?.nameEn ?? '',
});

export function programmeView(p: VoucherProgramme, names: Names) {
  return {
    id: p.id,
    issuer: named(names, p.issuerOrgId),
    regionCode: p.regionCode,
    nameZh: p.nameZh,
    nameEn: p.nameEn,
    shareBp: p.shareBp,
    cap: money(p.capFen),
    eligibleKinds: p.eligibleKinds,
    validFrom: p.validFrom,
    validTo: p.validTo,
    status: p.status,
    createdAt: p.createdAt.toISOString(),
  };
}

export function applicationView(a: VoucherApplication, p: VoucherProgramme, names: Names) {
  return {
    id: a.id,
    programme: { id: p.id, nameZh: p.nameZh, nameEn: p.nameEn, shareBp: p.shareBp },
    enterprise: named(names, a.enterpriseOrgId),
    year: a.year,
    requested: money(a.requestedFen),
    purpose: a.purpose,
    status: a.status,
    quota: money(a.quotaFen),
    remaining: money(a.remainingFen),
    reason: a.reason,
    decidedAt: a.decidedAt?.toISOString() ?? null,
    createdAt: a.createdAt.toISOString(),
  };
}

export function claimView(c: VoucherClaim, p: VoucherProgramme) {
  return {
    id: c.id,
    programme: { id: p.id, nameZh: p.nameZh, nameEn: p.nameEn },
    labId: c.labId,
    invoiceId: c.invoiceId,
    amount: money(c.amountFen),
    paid: money(c.paidFen),
    status: c.status,
    reason: c.reason,
    submittedAt: c.submittedAt.toISOString(),
    decidedAt: c.decidedAt?.toISOString() ?? null,
    paidAt: c.paidAt?.toISOString() ?? null,
    evidenceUrl: `/v1/labs/${c.labId}/voucher-claims/${c.id}/evidence.zip`,
  };
}

/** Keyset cursors over (created/submitted at, id), newest first, tagged with the list's name. */
export function page<T, R>(
  rows: R[],
  limit: number,
  sort: string,
  keyOf: (r: R) => { at: Date; id: string },
  map: (r: R) => T,
) {
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return {
    items: items.map(map),
    nextCursor: rows.length > limit && last ? encodeCursor(sort, keyOf(last).at.toISOString(), keyOf(last).id) : null,
  };
}

export function afterCursor(cursor: string | undefined, sort: string) {
  if (!cursor) return undefined;
  const c = decodeCursor(cursor, sort, 'timestamptz');
  return { createdAt: new Date(String(c.key)), id: c.id };
}
