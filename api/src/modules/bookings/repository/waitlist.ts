import { and, asc, desc, eq, gt, inArray, lte, sql } from 'drizzle-orm';
import { bookings, waitlistEntries, type DbOrTx } from '@qihub/db';
import { exactInstant } from '../../../lib/repository/keyset.ts';

export type WaitlistEntry = typeof waitlistEntries.$inferSelect;
type WaitlistStatus = WaitlistEntry['status'];

/** Serialises one user's waitlist writes until the transaction ends. */
export async function lockWaitlistOf(tx: DbOrTx, userId: string): Promise<void> {
  await tx.execute(sql`SELECT pg_advisory_xact_lock(hashtextextended(${`waitlist:${userId}`}, 0))`);
}

/** The user's waiting or offered entry for exactly this time on the instrument, if any. */
export async function findOpenWaitlistEntry(
  db: DbOrTx,
  input: { userId: string; instrumentId: string; start: Date; end: Date },
) {
  const [row] = await db
    .select({ id: waitlistEntries.id })
    .from(waitlistEntries)
    .where(
      and(
        eq(waitlistEntries.userId, input.userId),
        eq(waitlistEntries.instrumentId, input.instrumentId),
        eq(waitlistEntries.startsAt, input.start),
        eq(waitlistEntries.endsAt, input.end),
        inArray(waitlistEntries.status, ['waiting', 'offered']),
      ),
    )
    .limit(1);
  return row;
}

export async function insertWaitlistEntry(
  db: DbOrTx,
  values: Omit<typeof waitlistEntries.$inferInsert, 'id' | 'createdAt'>,
): Promise<WaitlistEntry> {
  const [row] = await db.insert(waitlistEntries).values(values).returning();
  return row!;
}

/** The user's entries, latest time first (then latest created), at most `limit`. */
export function listWaitlistOf(db: DbOrTx, userId: string, limit: number) {
  return db
    .select()
    .from(waitlistEntries)
    .where(eq(waitlistEntries.userId, userId))
    .orderBy(desc(waitlistEntries.startsAt), desc(waitlistEntries.createdAt))
    .limit(limit);
}

export async function lockWaitlistEntry(db: DbOrTx, id: string) {
  const [row] = await db.select().from(waitlistEntries).where(eq(waitlistEntries.id, id)).for('update').limit(1);
  return row;
}

export async function setWaitlistStatus(db: DbOrTx, id: string, status: WaitlistStatus, now: Date) {
  const [row] = await db
    .update(waitlistEntries)
    .set({ status, updatedAt: now })
    .where(eq(waitlistEntries.id, id))
    .returning();
  return row;
}

/** The entry now offers `bookingId`, until `expiresAt`. */
export async function markOffered(db: DbOrTx, id: string, bookingId: string, expiresAt: Date, now: Date) {
  await db
    .update(waitlistEntries)
    .set({ status: 'offered', offeredBookingId: bookingId, offerExpiresAt: expiresAt, updatedAt: now })
    .where(eq(waitlistEntries.id, id));
}

/** A moved offer is still the offer: the open entry offering `fromBookingId` now offers `toBookingId`. */
export async function moveWaitlistOffer(db: DbOrTx, fromBookingId: string, toBookingId: string, now: Date) {
  await db
    .update(waitlistEntries)
    .set({ offeredBookingId: toBookingId, updatedAt: now })
    .where(and(eq(waitlistEntries.offeredBookingId, fromBookingId), eq(waitlistEntries.status, 'offered')));
}

/** Offered entries with their bookings, in id order after `after`, locked FOR UPDATE SKIP LOCKED. */
export function lockOpenOffers(tx: DbOrTx, after: string | null, limit: number) {
  return tx
    .select({ entry: waitlistEntries, booking: bookings })
    .from(waitlistEntries)
    .innerJoin(bookings, eq(bookings.id, waitlistEntries.offeredBookingId))
    .where(and(eq(waitlistEntries.status, 'offered'), after ? gt(waitlistEntries.id, after) : undefined))
    .orderBy(asc(waitlistEntries.id))
    .limit(limit)
    .for('update', { of: waitlistEntries, skipLocked: true });
}

/** Expires up to `limit` waiting entries whose time has begun by `now` (skipping locked ones); their ids. */
export async function expireStartedWaiting(tx: DbOrTx, now: Date, limit: number) {
  const batch = await tx
    .select({ id: waitlistEntries.id })
    .from(waitlistEntries)
    .where(and(eq(waitlistEntries.status, 'waiting'), lte(waitlistEntries.startsAt, now)))
    .orderBy(asc(waitlistEntries.id))
    .limit(limit)
    .for('update', { skipLocked: true });
  if (batch.length === 0) return [];
  return tx
    .update(waitlistEntries)
    .set({ status: 'expired', updatedAt: now })
    .where(
      and(
        eq(waitlistEntries.status, 'waiting'),
        inArray(
          waitlistEntries.id,
          batch.map((b) => b.id),
        ),
      ),
    )
    .returning({ id: waitlistEntries.id });
}

/** Instruments with someone waiting for a time after `now`, in id order after `after`. */
export function instrumentsWithWaiting(db: DbOrTx, now: Date, after: string | null, limit: number) {
  return db
    .selectDistinct({ id: waitlistEntries.instrumentId })
    .from(waitlistEntries)
    .where(
      and(
        eq(waitlistEntries.status, 'waiting'),
        gt(waitlistEntries.startsAt, now),
        after ? gt(waitlistEntries.instrumentId, after) : undefined,
      ),
    )
    .orderBy(asc(waitlistEntries.instrumentId))
    .limit(limit);
}

/** Whether this transaction took the instrument's hand-over lock (false: another sweep holds it). */
export async function tryLockWaitlistOffers(tx: DbOrTx, instrumentId: string): Promise<boolean> {
  const locked = await tx.execute<{ ok: boolean }>(
    sql`SELECT pg_try_advisory_xact_lock(hashtextextended(${`waitlist-offer:${instrumentId}`}, 0)) AS ok`,
  );
  return !!locked.rows[0]?.ok;
}

/**
 * Entries waiting for a time on the instrument after `now`, in line order (created_at, id) after
 * `after`, locked FOR UPDATE SKIP LOCKED; `at` is the exact creation instant, for the next page.
 */
export function lockWaitingInLine(
  tx: DbOrTx,
  input: { instrumentId: string; now: Date; after: { at: string; id: string } | null; limit: number },
) {
  const { after } = input;
  return tx
    .select({ entry: waitlistEntries, at: exactInstant(waitlistEntries.createdAt) })
    .from(waitlistEntries)
    .where(
      and(
        eq(waitlistEntries.instrumentId, input.instrumentId),
        eq(waitlistEntries.status, 'waiting'),
        gt(waitlistEntries.startsAt, input.now),
        after
          ? sql`(${waitlistEntries.createdAt}, ${waitlistEntries.id}) > (${after.at}::timestamptz, ${after.id}::uuid)`
          : undefined,
      ),
    )
    .orderBy(asc(waitlistEntries.createdAt), asc(waitlistEntries.id))
    .limit(input.limit)
    .for('update', { of: waitlistEntries, skipLocked: true });
}
