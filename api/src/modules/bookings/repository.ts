import {
  and,
  asc,
  desc,
  eq,
  fillPlaceholders,
  getTableColumns,
  gt,
  inArray,
  lt,
  ne,
  or,
  sql,
  type SQL,
} from 'drizzle-orm';
import {
  bookingPolicies,
  bookings,
  idempotencyKeys,
  instrumentUnits,
  instruments,
  sites,
  type Booking,
  type Db,
  type DbOrTx,
} from '@qihub/db';
import { PgDialect } from 'drizzle-orm/pg-core';
import pg from 'pg';
import { EFFECTIVE_HOURS_SQL, takesTime } from '../availability/index.ts';

export async function instrumentForBooking(db: DbOrTx, instrumentId: string) {
  const [row] = await db
    .select({
      id: instruments.id,
      labId: instruments.labId,
      status: instruments.status,
      internalRateHour: instruments.internalRateHour,
      externalRateHour: instruments.externalRateHour,
      currency: instruments.currency,
      siteId: instruments.siteId,
      timeZone: sites.timeZone,
    })
    .from(instruments)
    .innerJoin(sites, eq(sites.id, instruments.siteId))
    .where(eq(instruments.id, instrumentId))
    .limit(1);
  return row;
}

export async function policyOf(db: DbOrTx, instrumentId: string) {
  const [row] = await db.select().from(bookingPolicies).where(eq(bookingPolicies.instrumentId, instrumentId)).limit(1);
  return row;
}

/** Units in service, without a maintenance block of their own during [start, end). */
export async function activeUnits(db: DbOrTx, instrumentId: string, start: Date, end: Date) {
  return db
    .select({ id: instrumentUnits.id })
    .from(instrumentUnits)
    .where(
      and(
        eq(instrumentUnits.instrumentId, instrumentId),
        eq(instrumentUnits.active, true),
        sql`NOT EXISTS (SELECT 1 FROM closures c WHERE c.unit_id = ${instrumentUnits.id}
          AND c.during && tstzrange(${start.toISOString()}::timestamptz, ${end.toISOString()}::timestamptz))`,
      ),
    )
    .orderBy(asc(instrumentUnits.position));
}

/** A lab-wide closure or a maintenance block of the whole instrument overlaps [start, end). */
export async function closedDuring(db: DbOrTx, labId: string, instrumentId: string, start: Date, end: Date) {
  const result = await db.execute(sql`
    SELECT 1 FROM closures c
    WHERE c.lab_id = ${labId}::uuid AND c.unit_id IS NULL
      AND (c.instrument_id IS NULL OR c.instrument_id = ${instrumentId}::uuid)
      AND c.during && tstzrange(${start.toISOString()}::timestamptz, ${end.toISOString()}::timestamptz)
    LIMIT 1`);
  return result.rows.length > 0;
}

export type BookingValues = Omit<typeof bookings.$inferInsert, 'id' | 'createdAt' | 'updatedAt'>;

export async function insertBooking(db: DbOrTx, values: BookingValues): Promise<Booking> {
  const [row] = await db.insert(bookings).values(values).returning();
  return row!;
}

export async function findBooking(db: DbOrTx, id: string, lock = false) {
  const q = db.select().from(bookings).where(eq(bookings.id, id)).limit(1);
  const [row] = lock ? await q.for('update') : await q;
  return row;
}

/** Bookings of the organisations given (as customer or as lab), newest start first, keyset-paged. */
export async function listBookings(
  db: DbOrTx,
  orgIds: string[],
  limit: number,
  after: { startsAt: string; id: string } | undefined,
) {
  const mine = or(inArray(bookings.customerOrgId, orgIds), inArray(bookings.labId, orgIds));
  const page = after
    ? or(
        lt(bookings.startsAt, new Date(after.startsAt)),
        and(eq(bookings.startsAt, new Date(after.startsAt)), lt(bookings.id, after.id)),
      )
    : undefined;
  return db
    .select()
    .from(bookings)
    .where(and(mine, page))
    .orderBy(desc(bookings.startsAt), desc(bookings.id))
    .limit(limit + 1);
}

export async function findIdempotent(db: DbOrTx, userId: string, key: string) {
  const [row] = await db
    .select()
    .from(idempotencyKeys)
    .where(and(eq(idempotencyKeys.userId, userId), eq(idempotencyKeys.key, key)))
    .limit(1);
  return row;
}

export async function saveIdempotent(
  db: DbOrTx,
  values: { userId: string; key: string; requestHash: string; statusCode: number; response: unknown },
) {
  await db.insert(idempotencyKeys).values(values);
}

type BookingStatus = Booking['status'];

/**
 * One guarded state change: the row moves only if its status is one of `from` at that moment
 * (ARCHITECTURE decision 4); `undefined` means another request changed it first.
 */
export async function transitionBooking(
  db: DbOrTx,
  id: string,
  from: readonly BookingStatus[],
  to: BookingStatus,
  set: Partial<BookingValues> & { updatedAt: Date },
) {
  const [row] = await db
    .update(bookings)
    .set({ ...set, status: to })
    .where(and(eq(bookings.id, id), inArray(bookings.status, [...from])))
    .returning();
  return row;
}

/** Statuses holding time on a unit (the exclusion constraints cover exactly these). */
export const ACTIVE_STATUSES = ['held', 'pending_approval', 'confirmed', 'in_use'] as const;

/**
 * The user's bookings on an instrument that count towards the weekly quota (active or completed)
 * overlapping [from, to), except `ignoreBookingId` (a booking being rescheduled).
 */
export async function bookedForQuota(
  db: DbOrTx,
  input: { userId: string; instrumentId: string; from: Date; to: Date; ignoreBookingId?: string },
) {
  return db
    .select({ start: bookings.startsAt, end: bookings.endsAt })
    .from(bookings)
    .where(
      and(
        eq(bookings.userId, input.userId),
        eq(bookings.instrumentId, input.instrumentId),
        inArray(bookings.status, [...ACTIVE_STATUSES, 'completed']),
        lt(bookings.startsAt, input.to),
        gt(bookings.endsAt, input.from),
        input.ignoreBookingId ? ne(bookings.id, input.ignoreBookingId) : undefined,
      ),
    );
}

/**
 * Lab members (operator, staff or manager of the instrument's lab, account enabled) qualified on the
 * instrument for the whole of [start, end) and not operating another active booking overlapping the
 * occupied range: operators first, then staff, then managers, each in a stable order.
 */
export async function freeOperators(
  db: DbOrTx,
  input: { labId: string; instrumentId: string; start: Date; end: Date; occupied: string; now: Date },
): Promise<string[]> {
  const result = await db.execute<{ user_id: string }>(sql`
    SELECT m.user_id FROM memberships m
    JOIN users u ON u.id = m.user_id AND u.disabled_at IS NULL
    WHERE m.org_id = ${input.labId}::uuid AND m.role IN ('operator', 'staff', 'manager')
      AND EXISTS (
        SELECT 1 FROM training_records t
        WHERE t.user_id = m.user_id AND t.instrument_id = ${input.instrumentId}::uuid
          AND t.qualified_at <= ${input.start.toISOString()}::timestamptz
          AND (t.expires_at IS NULL OR t.expires_at > ${input.end.toISOString()}::timestamptz)
          AND t.revoked_at IS NULL)
      AND NOT EXISTS (
        SELECT 1 FROM bookings b
        WHERE b.operator_id = m.user_id AND ${takesTime(sql`${input.now.toISOString()}::timestamptz`)}
          AND b.occupied && ${input.occupied}::tstzrange)
    ORDER BY CASE m.role WHEN 'operator' THEN 0 WHEN 'staff' THEN 1 ELSE 2 END, m.user_id`);
  return result.rows.map((r) => r.user_id);
}

/** Whether any of these units has no booking taking time (`takesTime` at `now`) overlapping the occupied range. */
export async function anyUnitFree(db: DbOrTx, unitIds: string[], occupied: string, now: Date): Promise<boolean> {
  if (unitIds.length === 0) return false;
  const result = await db.execute<{ n: number }>(sql`
    SELECT count(DISTINCT b.unit_id)::int AS n FROM bookings b
    WHERE b.unit_id = ANY(${`{${unitIds.join(',')}}`}::uuid[])
      AND ${takesTime(sql`${now.toISOString()}::timestamptz`)} AND b.occupied && ${occupied}::tstzrange`);
  return (result.rows[0]?.n ?? 0) < unitIds.length;
}

/**
 * Expires, inside the caller's transaction, every hold whose time ran out before `now` that would
 * stand in the way of a booking occupying `occupied` on the instrument (on any of its units, and
 * with `operators` also holds of the lab's operators): the exclusion constraints still count a
 * lapsed hold until it is marked, so a booking that meets one marks it first and wins. Audited as
 * the system, as the sweep does. Call it under the instrument's hold lock.
 */
export async function expireLapsedHolds(
  tx: DbOrTx,
  input: { instrumentId: string; labId: string; occupied: string; now: Date; operators: boolean },
): Promise<string[]> {
  return expireHolds(
    tx,
    input.now,
    sql`AND occupied && ${input.occupied}::tstzrange
      AND (instrument_id = ${input.instrumentId}::uuid
        OR (${input.operators} AND lab_id = ${input.labId}::uuid AND operator_id IS NOT NULL))`,
  );
}

/**
 * Marks held bookings whose hold ran out by `now` as expired (narrowed by `where`, over the bookings
 * table unaliased), each with an audit entry as the system; returns their ids. Guarded by status
 * and expiry, so running it twice, or beside another run, changes nothing more. The filter is the
 * one `bookings_hold_expiry_idx` serves.
 */
export async function expireHolds(db: DbOrTx, now: Date, where: SQL = sql``): Promise<string[]> {
  const at = now.toISOString();
  const result = await db.execute<{ entity_id: string }>(sql`
    WITH expired AS (
      UPDATE bookings SET status = 'expired', updated_at = ${at}::timestamptz
      WHERE status = 'held' AND hold_expires_at <= ${at}::timestamptz ${where}
      RETURNING id, customer_org_id)
    INSERT INTO audit_log (actor_kind, action, entity_type, entity_id, org_id, after)
    SELECT 'system', 'booking.expired', 'booking', id::text, customer_org_id, json_build_object('status', 'expired')
    FROM expired
    RETURNING entity_id`);
  return result.rows.map((r) => r.entity_id);
}

/**
 * Someone else booked freed time: every cancelled booking on the instrument by another user whose
 * fee is not fully waived and whose [start, end) overlaps the new booking's gets its waiver raised
 * by the fee pro rata to the overlap (floored to the fen, never beyond the fee) — the arithmetic
 * of `feeWaiver` in rules.ts, in one statement.
 */
export async function waiveFreedFees(db: DbOrTx, booking: Booking, now: Date) {
  const start = booking.startsAt.toISOString();
  const end = booking.endsAt.toISOString();
  const result = await db.execute<{
    id: string;
    customer_org_id: string;
    fee: number;
    waived: number;
    added: number;
  }>(sql`
    WITH w AS (
      SELECT c.id, LEAST(
          c.cancellation_fee - c.cancellation_fee_waived,
          (c.cancellation_fee::bigint
            * extract(epoch FROM LEAST(c.ends_at, ${end}::timestamptz) - GREATEST(c.starts_at, ${start}::timestamptz))::bigint
            / extract(epoch FROM c.ends_at - c.starts_at)::bigint)::int) AS added
      FROM bookings c
      WHERE c.instrument_id = ${booking.instrumentId}::uuid AND c.status = 'cancelled'
        AND c.user_id <> ${booking.userId}::uuid AND c.id <> ${booking.id}::uuid
        AND c.cancellation_fee > c.cancellation_fee_waived
        AND c.starts_at < ${end}::timestamptz AND c.ends_at > ${start}::timestamptz
      FOR UPDATE OF c
    )
    UPDATE bookings b SET cancellation_fee_waived = b.cancellation_fee_waived + w.added,
      updated_at = ${now.toISOString()}::timestamptz
    FROM w WHERE b.id = w.id AND w.added > 0
    RETURNING b.id, b.customer_org_id, b.cancellation_fee AS fee, b.cancellation_fee_waived AS waived, w.added`);
  return result.rows;
}

/**
 * Confirmed bookings nobody checked in by start + their policy's late-void time (default 60 min):
 * what a no-show sweep passes to `markNoShow`, oldest first.
 */
export async function dueNoShows(db: DbOrTx, now: Date, limit = 100): Promise<string[]> {
  const rows = await db
    .select({ id: bookings.id })
    .from(bookings)
    .where(
      and(
        eq(bookings.status, 'confirmed'),
        sql`${bookings.actualStart} IS NULL`,
        lt(bookings.startsAt, now),
        sql`${bookings.startsAt} + make_interval(mins => COALESCE((${bookings.policy}->>'lateVoidMinutes')::int, 60))
          <= ${now.toISOString()}::timestamptz`,
      ),
    )
    .orderBy(asc(bookings.startsAt))
    .limit(limit);
  return rows.map((r) => r.id);
}

/**
 * Everything `vetSlot` reads before it decides, in one statement (one round trip instead of eight):
 * the instrument with its site's zone, its stored policy (null: the defaults), its effective weekly
 * hours, whether a lab-wide closure or a block of the whole instrument overlaps [start, end) (as
 * `closedDuring`), whether the user holds a training record valid for the whole slot (as
 * `standing.hasValidTraining`), the lab's violation settings (null: the defaults) and the user's
 * counted violations there (as `standing.countedViolations`), and — only under a quota — the
 * user's quota-counting bookings on the instrument within 8 days either side of the slot (a
 * superset of any ISO-week span the slot touches; the caller narrows it, as `bookedForQuota`),
 * and the units in service without a block of their own then (as `activeUnits`, position order);
 * the lab's hold limits (null: the defaults) and the user's live holds on the instrument and at
 * the lab (a series counting once, as `booking_hold_lock` counts them), and whether a hold that ran
 * out by `now` still stands, unswept, in the slot's way (then the insert must expire it first).
 */
export async function slotFacts(
  db: Db,
  input: { instrumentId: string; userId: string; start: Date; end: Date; now: Date; defaultWindowDays: number },
): Promise<SlotFacts | undefined> {
  const [row] = await preparedQuery<SlotFacts>(db, 'qihub_booking_slot_facts', slotFactsQuery(), {
    instrumentId: input.instrumentId,
    userId: input.userId,
    start: input.start.toISOString(),
    end: input.end.toISOString(),
    now: input.now.toISOString(),
    defaultWindowDays: input.defaultWindowDays,
  });
  return row;
}

type SlotFacts = {
  id: string;
  labId: string;
  labStatus: 'pending' | 'active' | 'suspended';
  status: 'active' | 'maintenance' | 'retired';
  internalRateHour: number | null;
  externalRateHour: number | null;
  currency: string;
  siteId: string;
  timeZone: string;
  policy: PolicyRow | null;
  hours: { weekday: number; opensAt: string; closesAt: string }[];
  closed: boolean;
  trained: boolean;
  violationThreshold: number | null;
  violationWindowDays: number | null;
  violations: number;
  quotaBooked: { id: string; s: number; e: number }[] | null;
  units: string[];
  maxHoldsPerInstrument: number | null;
  maxHoldsPerLab: number | null;
  holdsOnInstrument: number;
  holdsAtLab: number;
  lapsedInTheWay: boolean;
};

/** Placeholders: the hot statements are rendered once and only their parameters change. */
const P = new Proxy({} as Record<string, ReturnType<typeof sql.placeholder>>, {
  get: (_, name: string) => sql.placeholder(name),
});

const slotFactsQuery = once(
  () => sql`
    SELECT i.id, i.lab_id AS "labId", lab.status AS "labStatus", i.status, i.internal_rate_hour AS "internalRateHour",
      i.external_rate_hour AS "externalRateHour", i.currency, i.site_id AS "siteId", s.time_zone AS "timeZone",
      CASE WHEN p.instrument_id IS NULL THEN NULL ELSE json_build_object(
        'slotMinutes', p.slot_minutes, 'minMinutes', p.min_minutes, 'maxMinutes', p.max_minutes,
        'leadMinutes', p.lead_minutes, 'horizonDays', p.horizon_days, 'setupMinutes', p.setup_minutes,
        'cleanupMinutes', p.cleanup_minutes, 'modes', p.modes, 'requiresApproval', p.requires_approval,
        'holdMinutes', p.hold_minutes, 'cancellationCutoffMinutes', p.cancellation_cutoff_minutes,
        'cancellationFeeBasisPoints', p.cancellation_fee_bp, 'qualificationRequired', p.qualification_required,
        'noShowGraceMinutes', p.no_show_grace_minutes, 'lateVoidMinutes', p.late_void_minutes,
        'quotaMinutesPerWeek', p.quota_minutes_per_week) END AS policy,
      ${EFFECTIVE_HOURS_SQL} AS hours,
      EXISTS (SELECT 1 FROM closures c
        WHERE c.lab_id = i.lab_id AND c.unit_id IS NULL AND (c.instrument_id IS NULL OR c.instrument_id = i.id)
          AND c.during && tstzrange(${P.start}::timestamptz, ${P.end}::timestamptz)) AS closed,
      EXISTS (SELECT 1 FROM training_records t
        WHERE t.user_id = ${P.userId}::uuid AND t.instrument_id = i.id
          AND t.qualified_at <= ${P.start}::timestamptz
          AND (t.expires_at IS NULL OR t.expires_at > ${P.end}::timestamptz) AND t.revoked_at IS NULL) AS trained,
      ls.violation_threshold AS "violationThreshold", ls.violation_window_days AS "violationWindowDays",
      (SELECT count(*)::int FROM booking_violations v
        WHERE v.lab_id = i.lab_id AND v.user_id = ${P.userId}::uuid
          AND v.occurred_at > ${P.now}::timestamptz
            - make_interval(secs => coalesce(ls.violation_window_days, ${P.defaultWindowDays}::int) * 86400)
          AND v.occurred_at > COALESCE((SELECT max(l.lifted_at) FROM booking_block_lifts l
            WHERE l.lab_id = v.lab_id AND l.user_id = v.user_id), '-infinity')) AS violations,
      CASE WHEN p.quota_minutes_per_week IS NOT NULL THEN (
        SELECT coalesce(json_agg(json_build_object('id', b.id,
            's', extract(epoch FROM b.starts_at) * 1000, 'e', extract(epoch FROM b.ends_at) * 1000)), '[]'::json)
        FROM bookings b
        WHERE b.user_id = ${P.userId}::uuid AND b.instrument_id = i.id
          AND (${takesTime(sql`${P.now}::timestamptz`)} OR b.status = 'completed')
          AND b.starts_at < ${P.end}::timestamptz + interval '8 days'
          AND b.ends_at > ${P.start}::timestamptz - interval '8 days') END AS "quotaBooked",
      ARRAY(SELECT u.id FROM instrument_units u WHERE u.instrument_id = i.id AND u.active
        AND NOT EXISTS (SELECT 1 FROM closures c WHERE c.unit_id = u.id
          AND c.during && tstzrange(${P.start}::timestamptz, ${P.end}::timestamptz))
        ORDER BY u.position) AS units,
      ls.max_holds_per_instrument AS "maxHoldsPerInstrument", ls.max_holds_per_lab AS "maxHoldsPerLab",
      h.on_instrument AS "holdsOnInstrument", h.at_lab AS "holdsAtLab",
      EXISTS (SELECT 1 FROM bookings x
        WHERE x.instrument_id = i.id AND x.status = 'held' AND x.hold_expires_at <= ${P.now}::timestamptz
          AND x.occupied && tstzrange(
            ${P.start}::timestamptz - make_interval(mins => coalesce(p.setup_minutes, 0)),
            ${P.end}::timestamptz + make_interval(mins => coalesce(p.cleanup_minutes, 0)))) AS "lapsedInTheWay"
    FROM instruments i
    JOIN organisations lab ON lab.id = i.lab_id
    CROSS JOIN LATERAL (
      SELECT (count(DISTINCT coalesce(hb.series_id, hb.id)) FILTER (WHERE hb.instrument_id = i.id))::int AS on_instrument,
        count(DISTINCT coalesce(hb.series_id, hb.id))::int AS at_lab
      FROM bookings hb
      WHERE hb.user_id = ${P.userId}::uuid AND hb.lab_id = i.lab_id AND hb.status = 'held'
        AND hb.hold_expires_at > ${P.now}::timestamptz) AS h
    JOIN sites s ON s.id = i.site_id
    LEFT JOIN booking_policies p ON p.instrument_id = i.id
    LEFT JOIN lab_booking_settings ls ON ls.lab_id = i.lab_id
    WHERE i.id = ${P.instrumentId}::uuid`,
);

/** A stored policy as `slotFacts` reads it (the snapshot's shape). */
export type PolicyRow = Omit<typeof bookingPolicies.$inferSelect, 'instrumentId' | 'updatedAt'>;

/** Who a new hold counts against, under which limits (see `booking_hold_lock`); absent for holds no one took (offers, order work, moves). */
export interface HoldLimit {
  userId: string;
  labId: string;
  /** A series being written: its own occurrences do not count against it. */
  seriesId: string | null;
  perInstrument: number;
  perLab: number;
}

/** SQL calling `booking_hold_lock` (the person's hold limit, then the instrument's hold lock). */
function holdLock(instrumentId: SQL, labId: SQL, now: SQL, limit: HoldLimit | undefined): SQL {
  if (!limit) {
    return sql`booking_hold_lock(${instrumentId}::uuid, ${labId}::uuid, NULL, NULL, ${now}::timestamptz, 0, 0)`;
  }
  return sql`booking_hold_lock(${instrumentId}::uuid, ${labId}::uuid, ${limit.userId}::uuid, ${limit.seriesId}::uuid,
    ${now}::timestamptz, ${limit.perInstrument}::int, ${limit.perLab}::int)`;
}

/**
 * Takes the instrument's hold lock (see `insertHold`; with `limit`, first the person's hold limit,
 * which raises `bookings_hold_limit` when reached) and lists its units in service without a
 * maintenance block of their own during [start, end) (as `activeUnits`), each with whether a
 * booking taking time (`takesTime` at `now`) visible to this statement already overlaps `occupied`
 * on it (then an insert there is bound to break the exclusion constraint). One round trip instead of two.
 */
export async function lockAndActiveUnits(
  tx: DbOrTx,
  input: {
    instrumentId: string;
    labId: string;
    start: Date;
    end: Date;
    occupied: string;
    now: Date;
    limit?: HoldLimit;
  },
) {
  const now = sql`${input.now.toISOString()}`;
  const result = await tx.execute<{ id: string; busy: boolean }>(sql`
    SELECT u.id, EXISTS (SELECT 1 FROM bookings b
        WHERE b.unit_id = u.id AND ${takesTime(sql`${now}::timestamptz`)}
          AND b.occupied && ${input.occupied}::tstzrange) AS busy
    FROM (SELECT ${holdLock(sql`${input.instrumentId}`, sql`${input.labId}`, now, input.limit)}) AS held
    CROSS JOIN instrument_units u
    WHERE u.instrument_id = ${input.instrumentId}::uuid AND u.active
      AND NOT EXISTS (SELECT 1 FROM closures c WHERE c.unit_id = u.id
        AND c.during && tstzrange(${input.start.toISOString()}::timestamptz, ${input.end.toISOString()}::timestamptz))
    ORDER BY u.position`);
  return result.rows;
}

/** The bookings table's columns, to read a raw booking row exactly as drizzle's own queries do. */
const bookingColumns = Object.entries(getTableColumns(bookings));

function bookingFromRow(row: Record<string, unknown>): Booking {
  const out: Record<string, unknown> = {};
  for (const [key, column] of bookingColumns) {
    const value = row[column.name];
    out[key] = value === null || value === undefined ? null : column.mapFromDriverValue(value);
  }
  return out as Booking;
}

/**
 * The unit of a hold written in a single statement (`insertHoldStatement`): checks the person's
 * hold limit and takes the instrument's hold lock (`booking_hold_lock`, see `insertHold`) before
 * the row is formed, so the exclusion check that follows meets the previous holder's committed
 * row; then the first of `unitIds` (in order) still in service without a block of its own during
 * [start, end) and without a booking taking time (`takesTime` at `now`) overlapping `occupied`
 * visible to this statement, else the first unit still in service (its insert then breaks the
 * exclusion constraint), else NULL (the insert then fails on NOT NULL). The statement's snapshot
 * may predate the lock, so on several units a failure is not final (the caller retries under the
 * lock).
 */
const lockedUnitSql = once(
  () => sql`(SELECT u.id FROM (SELECT booking_hold_lock(${P.instrumentId}::uuid, ${P.labId}::uuid,
        ${P.userId}::uuid, NULL, ${P.now}::timestamptz, ${P.perInstrument}::int, ${P.perLab}::int)) AS held
    CROSS JOIN instrument_units u
    WHERE u.id = ANY(${P.unitIds}::uuid[]) AND u.instrument_id = ${P.instrumentId}::uuid AND u.active
      AND NOT EXISTS (SELECT 1 FROM closures c WHERE c.unit_id = u.id
        AND c.during && tstzrange(${P.start}::timestamptz, ${P.end}::timestamptz))
    ORDER BY EXISTS (SELECT 1 FROM bookings b
        WHERE b.unit_id = u.id AND ${takesTime(sql`${P.now}::timestamptz`)}
          AND b.occupied && ${P.occupied}::tstzrange),
      array_position(${P.unitIds}::uuid[], u.id)
    LIMIT 1)`,
);

/**
 * SQL for the unit of a hold once the hold lock is held (so this statement's snapshot has every
 * earlier hold): the first of `unitIds` (in order) without an active booking overlapping
 * `occupied`, else the first of them (its insert then breaks the exclusion constraint: taken).
 */
export function firstFreeUnit(unitIds: string[], occupied: string, now: Date): SQL {
  const ids = `{${unitIds.join(',')}}`;
  return sql`COALESCE((SELECT u.id FROM instrument_units u
    WHERE u.id = ANY(${ids}::uuid[]) AND NOT EXISTS (SELECT 1 FROM bookings b
      WHERE b.unit_id = u.id AND ${takesTime(sql`${now.toISOString()}::timestamptz`)}
        AND b.occupied && ${occupied}::tstzrange)
    ORDER BY array_position(${ids}::uuid[], u.id) LIMIT 1), ${unitIds[0]}::uuid)`;
}

/**
 * Inserts a booking and its audit entry in one statement (as `insertBooking` then `recordAudit`):
 * the entry's `after` is `after` with the booking's id, unit and creation time filled in by the
 * database. Returns the booking and what the entry holds, so the caller can check it.
 */
export async function insertBookingAudited(
  db: DbOrTx,
  values: Omit<BookingValues, 'unitId'> & { unitId: SQL },
  audit: HoldAudit,
): Promise<{ booking: Booking; auditId: number; auditAfter: unknown }> {
  const insert = db.insert(bookings).values(values).returning();
  const query = auditedInsert(insert.getSQL(), { ...audit, after: JSON.stringify(audit.after) });
  type Row = Record<string, unknown> & { audit_id: string; audit_after: unknown };
  const row = (await db.execute<Row>(query)).rows[0]!;
  return { booking: bookingFromRow(row), auditId: Number(row.audit_id), auditAfter: row.audit_after };
}

const dialect = new PgDialect();

/** What drizzle's own queries do: timestamps, dates and intervals (and their arrays) stay strings. */
const RAW_TYPES = new Set([1184, 1114, 1082, 1186, 1231, 1115, 1185, 1187, 1182]);
const rawTimestamps = {
  getTypeParser: ((typeId: number, format?: 'text' | 'binary') =>
    RAW_TYPES.has(typeId)
      ? (value: string) => value
      : pg.types.getTypeParser(typeId, format)) as typeof pg.types.getTypeParser,
};

/**
 * Runs a hot statement (its text is fixed; only parameters vary) as a named prepared statement on
 * the pool: PostgreSQL then parses and plans it once per connection instead of on every request,
 * which for the booking path's wide statements costs more than running them. Outside transactions
 * only (a transaction's queries must go through its own connection).
 */
export async function preparedQuery<T>(
  db: Db,
  name: string,
  query: SQL,
  values: Record<string, unknown>,
): Promise<T[]> {
  const rendered = (renderedQueries.get(query) ?? renderedQueries.set(query, dialect.sqlToQuery(query)).get(query))!;
  const result = await db.$client.query({
    name,
    text: rendered.sql,
    values: fillPlaceholders(rendered.params, values),
    types: rawTimestamps,
  });
  return result.rows as T[];
}

const renderedQueries = new WeakMap<SQL, { sql: string; params: unknown[] }>();

/** The audit entry written with a hold (see `insertBookingAudited`). */
export interface HoldAudit {
  actorUserId: string | null;
  actorOrgId: string | null;
  actorKind: string;
  action: string;
  orgId: string | null;
  after: Record<string, unknown>;
}

/** The insert + audit statement with the unit chosen under the lock, as rendered once. */
let holdStatementCache: { sql: string; params: unknown[] } | undefined;
const holdStatement = (db: Db) => (holdStatementCache ??= renderHoldStatement(db));
function renderHoldStatement(db: Db) {
  const values = Object.fromEntries(
    HOLD_COLUMNS.map((c) => [c, c === 'unitId' ? lockedUnitSql() : sql.placeholder(c)]),
  ) as unknown as BookingValues;
  const insert = db.insert(bookings).values(values).returning();
  return dialect.sqlToQuery(
    auditedInsert(insert.getSQL(), {
      actorUserId: P.actorUserId,
      actorOrgId: P.actorOrgId,
      actorKind: P.actorKind,
      action: P.action,
      orgId: P.orgId,
      after: P.after,
    }),
  );
}

const HOLD_COLUMNS = [
  'instrumentId',
  'unitId',
  'labId',
  'customerOrgId',
  'userId',
  'mode',
  'status',
  'startsAt',
  'endsAt',
  'occupied',
  'holdExpiresAt',
  'rateTier',
  'priceAmount',
  'hourlyRate',
  'currency',
  'policy',
  'notes',
  'seriesId',
  'operatorId',
] as const;

/**
 * A new hold and its audit entry in one statement (its own transaction; `db` is the pool), the
 * unit chosen as `lockedUnit` describes; a named prepared statement rendered once.
 */
export async function insertHoldStatement(
  db: Db,
  values: Omit<BookingValues, 'unitId'>,
  unit: { unitIds: string[]; start: Date; end: Date; now: Date },
  limit: Pick<HoldLimit, 'perInstrument' | 'perLab'>,
  audit: HoldAudit,
): Promise<{ booking: Booking; auditId: number; auditAfter: unknown }> {
  const { sql: text, params } = holdStatement(db);
  const filled = fillPlaceholders(params, {
    ...values,
    unitIds: `{${unit.unitIds.join(',')}}`,
    start: unit.start.toISOString(),
    end: unit.end.toISOString(),
    now: unit.now.toISOString(),
    perInstrument: limit.perInstrument,
    perLab: limit.perLab,
    actorUserId: audit.actorUserId,
    actorOrgId: audit.actorOrgId,
    actorKind: audit.actorKind,
    action: audit.action,
    orgId: audit.orgId,
    after: JSON.stringify(audit.after),
  });
  type Row = Record<string, unknown> & { audit_id: string; audit_after: unknown };
  const result = await db.$client.query<Row>({
    name: 'qihub_booking_hold',
    text,
    values: filled,
    types: rawTimestamps,
  });
  const row = result.rows[0]!;
  return { booking: bookingFromRow(row), auditId: Number(row.audit_id), auditAfter: row.audit_after };
}

/** Memoises a builder (the statements above are rendered on first use). */
function once<T>(build: () => T): () => T {
  let value: T | undefined;
  return () => (value ??= build());
}

/** `WITH b AS (insert … RETURNING …)`, its audit entry (`after` completed from the row), the row. */
function auditedInsert(
  insert: SQL,
  audit: Record<'actorUserId' | 'actorOrgId' | 'actorKind' | 'action' | 'orgId' | 'after', unknown>,
): SQL {
  return sql`
    WITH b AS (${insert}),
    a AS (
      INSERT INTO audit_log (actor_user_id, actor_org_id, actor_kind, action, entity_type, entity_id, org_id,
        before, after, request_id)
      SELECT ${audit.actorUserId}::uuid, ${audit.actorOrgId}::uuid, ${audit.actorKind}, ${audit.action}, 'booking',
        b.id::text, ${audit.orgId}::uuid, NULL,
        ${audit.after}::jsonb || jsonb_build_object('id', b.id, 'unitId', b.unit_id,
          'createdAt', to_char(b.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')),
        NULL
      FROM b
      RETURNING id, after
    )
    SELECT b.*, a.id AS audit_id, a.after AS audit_after FROM b CROSS JOIN a`;
}
