import { and, asc, eq, gt, gte, inArray } from 'drizzle-orm';
import { bookingSeries, bookings, type Booking, type DbOrTx } from '@qihub/db';

export type BookingSeries = typeof bookingSeries.$inferSelect;
export type SeriesValues = Omit<typeof bookingSeries.$inferInsert, 'id' | 'createdAt'>;

export async function insertSeries(db: DbOrTx, values: SeriesValues) {
  const [row] = await db.insert(bookingSeries).values(values).returning();
  return row!;
}

export async function findSeries(db: DbOrTx, id: string) {
  const [row] = await db.select().from(bookingSeries).where(eq(bookingSeries.id, id)).limit(1);
  return row;
}

/** Every occurrence of the series (any status), oldest first. */
export function seriesOccurrences(db: DbOrTx, seriesId: string) {
  return db.select().from(bookings).where(eq(bookings.seriesId, seriesId)).orderBy(asc(bookings.startsAt));
}

/** The series' occurrences in `statuses`, oldest first, locked FOR UPDATE. */
export function lockOccurrencesIn(db: DbOrTx, seriesId: string, statuses: readonly Booking['status'][]) {
  return db
    .select()
    .from(bookings)
    .where(and(eq(bookings.seriesId, seriesId), inArray(bookings.status, [...statuses])))
    .orderBy(asc(bookings.startsAt))
    .for('update');
}

/** The occurrence `bookingId` of the series, if it is one. */
export async function findOccurrence(db: DbOrTx, seriesId: string, bookingId: string) {
  const [row] = await db
    .select()
    .from(bookings)
    .where(and(eq(bookings.id, bookingId), eq(bookings.seriesId, seriesId)))
    .limit(1);
  return row;
}

/**
 * The series' occurrences in `statuses` starting after `now` and from `from` on (`from` itself
 * included when `fromIncluded`), oldest first, locked FOR UPDATE.
 */
export function lockOccurrencesFrom(
  db: DbOrTx,
  input: { seriesId: string; statuses: readonly Booking['status'][]; from: Date; fromIncluded: boolean; now: Date },
) {
  return db
    .select()
    .from(bookings)
    .where(
      and(
        eq(bookings.seriesId, input.seriesId),
        inArray(bookings.status, [...input.statuses]),
        input.fromIncluded ? gte(bookings.startsAt, input.from) : gt(bookings.startsAt, input.from),
        gt(bookings.startsAt, input.now),
      ),
    )
    .orderBy(asc(bookings.startsAt))
    .for('update');
}
