import type { Db } from '@qihub/db';
import { DateTime } from 'luxon';
import { platformScopes, requireActor, type Actor } from '../../lib/actor.ts';
import { badRequest, forbidden, notFound } from '../../lib/errors.ts';
import { cityOf, regionContains, regionPrefix } from '../../lib/region.ts';
import { PLATFORM_TIME_ZONE } from '../../lib/time.ts';
import { regionsByCode, type RegionRow, type Span } from './repository.ts';

/** The region a platform admin asked about, inside their own scope (province → city → station). */
export interface AdminRegion extends RegionRow {
  prefix: string;
  /** What a lab's region code is grouped by below this region: its city under a province, its district under a city. */
  subRegionOf(labRegion: string): string;
}

/**
 * 403 for anyone who is no platform admin; the region asked for (or, without one, the admin's own)
 * when one of the admin's scopes contains it, and otherwise 404 — a city admin asking about another
 * city learns nothing about it, not even that it exists.
 */
export async function adminRegion(db: Db, actor: Actor | null, code: string | undefined): Promise<AdminRegion> {
  const scopes = platformScopes(requireActor(actor));
  if (scopes.length === 0) throw forbidden('Only platform administrators evaluate the programme.');
  const wanted = code ?? scopes[0]!;
  if (!scopes.some((scope) => regionContains(scope, wanted))) throw notFound('region');
  const row = (await regionsByCode(db, [wanted])).get(wanted);
  if (!row) throw notFound('region');
  const prefix = regionPrefix(wanted);
  const subRegionOf = prefix.length === 2 ? cityOf : prefix.length === 4 ? (lab: string) => lab : () => wanted;
  return { ...row, prefix, subRegionOf };
}

/** from..to, inclusive China dates, as instants [start of from, start of the day after to). */
export function spanOf(from: string, to: string): Span {
  if (from > to) throw badRequest('invalid_range', '`from` must not be after `to`.');
  return {
    start: DateTime.fromISO(from, { zone: PLATFORM_TIME_ZONE }).toJSDate(),
    end: DateTime.fromISO(to, { zone: PLATFORM_TIME_ZONE }).plus({ days: 1 }).toJSDate(),
  };
}

/** Names of the sub-regions (codes without a row keep their code as name). */
export async function subRegionNames(db: Db, codes: string[]): Promise<Map<string, RegionRow>> {
  const found = await regionsByCode(db, [...new Set(codes)]);
  return new Map(codes.map((c) => [c, found.get(c) ?? { code: c, nameZh: c, nameEn: c }]));
}
