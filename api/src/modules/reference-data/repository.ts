import { sql } from 'drizzle-orm';
import type { DbOrTx, ServiceKind } from '@qihub/db';

export async function catalogueStats(db: DbOrTx) {
  const result = await db.execute(sql`
    SELECT
      (SELECT count(*) FROM organisations WHERE kind = 'lab' AND status = 'active')::int AS labs,
      (SELECT count(*) FROM organisations WHERE kind = 'enterprise' AND status = 'active')::int AS enterprises,
      (SELECT count(*) FROM instruments i JOIN organisations o ON o.id = i.lab_id
         WHERE i.status <> 'retired' AND o.status = 'active')::int AS instruments,
      (SELECT count(*) FROM services s JOIN organisations o ON o.id = s.lab_id
         WHERE s.status = 'active' AND o.status = 'active')::int AS services,
      (SELECT count(DISTINCT substr(st.region_code, 1, 4)) FROM sites st JOIN organisations o ON o.id = st.lab_id
         WHERE o.status = 'active')::int AS cities`);
  const byKind = await db.execute(sql`
    SELECT s.kind::text AS kind, count(*)::int AS count FROM services s JOIN organisations o ON o.id = s.lab_id
    WHERE s.status = 'active' AND o.status = 'active' GROUP BY s.kind ORDER BY s.kind`);
  return {
    ...(result.rows[0] as { labs: number; enterprises: number; instruments: number; services: number; cities: number }),
    byKind: byKind.rows as { kind: ServiceKind; count: number }[],
  };
}

export async function categoriesWithCounts(db: DbOrTx) {
  const result = await db.execute(sql`
    SELECT c.code, c.name_zh AS "nameZh", c.name_en AS "nameEn",
      count(i.id) FILTER (WHERE i.status <> 'retired' AND o.status = 'active')::int AS "instrumentCount"
    FROM instrument_categories c
      LEFT JOIN instruments i ON i.category_code = c.code
      LEFT JOIN organisations o ON o.id = i.lab_id
    GROUP BY c.code ORDER BY c.sort_order, c.code`);
  return result.rows as { code: string; nameZh: string; nameEn: string; instrumentCount: number }[];
}

export async function listRegions(db: DbOrTx, level: string | undefined, parent: string | undefined) {
  const result = await db.execute(sql`
    SELECT code, name_zh AS "nameZh", name_en AS "nameEn", level::text AS level, parent_code AS "parentCode"
    FROM regions
    WHERE (${level ?? null}::text IS NULL OR level::text = ${level ?? null})
      AND (${parent ?? null}::text IS NULL OR parent_code = ${parent ?? null})
    ORDER BY code`);
  return result.rows as {
    code: string;
    nameZh: string;
    nameEn: string;
    level: 'province' | 'city' | 'station';
    parentCode: string | null;
  }[];
}
