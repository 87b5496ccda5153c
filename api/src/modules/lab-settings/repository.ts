import { asc, eq, sql, type SQL } from 'drizzle-orm';
import {
  bookingPolicies,
  instrumentUnits,
  instruments,
  labBookingSettings,
  openingHours,
  organisations,
  sites,
  type DbOrTx,
} from '@qihub/db';
import type { WeeklyHours } from '../availability/index.ts';
import { EFFECTIVE_HOURS_SQL } from '../availability/index.ts';

/** The instrument whose settings are read or changed: its lab, status and site's time zone. */
export { findInstrumentAtSite as instrumentScope } from '../../lib/repository/instrument-site.ts';

export async function siteScope(db: DbOrTx, id: string, lock = false) {
  const q = db
    .select({ id: sites.id, labId: sites.labId, timeZone: sites.timeZone })
    .from(sites)
    .where(eq(sites.id, id))
    .limit(1);
  const [row] = lock ? await q.for('update') : await q;
  return row;
}

export type HoursOwner = { instrumentId: string } | { siteId: string };

function ownerCondition(owner: HoursOwner): SQL {
  return 'instrumentId' in owner
    ? eq(openingHours.instrumentId, owner.instrumentId)
    : eq(openingHours.siteId, owner.siteId);
}

export async function hoursOf(db: DbOrTx, owner: HoursOwner): Promise<WeeklyHours[]> {
  return db
    .select({ weekday: openingHours.weekday, opensAt: openingHours.opensAt, closesAt: openingHours.closesAt })
    .from(openingHours)
    .where(ownerCondition(owner))
    .orderBy(asc(openingHours.weekday), asc(openingHours.opensAt));
}

export async function replaceHours(tx: DbOrTx, owner: HoursOwner, rows: WeeklyHours[]) {
  await tx.delete(openingHours).where(ownerCondition(owner));
  if (rows.length === 0) return;
  await tx.insert(openingHours).values(
    rows.map((r) => ({
      ...('instrumentId' in owner ? { instrumentId: owner.instrumentId } : { siteId: owner.siteId }),
      weekday: r.weekday,
      opensAt: r.opensAt,
      closesAt: r.closesAt,
    })),
  );
}

export interface ClosureRow {
  id: string;
  labId: string;
  instrumentId: string | null;
  unitId: string | null;
  start: string | Date;
  end: string | Date;
  reason: string;
}

const CLOSURE_COLUMNS = sql`c.id, c.lab_id AS "labId", c.instrument_id AS "instrumentId", c.unit_id AS "unitId",
  lower(c.during) AS start, upper(c.during) AS "end", c.reason`;

export async function listClosures(db: DbOrTx, labId: string, from: Date, to: Date): Promise<ClosureRow[]> {
  const result = await db.execute(sql`
    SELECT ${CLOSURE_COLUMNS} FROM closures c
    WHERE c.lab_id = ${labId}::uuid
      AND c.during && tstzrange(${from.toISOString()}::timestamptz, ${to.toISOString()}::timestamptz)
    ORDER BY lower(c.during), c.id
    LIMIT 1000`);
  return result.rows as unknown as ClosureRow[];
}

export async function findClosure(db: DbOrTx, id: string, lock = false): Promise<ClosureRow | undefined> {
  const result = await db.execute(
    sql`SELECT ${CLOSURE_COLUMNS} FROM closures c WHERE c.id = ${id}::uuid ${lock ? sql`FOR UPDATE` : sql``}`,
  );
  return result.rows[0] as ClosureRow | undefined;
}

export async function insertClosure(
  tx: DbOrTx,
  c: { labId: string; instrumentId: string | null; unitId: string | null; start: Date; end: Date; reason: string },
): Promise<ClosureRow> {
  const result = await tx.execute(sql`
    INSERT INTO closures AS c (lab_id, instrument_id, unit_id, during, reason)
    VALUES (${c.labId}::uuid, ${c.instrumentId}::uuid, ${c.unitId}::uuid,
      tstzrange(${c.start.toISOString()}::timestamptz, ${c.end.toISOString()}::timestamptz), ${c.reason})
    RETURNING ${CLOSURE_COLUMNS}`);
  return result.rows[0] as unknown as ClosureRow;
}

export async function deleteClosure(tx: DbOrTx, id: string) {
  await tx.execute(sql`DELETE FROM closures WHERE id = ${id}::uuid`);
}

export async function unitScope(db: DbOrTx, unitId: string) {
  const [row] = await db
    .select({ id: instrumentUnits.id, instrumentId: instrumentUnits.instrumentId, labId: instruments.labId })
    .from(instrumentUnits)
    .innerJoin(instruments, eq(instruments.id, instrumentUnits.instrumentId))
    .where(eq(instrumentUnits.id, unitId))
    .limit(1);
  return row;
}

export interface ScheduleBookingRow {
  id: string;
  instrumentId: string;
  unitId: string;
  status: string;
  mode: string;
  start: string | Date;
  end: string | Date;
  customerOrgId: string;
  customerZh: string;
  customerEn: string;
  userId: string;
  userName: string;
  operatorId: string | null;
  operatorName: string | null;
}

const BOOKING_COLUMNS = sql`b.id, b.instrument_id AS "instrumentId", b.unit_id AS "unitId", b.status, b.mode,
  b.starts_at AS start, b.ends_at AS "end", b.customer_org_id AS "customerOrgId",
  cust.name_zh AS "customerZh", cust.name_en AS "customerEn", b.user_id AS "userId", u.display_name AS "userName",
  b.operator_id AS "operatorId", op.display_name AS "operatorName"`;
const BOOKING_JOINS = sql`JOIN organisations cust ON cust.id = b.customer_org_id
  JOIN users u ON u.id = b.user_id
  LEFT JOIN users op ON op.id = b.operator_id`;

/** Active bookings of the lab whose booked time overlaps [start, end), within the closure's scope. */
export async function activeBookingsDuring(
  db: DbOrTx,
  scope: { labId: string; instrumentId: string | null; unitId: string | null },
  start: Date,
  end: Date,
): Promise<ScheduleBookingRow[]> {
  const result = await db.execute(sql`
    SELECT ${BOOKING_COLUMNS}
    FROM bookings b ${BOOKING_JOINS}
    WHERE b.lab_id = ${scope.labId}::uuid
      AND b.status IN ('held', 'pending_approval', 'confirmed', 'in_use')
      AND tstzrange(b.starts_at, b.ends_at) && tstzrange(${start.toISOString()}::timestamptz, ${end.toISOString()}::timestamptz)
      ${scope.instrumentId ? sql`AND b.instrument_id = ${scope.instrumentId}::uuid` : sql``}
      ${scope.unitId ? sql`AND b.unit_id = ${scope.unitId}::uuid` : sql``}
    ORDER BY b.starts_at, b.id`);
  return result.rows as unknown as ScheduleBookingRow[];
}

export async function policyRow(db: DbOrTx, instrumentId: string) {
  const [row] = await db.select().from(bookingPolicies).where(eq(bookingPolicies.instrumentId, instrumentId)).limit(1);
  return row;
}

export async function upsertPolicy(tx: DbOrTx, values: typeof bookingPolicies.$inferInsert) {
  const { instrumentId: _id, ...rest } = values;
  const [row] = await tx
    .insert(bookingPolicies)
    .values(values)
    .onConflictDoUpdate({ target: bookingPolicies.instrumentId, set: rest })
    .returning();
  return row!;
}

export async function labSettings(db: DbOrTx, labId: string) {
  const [row] = await db.select().from(labBookingSettings).where(eq(labBookingSettings.labId, labId)).limit(1);
  return row;
}

export async function upsertLabSettings(
  tx: DbOrTx,
  values: {
    labId: string;
    violationThreshold: number;
    violationWindowDays: number;
    maxHoldsPerInstrument: number;
    maxHoldsPerLab: number;
    updatedAt: Date;
  },
) {
  const { labId: _id, ...rest } = values;
  const [row] = await tx
    .insert(labBookingSettings)
    .values(values)
    .onConflictDoUpdate({ target: labBookingSettings.labId, set: rest })
    .returning();
  return row!;
}

export interface ScheduleInstrumentRow {
  id: string;
  nameZh: string;
  nameEn: string;
  status: string;
  timeZone: string;
  units: { id: string; label: string; position: number; active: boolean }[];
  hours: WeeklyHours[];
}

/** The lab's instruments (not retired), each with its units and effective weekly hours: one query. */
export async function scheduleInstruments(db: DbOrTx, labId: string): Promise<ScheduleInstrumentRow[]> {
  const result = await db.execute(sql`
    SELECT i.id, i.name_zh AS "nameZh", i.name_en AS "nameEn", i.status, st.time_zone AS "timeZone",
      coalesce((SELECT json_agg(json_build_object('id', u.id, 'label', u.label, 'position', u.position, 'active', u.active)
        ORDER BY u.position) FROM instrument_units u WHERE u.instrument_id = i.id), '[]'::json) AS units,
      ${EFFECTIVE_HOURS_SQL} AS hours
    FROM instruments i JOIN sites st ON st.id = i.site_id
    WHERE i.lab_id = ${labId}::uuid AND i.status <> 'retired'
    ORDER BY i.name_zh, i.id`);
  return result.rows as unknown as ScheduleInstrumentRow[];
}

/** Bookings of the lab overlapping [from, to), except those that never happened (cancelled, rejected, expired). */
export async function scheduleBookings(db: DbOrTx, labId: string, from: Date, to: Date): Promise<ScheduleBookingRow[]> {
  const result = await db.execute(sql`
    SELECT ${BOOKING_COLUMNS}
    FROM bookings b ${BOOKING_JOINS}
    WHERE b.lab_id = ${labId}::uuid
      AND b.status NOT IN ('cancelled', 'rejected', 'expired')
      AND b.starts_at < ${to.toISOString()}::timestamptz AND b.ends_at > ${from.toISOString()}::timestamptz
    ORDER BY b.starts_at, b.id`);
  return result.rows as unknown as ScheduleBookingRow[];
}

/** The lab organisation's status (pending, active, suspended), if it exists. */
export async function labStatus(db: DbOrTx, labId: string) {
  const [row] = await db
    .select({ status: organisations.status })
    .from(organisations)
    .where(eq(organisations.id, labId))
    .limit(1);
  return row?.status;
}
