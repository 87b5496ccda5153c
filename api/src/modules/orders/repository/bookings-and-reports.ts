import { and, asc, desc, eq, inArray } from 'drizzle-orm';
import { bookings, instruments, reports, type Booking, type DbOrTx } from '@qihub/db';

/** The instrument bookings made for the order, by start. */
export function bookingsOfOrder(db: DbOrTx, orderId: string) {
  return db
    .select({
      id: bookings.id,
      instrumentId: bookings.instrumentId,
      instrumentNameZh: instruments.nameZh,
      status: bookings.status,
      startsAt: bookings.startsAt,
      endsAt: bookings.endsAt,
    })
    .from(bookings)
    .innerJoin(instruments, eq(instruments.id, bookings.instrumentId))
    .where(eq(bookings.orderId, orderId))
    .orderBy(asc(bookings.startsAt));
}

/** A hold made into the order's booking: confirmed at once and linked to the order. */
export async function confirmBookingForOrder(
  tx: DbOrTx,
  bookingId: string,
  orderId: string,
  now: Date,
): Promise<Booking> {
  const [booking] = await tx
    .update(bookings)
    .set({ status: 'confirmed', holdExpiresAt: null, orderId, updatedAt: now })
    .where(eq(bookings.id, bookingId))
    .returning();
  return booking!;
}

/** Cancels the order's bookings that still take instrument time; answers their ids. */
export function cancelOrderBookings(
  tx: DbOrTx,
  orderId: string,
  cancelledBy: string | null,
  now: Date,
): Promise<{ id: string }[]> {
  return tx
    .update(bookings)
    .set({ status: 'cancelled', cancelledAt: now, cancelledBy, updatedAt: now })
    .where(and(eq(bookings.orderId, orderId), inArray(bookings.status, ['held', 'pending_approval', 'confirmed'])))
    .returning({ id: bookings.id });
}

/** The order's reports, oldest first. */
export function reportsOfOrder(db: DbOrTx, orderId: string) {
  return db
    .select({
      id: reports.id,
      number: reports.number,
      status: reports.status,
      kind: reports.kind,
      lineIds: reports.lineIds,
    })
    .from(reports)
    .where(eq(reports.orderId, orderId))
    .orderBy(asc(reports.createdAt));
}

/** The order's latest issued report, if any. */
export async function latestIssuedReport(db: DbOrTx, orderId: string): Promise<{ id: string } | undefined> {
  const [report] = await db
    .select({ id: reports.id })
    .from(reports)
    .where(and(eq(reports.orderId, orderId), eq(reports.status, 'issued')))
    .orderBy(desc(reports.issuedAt))
    .limit(1);
  return report;
}
