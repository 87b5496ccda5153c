import { sql } from 'drizzle-orm';
import type { DbOrTx, Organisation } from '@qihub/db';

export interface LabApplicationRow {
  id: string;
  nameZh: string;
  nameEn: string;
  status: 'pending' | 'active' | 'suspended';
  labType: Organisation['labType'];
  regionCode: string;
  creditCode: string | null;
  createdAt: Date;
}

/** Labs whose region starts with one of the prefixes (the actor's platform scopes). */
export async function labsInRegions(
  db: DbOrTx,
  prefixes: string[],
  status: string | undefined,
  limit: number,
  after: { key: string; id: string } | undefined,
) {
  if (prefixes.length === 0) return [];
  const result = await db.execute(sql`
    SELECT id, name_zh AS "nameZh", name_en AS "nameEn", status, lab_type AS "labType",
      region_code AS "regionCode", credit_code AS "creditCode", created_at AS "createdAt"
    FROM organisations
    WHERE kind = 'lab'
      AND (${status ?? null}::text IS NULL OR status::text = ${status ?? null})
      AND (${sql.join(
        prefixes.map((p) => sql`region_code LIKE ${p + '%'}`),
        sql` OR `,
      )})
      ${after ? sql`AND (date_trunc('milliseconds', created_at), id) < (${after.key}::timestamptz, ${after.id}::uuid)` : sql``}
    ORDER BY date_trunc('milliseconds', created_at) DESC, id DESC
    LIMIT ${limit + 1}`);
  return result.rows as unknown as LabApplicationRow[];
}

/** pending → active, only from pending (the state check is part of the update). */
export async function admitLab(db: DbOrTx, id: string, now: Date) {
  const result = await db.execute(sql`
    UPDATE organisations SET status = 'active', updated_at = ${now.toISOString()}::timestamptz
    WHERE id = ${id}::uuid AND kind = 'lab' AND status = 'pending'
    RETURNING id, status`);
  return result.rows[0] as { id: string; status: string } | undefined;
}
