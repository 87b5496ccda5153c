import { eq, fillPlaceholders, sql, type SQL } from 'drizzle-orm';
import { auditLog, bookings, type Booking, type Db, type DbOrTx } from '@qihub/db';
import { takesTime } from '../../availability/index.ts';
import type { BookingValues } from './bookings.ts';
import { bookingFromRow, dialect, once, P, rawTimestamps } from './prepared.ts';

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
    INSERT INTO audit_log (at, actor_kind, action, entity_type, entity_id, org_id, after)
    SELECT ${at}::timestamptz, 'system', 'booking.expired', 'booking', id::text, customer_org_id, json_build_object('status', 'expired')
    FROM expired
    RETURNING entity_id`);
  return result.rows.map((r) => r.entity_id);
}

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
 * maintenance block of their own during [start, end), each with whether a
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
 * the entry's `after` is `after` with the booking's id and unit filled in by the database, and its
 * time is the booking's creation time (the app clock's, as every stamp). Returns the booking and what the entry holds, so the caller can check it.
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

/** The audit entry written with a hold (see `insertBookingAudited`). */
export interface HoldAudit {
  actorUserId: string | null;
  actorOrgId: string | null;
  actorKind: string;
  action: string;
  orgId: string | null;
  after: Record<string, unknown>;
}

/** Writes a hold's audit entry for a booking already inserted (what `insertBookingAudited` writes with it). */
export async function insertHoldAudit(
  db: DbOrTx,
  booking: Pick<Booking, 'id' | 'createdAt'>,
  audit: HoldAudit,
): Promise<void> {
  await db.insert(auditLog).values({
    at: booking.createdAt,
    actorUserId: audit.actorUserId,
    actorOrgId: audit.actorOrgId,
    actorKind: audit.actorKind,
    action: audit.action,
    entityType: 'booking',
    entityId: booking.id,
    orgId: audit.orgId,
    before: null,
    after: JSON.parse(JSON.stringify(audit.after)) as unknown,
    requestId: null,
  });
}

/** Replaces the `after` of a hold's audit entry written by `insertHoldStatement` or `insertBookingAudited`. */
export async function correctHoldAudit(db: DbOrTx, auditId: number, after: unknown): Promise<void> {
  await db.update(auditLog).set({ after }).where(eq(auditLog.id, auditId));
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
  'createdAt',
  'updatedAt',
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

/** `WITH b AS (insert … RETURNING …)`, its audit entry (`after` completed from the row), the row. */
function auditedInsert(
  insert: SQL,
  audit: Record<'actorUserId' | 'actorOrgId' | 'actorKind' | 'action' | 'orgId' | 'after', unknown>,
): SQL {
  return sql`
    WITH b AS (${insert}),
    a AS (
      INSERT INTO audit_log (at, actor_user_id, actor_org_id, actor_kind, action, entity_type, entity_id, org_id,
        before, after, request_id)
      SELECT b.created_at, ${audit.actorUserId}::uuid, ${audit.actorOrgId}::uuid, ${audit.actorKind}, ${audit.action}, 'booking',
        b.id::text, ${audit.orgId}::uuid, NULL,
        ${audit.after}::jsonb || jsonb_build_object('id', b.id, 'unitId', b.unit_id,
          'createdAt', to_char(b.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')),
        NULL
      FROM b
      RETURNING id, after
    )
    SELECT b.*, a.id AS audit_id, a.after AS audit_after FROM b CROSS JOIN a`;
}
