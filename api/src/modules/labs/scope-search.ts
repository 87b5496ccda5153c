import type { Db } from '@qihub/db';
import { decodeCursor, encodeCursor } from '../../lib/cursor.ts';
import { regionPrefix } from '../../lib/region.ts';
import { localDate } from '../../lib/time.ts';
import { standardPattern } from '../../lib/standard-number.ts';
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
