import { and, asc, desc, eq, gt, isNull, lte, or, sql, type SQL } from 'drizzle-orm';
import {
  bookingBlockLifts,
  bookingViolations,
  instruments,
  labBookingSettings,
  organisations,
  trainingRecords,
  users,
  type DbOrTx,
} from '@qihub/db';
import { DEFAULT_LAB_SETTINGS } from './rules.ts';

export async function labSettings(db: DbOrTx, labId: string) {
  const [row] = await db.select().from(labBookingSettings).where(eq(labBookingSettings.labId, labId)).limit(1);
  return {
    threshold: row?.violationThreshold ?? DEFAULT_LAB_SETTINGS.violationThreshold,
    windowDays: row?.violationWindowDays ?? DEFAULT_LAB_SETTINGS.violationWindowDays,
  };
}

/**
 * The violations that count against a user at a lab at `now`: inside the lab's window and after
 * the user's latest block lift there.
 */
function counted(labId: string, now: Date, windowDays: number): SQL {
  return and(
    eq(bookingViolations.labId, labId),
    gt(bookingViolations.occurredAt, new Date(now.getTime() - windowDays * 86_400_000)),
    sql`${bookingViolations.occurredAt} > COALESCE((SELECT max(l.lifted_at) FROM booking_block_lifts l
      WHERE l.lab_id = ${bookingViolations.labId} AND l.user_id = ${bookingViolations.userId}), '-infinity')`,
  )!;
}

/** Counted violations of one user at a lab. */
export async function countedViolations(db: DbOrTx, labId: string, userId: string, now: Date, windowDays: number) {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(bookingViolations)
    .where(and(counted(labId, now, windowDays), eq(bookingViolations.userId, userId)));
  return row?.n ?? 0;
}

/** Per user with any violation in the window: counted violations and the latest lift. */
export async function standingsOf(db: DbOrTx, labId: string, now: Date, windowDays: number) {
  const since = new Date(now.getTime() - windowDays * 86_400_000);
  const rows = await db
    .select({
      userId: users.id,
      name: users.displayName,
      email: users.email,
      count: sql<number>`count(*) FILTER (WHERE ${counted(labId, now, windowDays)})::int`,
      lastLiftedAt: sql<string | null>`(SELECT max(l.lifted_at) FROM booking_block_lifts l
        WHERE l.lab_id = ${labId}::uuid AND l.user_id = ${users.id})`,
    })
    .from(bookingViolations)
    .innerJoin(users, eq(users.id, bookingViolations.userId))
    .where(and(eq(bookingViolations.labId, labId), gt(bookingViolations.occurredAt, since)))
    .groupBy(users.id)
    .orderBy(desc(sql`count(*)`), asc(users.email));
  return rows.map((r) => ({ ...r, lastLiftedAt: r.lastLiftedAt === null ? null : new Date(r.lastLiftedAt) }));
}

/** A lab's violations inside its window, newest first, with whether each still counts. */
export async function violationsOf(db: DbOrTx, labId: string, now: Date, windowDays: number) {
  const since = new Date(now.getTime() - windowDays * 86_400_000);
  return db
    .select({
      id: bookingViolations.id,
      userId: users.id,
      name: users.displayName,
      email: users.email,
      bookingId: bookingViolations.bookingId,
      kind: bookingViolations.kind,
      occurredAt: bookingViolations.occurredAt,
      note: bookingViolations.note,
      counted: sql<boolean>`${counted(labId, now, windowDays)}`,
    })
    .from(bookingViolations)
    .innerJoin(users, eq(users.id, bookingViolations.userId))
    .where(and(eq(bookingViolations.labId, labId), gt(bookingViolations.occurredAt, since)))
    .orderBy(desc(bookingViolations.occurredAt), desc(bookingViolations.id))
    .limit(500);
}

/** Records a strike; one per booking and kind (a repeat changes nothing). */
export async function recordViolation(
  db: DbOrTx,
  values: {
    labId: string;
    userId: string;
    bookingId: string | null;
    kind: 'no_show' | 'late_cancellation' | 'overbooking';
    occurredAt: Date;
    note?: string;
  },
) {
  const rows = await db
    .insert(bookingViolations)
    .values({ ...values, note: values.note ?? '' })
    .onConflictDoNothing()
    .returning();
  return rows[0];
}

export async function insertLift(
  db: DbOrTx,
  values: { labId: string; userId: string; liftedBy: string | null; reason: string; liftedAt: Date },
) {
  const [row] = await db.insert(bookingBlockLifts).values(values).returning();
  return row!;
}

// ───────────────────────────── training records ─────────────────────────────

/** A record valid for the whole of [start, end): qualified by the start, not expired by the end, not revoked. */
export function validDuring(start: Date, end: Date): SQL {
  return and(
    lte(trainingRecords.qualifiedAt, start),
    or(isNull(trainingRecords.expiresAt), gt(trainingRecords.expiresAt, end)),
    isNull(trainingRecords.revokedAt),
  )!;
}

export async function hasValidTraining(db: DbOrTx, userId: string, instrumentId: string, start: Date, end: Date) {
  const [row] = await db
    .select({ id: trainingRecords.id })
    .from(trainingRecords)
    .where(
      and(eq(trainingRecords.userId, userId), eq(trainingRecords.instrumentId, instrumentId), validDuring(start, end)),
    )
    .limit(1);
  return !!row;
}

const recordColumns = {
  id: trainingRecords.id,
  labId: trainingRecords.labId,
  labNameZh: organisations.nameZh,
  labNameEn: organisations.nameEn,
  instrumentId: trainingRecords.instrumentId,
  instrumentNameZh: instruments.nameZh,
  instrumentNameEn: instruments.nameEn,
  userId: trainingRecords.userId,
  userName: users.displayName,
  userEmail: users.email,
  qualifiedAt: trainingRecords.qualifiedAt,
  expiresAt: trainingRecords.expiresAt,
  revokedAt: trainingRecords.revokedAt,
  note: trainingRecords.note,
  createdAt: trainingRecords.createdAt,
};
export type TrainingRecordRow = Awaited<ReturnType<typeof recordsQuery>>[number];

function recordsQuery(db: DbOrTx, where: SQL | undefined) {
  return db
    .select(recordColumns)
    .from(trainingRecords)
    .innerJoin(instruments, eq(instruments.id, trainingRecords.instrumentId))
    .innerJoin(users, eq(users.id, trainingRecords.userId))
    .innerJoin(organisations, eq(organisations.id, trainingRecords.labId))
    .where(where)
    .orderBy(desc(trainingRecords.qualifiedAt), desc(trainingRecords.id))
    .limit(1000);
}

export async function trainingRecordsOfLab(db: DbOrTx, labId: string, instrumentId?: string) {
  return recordsQuery(
    db,
    and(eq(trainingRecords.labId, labId), instrumentId ? eq(trainingRecords.instrumentId, instrumentId) : undefined),
  );
}

export async function trainingRecordsOfUser(db: DbOrTx, userId: string) {
  return recordsQuery(db, eq(trainingRecords.userId, userId));
}

export async function findTrainingRecord(db: DbOrTx, id: string) {
  const [row] = await recordsQuery(db, eq(trainingRecords.id, id));
  return row;
}

export async function insertTrainingRecord(db: DbOrTx, values: typeof trainingRecords.$inferInsert) {
  const [row] = await db.insert(trainingRecords).values(values).returning({ id: trainingRecords.id });
  return row!.id;
}

/** Revokes a record not yet revoked; undefined when it already was. */
export async function revokeTrainingRecord(db: DbOrTx, id: string, at: Date) {
  const [row] = await db
    .update(trainingRecords)
    .set({ revokedAt: at })
    .where(and(eq(trainingRecords.id, id), isNull(trainingRecords.revokedAt)))
    .returning({ id: trainingRecords.id });
  return row;
}

/**
 * The people a lab knows: its own members and those who booked its instruments or waited for them,
 * ordered from it, registered for its events, or already hold a training record there. A lab sees
 * no one else — not even whether they have an account.
 */
function knownToLab(labId: string): SQL {
  return sql`(
    EXISTS (SELECT 1 FROM memberships m WHERE m.org_id = ${labId}::uuid AND m.user_id = ${users.id})
    OR EXISTS (SELECT 1 FROM bookings b WHERE b.lab_id = ${labId}::uuid AND b.user_id = ${users.id})
    OR EXISTS (SELECT 1 FROM waitlist_entries w WHERE w.lab_id = ${labId}::uuid AND w.user_id = ${users.id})
    OR EXISTS (SELECT 1 FROM orders o WHERE o.lab_id = ${labId}::uuid
      AND (o.requested_by = ${users.id} OR o.accepted_by = ${users.id}))
    OR EXISTS (SELECT 1 FROM event_registrations r
      JOIN event_sessions s ON s.id = r.session_id JOIN events e ON e.id = s.event_id
      WHERE e.organiser_org_id = ${labId}::uuid AND r.user_id = ${users.id})
    OR EXISTS (SELECT 1 FROM training_records t WHERE t.lab_id = ${labId}::uuid AND t.user_id = ${users.id})
  )`;
}

/** A person the lab knows (see `knownToLab`), by e-mail (stored lower-cased); undefined otherwise. */
export async function findKnownPersonByEmail(db: DbOrTx, labId: string, email: string) {
  const [row] = await db
    .select({ id: users.id, name: users.displayName, email: users.email })
    .from(users)
    .where(and(eq(users.email, email.toLowerCase()), knownToLab(labId)))
    .limit(1);
  return row;
}

/** A person the lab knows (see `knownToLab`), by id; undefined otherwise. */
export async function findKnownPerson(db: DbOrTx, labId: string, id: string) {
  const [row] = await db
    .select({ id: users.id, name: users.displayName, email: users.email })
    .from(users)
    .where(and(eq(users.id, id), knownToLab(labId)))
    .limit(1);
  return row;
}

export async function instrumentOfLab(db: DbOrTx, instrumentId: string, labId: string) {
  const [row] = await db
    .select({ id: instruments.id })
    .from(instruments)
    .where(and(eq(instruments.id, instrumentId), eq(instruments.labId, labId)))
    .limit(1);
  return row;
}
