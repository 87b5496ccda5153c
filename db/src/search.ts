import { sql } from 'drizzle-orm';
import type { DbOrTx } from './client.ts';

/**
 * Recomputes the denormalised search text of instruments (names, model, maker, techniques,
 * category names and aliases, lab names). Lower-cased so ILIKE/trigram matching is simple.
 * Pass ids to refresh a few rows, or nothing to refresh all.
 */
export async function refreshInstrumentSearch(db: DbOrTx, ids?: string[]): Promise<void> {
  if (ids && ids.length === 0) return;
  await db.execute(sql`
    UPDATE instruments i SET search_text = lower(concat_ws(' ',
        i.name_zh, i.name_en, i.model, i.manufacturer, array_to_string(i.techniques, ' '),
        c.name_zh, c.name_en, array_to_string(c.aliases, ' '), o.name_zh, o.name_en))
    FROM instrument_categories c, organisations o
    WHERE c.code = i.category_code AND o.id = i.lab_id
      ${
        ids
          ? sql`AND i.id IN (${sql.join(
              ids.map((id) => sql`${id}::uuid`),
              sql`, `,
            )})`
          : sql``
      }`);
}

/** Same for services: names, kind, standard methods, descriptions, lab names. */
export async function refreshServiceSearch(db: DbOrTx, ids?: string[]): Promise<void> {
  if (ids && ids.length === 0) return;
  await db.execute(sql`
    UPDATE services s SET search_text = lower(concat_ws(' ',
        s.name_zh, s.name_en, array_to_string(s.standard_methods, ' '), s.description_zh,
        s.description_en, o.name_zh, o.name_en))
    FROM organisations o
    WHERE o.id = s.lab_id
      ${
        ids
          ? sql`AND s.id IN (${sql.join(
              ids.map((id) => sql`${id}::uuid`),
              sql`, `,
            )})`
          : sql``
      }`);
}
