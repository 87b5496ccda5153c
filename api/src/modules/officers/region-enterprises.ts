import type { DbOrTx } from '@qihub/db';
import { platformScopes, requireActor, type Actor } from '../../lib/actor.ts';
import { decodeCursor, encodeCursor } from '../../lib/cursor.ts';
import { forbidden, notFound } from '../../lib/errors.ts';
import { regionContains, regionPrefix } from '../../lib/region.ts';
import * as repo from './repository.ts';

/**
 * The platform console's enterprises page: the enterprises registered in the admin's region (or a
 * region below it), with size, industry and named officer; and the officers who may be named. A
 * region outside the admin's is answered as not found.
 */
function scopeOf(actor: Actor | null, region: string | undefined): string {
  const a = requireActor(actor);
  const scopes = platformScopes(a, ['admin']);
  if (scopes.length === 0) throw forbidden('Only a platform administrator can list the region’s enterprises.');
  const wanted = region ?? scopes[0]!;
  if (!scopes.some((s) => regionContains(s, wanted))) throw notFound('region');
  return wanted;
}

export async function listRegionEnterprises(
  deps: { db: DbOrTx },
  actor: Actor | null,
  query: { region?: string; limit?: number; cursor?: string },
) {
  const region = scopeOf(actor, query.region);
  const limit = query.limit ?? 20;
  const after = query.cursor ? decodeCursor(query.cursor, 'newest', 'timestamptz') : undefined;
  const rows = await repo.enterprisesUnder(
    deps.db,
    regionPrefix(region),
    limit,
    after ? { key: String(after.key), id: after.id } : undefined,
  );
  const items = rows.slice(0, limit).map((r) => ({
    id: r.id,
    nameZh: r.nameZh,
    nameEn: r.nameEn,
    creditCode: r.creditCode,
    regionCode: r.regionCode,
    size: r.size,
    industryCode: r.industryCode,
    createdAt: new Date(r.createdAt).toISOString(),
    officer: r.officerId ? { id: r.officerId, name: r.officerName!, email: r.officerEmail! } : null,
    platform: r.platformId ? { id: r.platformId, nameZh: r.platformNameZh!, nameEn: r.platformNameEn! } : null,
  }));
  const last = items[items.length - 1];
  return { items, nextCursor: rows.length > limit && last ? encodeCursor('newest', last.createdAt, last.id) : null };
}

/** Service officers an admin may name: those of platforms in the admin's region and below. */
export async function listServiceOfficers(deps: { db: DbOrTx }, actor: Actor | null) {
  const a = requireActor(actor);
  const scopes = platformScopes(a, ['admin']);
  if (scopes.length === 0) throw forbidden('Only a platform administrator can list service officers.');
  const rows = await repo.serviceOfficersUnder(deps.db, [...new Set(scopes.map(regionPrefix))]);
  return {
    items: rows.map((r) => ({
      id: r.id,
      name: r.name,
      email: r.email,
      platform: { id: r.platformId, nameZh: r.platformNameZh, nameEn: r.platformNameEn, regionCode: r.regionCode },
    })),
  };
}
