import { and, asc, eq, gt, inArray, lte, ne, or, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import {
  bookings,
  instrumentUnits,
  instruments,
  organisations,
  sites,
  users,
  type Booking,
  type DbOrTx,
} from '@qihub/db';

/** An instrument as its label and its check-in page name it: names, model, lab and the site's time zone. */
export async function instrumentForCheckin(db: DbOrTx, id: string) {
  const [row] = await db
    .select({
      id: instruments.id,
      labId: instruments.labId,
      nameZh: instruments.nameZh,
      nameEn: instruments.nameEn,
      model: instruments.model,
      manufacturer: instruments.manufacturer,
      status: instruments.status,
      labStatus: organisations.status,
      labZh: organisations.nameZh,
      labEn: organisations.nameEn,
      timeZone: sites.timeZone,
    })
    .from(instruments)
    .innerJoin(organisations, eq(organisations.id, instruments.labId))
    .innerJoin(sites, eq(sites.id, instruments.siteId))
    .where(eq(instruments.id, id))
    .limit(1);
  return row;
}
export type CheckinInstrument = NonNullable<Awaited<ReturnType<typeof instrumentForCheckin>>>;

/** The lab's instruments still in service (one of them with `instrumentId`), by name. */
export async function labInstrumentsForLabels(db: DbOrTx, labId: string, instrumentId?: string) {
  return db
    .select({
      id: instruments.id,
      nameZh: instruments.nameZh,
      nameEn: instruments.nameEn,
      model: instruments.model,
      manufacturer: instruments.manufacturer,
      status: instruments.status,
    })
    .from(instruments)
    .where(
      and(
        eq(instruments.labId, labId),
        ne(instruments.status, 'retired'),
        instrumentId ? eq(instruments.id, instrumentId) : undefined,
      ),
    )
    .orderBy(asc(instruments.nameZh), asc(instruments.id));
}

/** Whether an instrument of some lab exists at all, and whose (for a precise refusal). */
export async function instrumentLab(db: DbOrTx, id: string) {
  const [row] = await db
    .select({ labId: instruments.labId, status: instruments.status })
    .from(instruments)
    .where(eq(instruments.id, id))
    .limit(1);
  return row;
}

/** The active units of the instruments given, by position. */
export async function activeUnits(db: DbOrTx, instrumentIds: string[]) {
  if (instrumentIds.length === 0) return [];
  return db
    .select({
      id: instrumentUnits.id,
      instrumentId: instrumentUnits.instrumentId,
      label: instrumentUnits.label,
      position: instrumentUnits.position,
    })
    .from(instrumentUnits)
    .where(and(inArray(instrumentUnits.instrumentId, instrumentIds), eq(instrumentUnits.active, true)))
    .orderBy(asc(instrumentUnits.instrumentId), asc(instrumentUnits.position));
}

/** One unit of an instrument by its position (as the label's `?unit=` names it). */
export async function unitAt(db: DbOrTx, instrumentId: string, position: number) {
  const [row] = await db
    .select({ id: instrumentUnits.id, label: instrumentUnits.label, position: instrumentUnits.position })
    .from(instrumentUnits)
    .where(and(eq(instrumentUnits.instrumentId, instrumentId), eq(instrumentUnits.position, position)))
    .limit(1);
  return row;
}

export interface CheckinScope {
  instrumentId: string;
  /** Only this unit's bookings, when the label names one. */
  unitId?: string;
  /** Only this person's bookings (a customer sees their own); undefined for the lab, which sees all. */
  userId?: string;
}

const operatorUser = alias(users, 'operator_user');

function scoped(scope: CheckinScope) {
  return and(
    eq(bookings.instrumentId, scope.instrumentId),
    scope.unitId ? eq(bookings.unitId, scope.unitId) : undefined,
    scope.userId ? eq(bookings.userId, scope.userId) : undefined,
  );
}

/**
 * The bookings someone could check in or out at the instrument now: confirmed ones whose check-in
 * window is open (from `earlyMinutes` before the start until the end), and those in use (an overrun
 * still checks out). Earliest start first.
 */
export async function currentBookings(
  db: DbOrTx,
  scope: CheckinScope,
  now: Date,
  earlyMinutes: number,
): Promise<{ booking: Booking; bookerName: string; orgZh: string; orgEn: string; operatorName: string | null }[]> {
  const opensBy = new Date(now.getTime() + earlyMinutes * 60_000);
  const rows = await db
    .select({
      booking: bookings,
      bookerName: users.displayName,
      orgZh: organisations.nameZh,
      orgEn: organisations.nameEn,
      operatorName: operatorUser.displayName,
    })
    .from(bookings)
    .innerJoin(users, eq(users.id, bookings.userId))
    .innerJoin(organisations, eq(organisations.id, bookings.customerOrgId))
    .leftJoin(operatorUser, eq(operatorUser.id, bookings.operatorId))
    .where(
      and(
        scoped(scope),
        or(
          eq(bookings.status, 'in_use'),
          and(eq(bookings.status, 'confirmed'), lte(bookings.startsAt, opensBy), gt(bookings.endsAt, now)),
        ),
      ),
    )
    .orderBy(asc(bookings.startsAt), asc(bookings.id))
    .limit(20);
  return rows;
}

/** The next booking still to come (held, awaiting approval or confirmed) whose check-in has not opened yet. */
export async function nextBooking(db: DbOrTx, scope: CheckinScope, now: Date, earlyMinutes: number) {
  const opensBy = new Date(now.getTime() + earlyMinutes * 60_000);
  const [row] = await db
    .select({ id: bookings.id, startsAt: bookings.startsAt, endsAt: bookings.endsAt, status: bookings.status })
    .from(bookings)
    .where(
      and(
        scoped(scope),
        inArray(bookings.status, ['held', 'pending_approval', 'confirmed']),
        gt(bookings.startsAt, opensBy),
        // A hold that has lapsed is no booking to come back for.
        sql`(${bookings.holdExpiresAt} IS NULL OR ${bookings.holdExpiresAt} > ${now.toISOString()}::timestamptz)`,
      ),
    )
    .orderBy(asc(bookings.startsAt), asc(bookings.id))
    .limit(1);
  return row;
}
