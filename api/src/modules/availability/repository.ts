import { asc, eq, sql } from 'drizzle-orm';
import { openingHours, type DbOrTx } from '@qihub/db';
import type { WeeklyHours } from './calendar.ts';

/** The instrument's own weekly hours if it has any, else its site's. */
export async function weeklyHoursOf(db: DbOrTx, instrumentId: string, siteId: string): Promise<WeeklyHours[]> {
  const own = await db
    .select({ weekday: openingHours.weekday, opensAt: openingHours.opensAt, closesAt: openingHours.closesAt })
    .from(openingHours)
    .where(eq(openingHours.instrumentId, instrumentId))
    .orderBy(asc(openingHours.weekday), asc(openingHours.opensAt));
  if (own.length > 0) return own;
  return db
    .select({ weekday: openingHours.weekday, opensAt: openingHours.opensAt, closesAt: openingHours.closesAt })
    .from(openingHours)
    .where(eq(openingHours.siteId, siteId))
    .orderBy(asc(openingHours.weekday), asc(openingHours.opensAt));
}

export interface FreeRange {
  unitId: string;
  start: Date;
  end: Date;
}

/**
 * Free time per active unit in one query: the opening multirange minus every closure that applies
 * (lab-wide, the instrument, the unit) and every active booking's occupied range.
 */
export async function freeRanges(
  db: DbOrTx,
  input: { instrumentId: string; labId: string; opening: string; from: Date; to: Date },
): Promise<FreeRange[]> {
  const window = sql`tstzrange(${input.from.toISOString()}::timestamptz, ${input.to.toISOString()}::timestamptz)`;
  const result = await db.execute(sql`
    WITH units AS (
      SELECT id FROM instrument_units WHERE instrument_id = ${input.instrumentId}::uuid AND active
    ), blocked AS (
      SELECT u.id AS unit_id, range_agg(x.r) AS m
      FROM units u
      JOIN LATERAL (
        SELECT b.occupied AS r FROM bookings b
        WHERE b.unit_id = u.id AND b.occupied && ${window}
          AND b.status IN ('held', 'pending_approval', 'confirmed', 'in_use')
        UNION ALL
        SELECT c.during FROM closures c
        WHERE c.during && ${window} AND c.lab_id = ${input.labId}::uuid
          AND (c.unit_id = u.id
            OR (c.unit_id IS NULL AND c.instrument_id = ${input.instrumentId}::uuid)
            OR (c.unit_id IS NULL AND c.instrument_id IS NULL))
      ) x ON TRUE
      GROUP BY u.id
    )
    SELECT u.id AS "unitId", lower(f) AS start, upper(f) AS "end"
    FROM units u
      LEFT JOIN blocked bl ON bl.unit_id = u.id
      CROSS JOIN LATERAL unnest(${input.opening}::tstzmultirange - coalesce(bl.m, '{}'::tstzmultirange)) AS f
    ORDER BY 2, 1`);
  return (result.rows as { unitId: string; start: string | Date; end: string | Date }[]).map((r) => ({
    unitId: r.unitId,
    start: new Date(r.start),
    end: new Date(r.end),
  }));
}
