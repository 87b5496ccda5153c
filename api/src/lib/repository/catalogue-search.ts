import { sql, type SQL } from 'drizzle-orm';
import type { DbOrTx } from '@qihub/db';
import { decodeCursor, type CursorKey, type CursorKeyType } from '../cursor.ts';
import { regionPrefix } from '../region.ts';

/** Shared pieces of the instrument and service catalogue queries. */
export type SortOrder = 'relevance' | 'name' | 'price_asc' | 'price_desc' | 'newest';

export interface SortPlan {
  /** SQL expression for the sort key (compared with the cursor's key). */
  key: SQL;
  direction: 'asc' | 'desc';
  /** Cast applied to the cursor value so comparison uses the key's type. */
  cast: CursorKeyType;
}

/**
 * Each whitespace-separated term must appear somewhere in the search text. Substring matching
 * works for Chinese (no word boundaries) as well as English; the trigram index serves terms of
 * three or more characters.
 */
export function termConditions(column: SQL, q: string | undefined): SQL[] {
  return searchTerms(q).map((term) => sql`${column} LIKE ${'%' + escapeLike(term) + '%'}`);
}

export function searchTerms(q: string | undefined): string[] {
  return (q ?? '')
    .toLowerCase()
    .split(/[\s,，、;；]+/u)
    .map((t) => t.trim())
    .filter(Boolean)
    .slice(0, 8);
}

function escapeLike(term: string): string {
  return term.replace(/[\\%_]/g, (c) => `\\${c}`);
}

export function regionCondition(column: SQL, region: string | undefined): SQL | undefined {
  return region ? sql`${column} LIKE ${regionPrefix(region) + '%'}` : undefined;
}

/** The lab holds a qualification of this kind that is valid on `today`. */
export function qualificationCondition(labId: SQL, kind: 'cma' | 'cnas' | undefined, today: string): SQL | undefined {
  if (!kind) return undefined;
  return sql`EXISTS (SELECT 1 FROM lab_qualifications lq WHERE lq.lab_id = ${labId} AND lq.kind = ${kind}
    AND lq.valid_until >= ${today}::date AND lq.issued_on <= ${today}::date
    AND (lq.withdrawn_on IS NULL OR lq.withdrawn_on > ${today}::date))`;
}

export function validQualificationKinds(labId: SQL, today: string): SQL {
  return sql`ARRAY(SELECT DISTINCT lq.kind::text FROM lab_qualifications lq WHERE lq.lab_id = ${labId}
    AND lq.valid_until >= ${today}::date AND lq.issued_on <= ${today}::date
    AND (lq.withdrawn_on IS NULL OR lq.withdrawn_on > ${today}::date) ORDER BY 1)`;
}

export function cursorCondition(plan: SortPlan, idColumn: SQL, cursor: { key: CursorKey; id: string } | undefined) {
  if (!cursor) return undefined;
  const value = sql`${cursor.key}::${sql.raw(plan.cast)}`;
  return plan.direction === 'asc'
    ? sql`(${plan.key}, ${idColumn}) > (${value}, ${cursor.id}::uuid)`
    : sql`(${plan.key}, ${idColumn}) < (${value}, ${cursor.id}::uuid)`;
}

export function orderBy(plan: SortPlan, idColumn: SQL): SQL {
  const dir = sql.raw(plan.direction.toUpperCase());
  return sql`${plan.key} ${dir}, ${idColumn} ${dir}`;
}

export function and(conditions: (SQL | undefined)[]): SQL {
  const present = conditions.filter((c): c is SQL => c !== undefined);
  return present.length === 0 ? sql`TRUE` : sql.join(present, sql` AND `);
}

/** The SQL type of each order's sort key; cursors are checked against it before they reach SQL. */
export function sortKeyType(sort: SortOrder, q: string | undefined): CursorKeyType {
  switch (sort) {
    case 'price_asc':
    case 'price_desc':
      return 'int';
    case 'newest':
      return 'timestamptz';
    case 'relevance':
      return searchTerms(q).length > 0 ? 'real' : 'text';
    default:
      return 'text';
  }
}

/** Sort plans over a price column (nulls — "price on request" — always last) and the other orders. */
export function sortPlan(
  sort: SortOrder,
  cols: { name: SQL; price: SQL; createdAt: SQL; search: SQL },
  q: string | undefined,
): SortPlan {
  const cast = sortKeyType(sort, q);
  switch (sort) {
    case 'price_asc':
      return { key: sql`coalesce(${cols.price}, 2147483647)`, direction: 'asc', cast };
    case 'price_desc':
      return { key: sql`coalesce(${cols.price}, -1)`, direction: 'desc', cast };
    case 'newest':
      return { key: sql`date_trunc('milliseconds', ${cols.createdAt})`, direction: 'desc', cast };
    case 'relevance':
      if (cast === 'real') {
        return { key: sql`similarity(${cols.search}, ${searchTerms(q).join(' ')})`, direction: 'desc', cast };
      }
      return { key: cols.name, direction: 'asc', cast };
    default:
      return { key: cols.name, direction: 'asc', cast };
  }
}

/** Decodes a list cursor and checks its key against the type of the sort key it will be compared with. */
export function decodeSortCursor(cursor: string | undefined, sort: SortOrder, q: string | undefined) {
  return cursor ? decodeCursor(cursor, sort, sortKeyType(sort, q)) : undefined;
}

/** The columns of one catalogue (instruments or services) that its searches sort and filter on. */
export interface CatalogueColumns {
  id: SQL;
  name: SQL;
  price: SQL;
  createdAt: SQL;
  search: SQL;
  status: SQL;
  labId: SQL;
  region: SQL;
}

/** The columns of a catalogue whose table is aliased `t`, with its price and region columns named. */
export function catalogueColumns(t: string, price: string, region: string): CatalogueColumns {
  const column = (name: string) => sql.raw(`${t}.${name}`);
  return {
    id: column('id'),
    name: column('name_zh'),
    price: sql.raw(price),
    createdAt: column('created_at'),
    search: column('search_text'),
    status: column('status'),
    labId: column('lab_id'),
    region: sql.raw(region),
  };
}

/** What either catalogue's search may ask. */
export interface CatalogueSearch {
  q?: string;
  region?: string;
  lab?: string;
  qualification?: 'cma' | 'cnas';
  minPrice?: number;
  maxPrice?: number;
  statuses: readonly string[];
  sort: SortOrder;
  limit: number;
  cursor?: { key: CursorKey; id: string };
  today: string;
}

/**
 * The conditions the instrument and service searches share: one of the statuses (as `statusType`), the
 * search terms, the region, the lab, a valid qualification, the price range and the page's cursor.
 */
function catalogueConditions(
  cols: CatalogueColumns,
  statusType: 'instrument_status' | 'service_status',
  plan: SortPlan,
  s: CatalogueSearch,
): (SQL | undefined)[] {
  return [
    sql`${cols.status} IN (${sql.join(
      s.statuses.map((st) => sql`${st}::${sql.raw(statusType)}`),
      sql`, `,
    )})`,
    ...termConditions(cols.search, s.q),
    regionCondition(cols.region, s.region),
    s.lab ? sql`${cols.labId} = ${s.lab}::uuid` : undefined,
    qualificationCondition(cols.labId, s.qualification, s.today),
    s.minPrice !== undefined ? sql`${cols.price} >= ${s.minPrice}` : undefined,
    s.maxPrice !== undefined ? sql`${cols.price} <= ${s.maxPrice}` : undefined,
    cursorCondition(plan, cols.id, s.cursor),
  ];
}

/**
 * One page (and one row more) of a catalogue search: the rows `select` builds around the sort key,
 * under the shared conditions and the catalogue's `own`, in the order asked.
 */
export async function searchCatalogue<Row>(
  db: DbOrTx,
  cols: CatalogueColumns,
  statusType: 'instrument_status' | 'service_status',
  s: CatalogueSearch,
  select: (sortKey: SQL) => SQL,
  own: (SQL | undefined)[],
): Promise<Row[]> {
  const plan = sortPlan(s.sort, cols, s.q);
  const where = and([...catalogueConditions(cols, statusType, plan, s), ...own]);
  const result = await db.execute(sql`${select(plan.key)}
    WHERE ${where}
    ORDER BY ${orderBy(plan, cols.id)}
    LIMIT ${s.limit + 1}`);
  return result.rows as unknown as Row[];
}
