import { and, asc, desc, eq, inArray, lt, or, sql } from 'drizzle-orm';
import {
  bookingPolicies,
  bookings,
  idempotencyKeys,
  instrumentUnits,
  instruments,
  sites,
  type Booking,
  type DbOrTx,
} from '@qihub/db';

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
