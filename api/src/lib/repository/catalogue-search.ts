import { sql, type SQL } from 'drizzle-orm';
import type { DbOrTx } from '@qihub/db';
import { decodeCursor, type CursorKey, type CursorKeyType } from '../cursor.ts';
import type { StandardTerm } from '../catalogue-query.ts';
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
 * Each term must appear somewhere in the search text. Substring matching works for Chinese (no word
 * boundaries) as well as English; the trigram index serves terms of three or more characters.
 */
export function termConditions(column: SQL, terms: readonly string[]): SQL[] {
  return terms.map((term) => sql`${column} LIKE ${'%' + escapeLike(term) + '%'}`);
}

/** The lab's region starts with one of the prefixes (place words of the query); none: anywhere. */
export function placeCondition(column: SQL, prefixes: readonly string[]): SQL | undefined {
  if (prefixes.length === 0) return undefined;
  return sql`(${sql.join(
    prefixes.map((p) => sql`${column} LIKE ${p + '%'}`),
    sql` OR `,
  )})`;
}

/**
 * The terms, with the words of each standard number also satisfied by `standardMatch` (an instrument
 * found through the standards it is used for) — the other terms must each appear in the text.
 */
export function termsWithStandards(
  column: SQL,
  terms: readonly string[],
  standards: readonly StandardTerm[],
  standardMatch?: (pattern: string) => SQL,
): SQL[] {
  if (!standardMatch || standards.length === 0) return termConditions(column, terms);
  const inStandard = new Set(standards.flatMap((st) => st.words));
  return [
    ...termConditions(
      column,
      terms.filter((t) => !inStandard.has(t)),
    ),
    ...standards.map((st) => sql`((${and(termConditions(column, st.words))}) OR ${standardMatch(st.pattern)})`),
  ];
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
export function sortKeyType(sort: SortOrder, terms: readonly string[]): CursorKeyType {
  switch (sort) {
    case 'price_asc':
    case 'price_desc':
      return 'int';
    case 'newest':
      return 'timestamptz';
    case 'relevance':
      return terms.length > 0 ? 'real' : 'text';
    default:
      return 'text';
  }
}

/** Sort plans over a price column (nulls — "price on request" — always last) and the other orders. */
export function sortPlan(
  sort: SortOrder,
  cols: { name: SQL; price: SQL; createdAt: SQL; search: SQL },
  terms: readonly string[],
): SortPlan {
  const cast = sortKeyType(sort, terms);
  switch (sort) {
    case 'price_asc':
      return { key: sql`coalesce(${cols.price}, 2147483647)`, direction: 'asc', cast };
    case 'price_desc':
      return { key: sql`coalesce(${cols.price}, -1)`, direction: 'desc', cast };
    case 'newest':
      return { key: sql`date_trunc('milliseconds', ${cols.createdAt})`, direction: 'desc', cast };
    case 'relevance':
      if (cast === 'real') {
        return { key: sql`similarity(${cols.search}, ${terms.join(' ')})`, direction: 'desc', cast };
      }
      return { key: cols.name, direction: 'asc', cast };
    default:
      return { key: cols.name, direction: 'asc', cast };
  }
}

/** Decodes a list cursor and checks its key against the type of the sort key it will be compared with. */
export function decodeSortCursor(cursor: string | undefined, sort: SortOrder, terms: readonly string[]) {
  return cursor ? decodeCursor(cursor, sort, sortKeyType(sort, terms)) : undefined;
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
  /** The row is found through a standard number (instruments: the standards they are used for). */
  standardMatch?: (pattern: string, today: string) => SQL;
  /** FROM and joins of the rows (`regions city` joined on the region's city), for counts. */
  from?: SQL;
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
  /** Words of the query that must appear in the search text (see catalogue-query.ts). */
  terms: readonly string[];
  /** Standard numbers among the terms; only used by a catalogue that passes a standard match. */
  standards?: readonly StandardTerm[];
  /** GB/T 2260 prefixes from the query's place words: the region must start with one of them. */
  placePrefixes?: readonly string[];
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
  plan: SortPlan | null,
  s: CatalogueSearch,
): (SQL | undefined)[] {
  return [
    sql`${cols.status} IN (${sql.join(
      s.statuses.map((st) => sql`${st}::${sql.raw(statusType)}`),
      sql`, `,
    )})`,
    ...termsWithStandards(
      cols.search,
      s.terms,
      s.standards ?? [],
      cols.standardMatch && ((pattern: string) => cols.standardMatch!(pattern, s.today)),
    ),
    placeCondition(cols.region, s.placePrefixes ?? []),
    regionCondition(cols.region, s.region),
    s.lab ? sql`${cols.labId} = ${s.lab}::uuid` : undefined,
    qualificationCondition(cols.labId, s.qualification, s.today),
    s.minPrice !== undefined ? sql`${cols.price} >= ${s.minPrice}` : undefined,
    s.maxPrice !== undefined ? sql`${cols.price} <= ${s.maxPrice}` : undefined,
    plan ? cursorCondition(plan, cols.id, s.cursor) : undefined,
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
  const plan = sortPlan(s.sort, cols, s.terms);
  const where = and([...catalogueConditions(cols, statusType, plan, s), ...own]);
  const result = await db.execute(sql`${select(plan.key)}
    WHERE ${where}
    ORDER BY ${orderBy(plan, cols.id)}
    LIMIT ${s.limit + 1}`);
  return result.rows as unknown as Row[];
}

type CountSearch = Omit<CatalogueSearch, 'cursor' | 'sort' | 'limit'>;

function countWhere(cols: CatalogueColumns, statusType: 'instrument_status' | 'service_status', s: CountSearch) {
  return catalogueConditions(cols, statusType, null, { ...s, sort: 'name', limit: 0 });
}

/** How many rows the search finds in all (every page; the cursor and order do not matter). */
export async function countCatalogue(
  db: DbOrTx,
  cols: CatalogueColumns & { from: SQL },
  statusType: 'instrument_status' | 'service_status',
  s: CountSearch,
  own: (SQL | undefined)[],
): Promise<number> {
  const where = and([...countWhere(cols, statusType, s), ...own]);
  const result = await db.execute(sql`SELECT count(*)::int AS total ${cols.from} WHERE ${where}`);
  return (result.rows[0] as { total: number }).total;
}

/** The cities with the most rows the search finds, with how many each (for "try this region"). */
export async function countCatalogueByCity(
  db: DbOrTx,
  cols: CatalogueColumns & { from: SQL },
  statusType: 'instrument_status' | 'service_status',
  s: CountSearch,
  own: (SQL | undefined)[],
  limit: number,
): Promise<{ code: string; nameZh: string; nameEn: string; total: number }[]> {
  const where = and([...countWhere(cols, statusType, s), ...own, sql`city.code IS NOT NULL`]);
  const result = await db.execute(sql`
    SELECT city.code, city.name_zh AS "nameZh", city.name_en AS "nameEn", count(*)::int AS total
    ${cols.from} WHERE ${where}
    GROUP BY city.code, city.name_zh, city.name_en ORDER BY total DESC, city.code LIMIT ${limit}`);
  return result.rows as { code: string; nameZh: string; nameEn: string; total: number }[];
}
