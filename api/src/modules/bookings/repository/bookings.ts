import { and, asc, desc, eq, inArray, lt, or, sql } from 'drizzle-orm';
import { bookingPolicies, bookings, type Booking, type DbOrTx } from '@qihub/db';

/** The instrument a booking is for, with its rates and its site's time zone. */
export { findInstrumentAtSite as instrumentForBooking } from '../../../lib/repository/instrument-site.ts';

export async function policyOf(db: DbOrTx, instrumentId: string) {
  const [row] = await db.select().from(bookingPolicies).where(eq(bookingPolicies.instrumentId, instrumentId)).limit(1);
  return row;
}

/** A new booking's columns; its stamps come from the app clock (the tests' clock), never the database's now(). */
export type BookingValues = Omit<typeof bookings.$inferInsert, 'id' | 'createdAt' | 'updatedAt'> & {
  createdAt: Date;
  updatedAt: Date;
};

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
  set: Partial<Omit<BookingValues, 'createdAt'>> & { updatedAt: Date },
) {
  const [row] = await db
    .update(bookings)
    .set({ ...set, status: to })
    .where(and(eq(bookings.id, id), inArray(bookings.status, [...from])))
    .returning();
  return row;
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
