import type { Db } from '@qihub/db';
import { decodeCursor, encodeCursor } from '../../lib/cursor.ts';
import { regionPrefix } from '../../lib/region.ts';
import { localDate } from '../../lib/time.ts';
import * as repo from './repository.ts';

/**
 * 按资质范围找实验室: an SME knows the standard its customer or a regulator named (GB/T 10125) or the
 * test (中性盐雾), and needs a lab whose CMA / CNAS scope covers it — a report carries the CMA mark
 * only inside a scope valid on the day. Only admitted labs and certificates valid today count.
 */
export interface ScopeSearchQuery {
  q: string;
  region?: string;
  limit?: number;
  cursor?: string;
}

const CURSOR_SORT = 'scope-name';
// Every dash a Chinese or Western keyboard produces, folded to "-" (NFKC leaves these alone).
const DASHES = /[\u2010-\u2015\u2212\u2e3a\u2e3b\ufe58]/g;

/**
 * The standard-number part of the query as a regular expression over the stored code without spaces:
 * "GB/T 10125", "gb/t10125" and "10125" all find "GB/T 10125-2021", but "10125" does not find
 * "GB/T 101250" nor "25" find "GB/T 10125". Null when the query has no digit (a parameter only).
 */
export function standardPattern(query: string): string | null {
  const compact = query.normalize('NFKC').toUpperCase().replace(DASHES, '-').replace(/\s+/g, '');
  if (!/[0-9]/.test(compact)) return null;
  const escaped = compact.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&');
  const head = /^[0-9]/.test(compact) ? '(^|[^0-9.])' : '';
  const tail = /[0-9]$/.test(compact) ? '([^0-9]|$)' : '';
  return `${head}${escaped}${tail}`;
}

export async function searchScope(deps: { db: Db; clock: () => Date }, query: ScopeSearchQuery) {
  const limit = query.limit ?? 20;
  const text = query.q.normalize('NFKC').trim().toLowerCase();
  const filter: repo.ScopeSearchFilter = {
    standardPattern: standardPattern(query.q),
    text,
    regionPrefix: query.region ? regionPrefix(query.region) : '',
    today: localDate(deps.clock()),
  };
  const after = query.cursor ? decodeCursor(query.cursor, CURSOR_SORT, 'text') : null;
  const labs = await repo.labsWithScopeMatching(
    deps.db,
    filter,
    after ? { nameZh: after.key as string, id: after.id } : null,
    limit + 1,
  );
  const page = labs.slice(0, limit);
  const matches = await repo.scopeMatchesOf(
    deps.db,
    filter,
    page.map((l) => l.id),
  );
  const last = page.at(-1);
  return {
    items: page.map((lab) => ({
      ...lab,
      matches: matches.filter((m) => m.labId === lab.id).map(({ labId: _labId, ...m }) => m),
    })),
    nextCursor: labs.length > limit && last ? encodeCursor(CURSOR_SORT, last.nameZh, last.id) : null,
  };
}
