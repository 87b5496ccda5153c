import { sql } from 'drizzle-orm';
import type { DbOrTx } from '@qihub/db';
import type { Place } from '../catalogue-query.ts';

const list = (values: readonly string[]) =>
  sql`ARRAY[${sql.join(
    values.map((v) => sql`${v}`),
    sql`, `,
  )}]::text[]`;

/** Regions whose Chinese or English name starts with one of the words (lower case), for place words. */
export async function placesNamedLike(db: DbOrTx, words: readonly string[]): Promise<Place[]> {
  if (words.length === 0) return [];
  const prefixes = list(words.map((w) => `${w.replace(/[\\%_]/g, (c) => `\\${c}`)}%`));
  const result = await db.execute(sql`
    SELECT code, name_zh AS "nameZh", name_en AS "nameEn" FROM regions
    WHERE name_zh LIKE ANY (${prefixes}) OR lower(name_en) LIKE ANY (${prefixes})
    ORDER BY code`);
  return result.rows as unknown as Place[];
}

/** Regions by code, for the names of a wider region to suggest. */
export async function placesByCode(db: DbOrTx, codes: readonly string[]): Promise<Place[]> {
  if (codes.length === 0) return [];
  const result = await db.execute(sql`
    SELECT code, name_zh AS "nameZh", name_en AS "nameEn" FROM regions
    WHERE code::text = ANY (${list(codes)}) ORDER BY code`);
  return result.rows as unknown as Place[];
}
