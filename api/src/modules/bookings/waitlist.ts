import type { Booking, Db, Tx } from '@qihub/db';
import { requireActor, type Actor } from '../../lib/actor.ts';
import { recordAudit } from '../../lib/audit.ts';
import { AppError, conflict, forbidden, notFound } from '../../lib/errors.ts';
import { policyFor } from './policy.ts';
import * as repo from './repository.ts';
import { priceForMinutes } from './rules.ts';
import { insertHold } from './holds.ts';
import { vetSlot, type BookingDeps, type VettedSlot } from './vetting.ts';
import { notifyEach } from '../../lib/notify.ts';

/**
 * Waitlist: a customer waits for a time that is taken; when it frees up the first in line (by
 * created_at) is offered a real held booking for it, valid OFFER_MINUTES, and confirms it with the
 * normal POST /v1/bookings/{id}/confirm. An offer that lapses goes to the next in line.
 * `runWaitlistSweep` does all the hand-overs; it is idempotent and safe to run concurrently.
 */

/** How long an offered hold stands (never past the slot's start). */
export const WAITLIST_OFFER_MINUTES = 30;

type Entry = repo.WaitlistEntry;

export function toWaitlistView(e: Entry) {
  return {
    id: e.id,
    instrumentId: e.instrumentId,
    labId: e.labId,
    start: e.startsAt.toISOString(),
    end: e.endsAt.toISOString(),
    mode: e.mode,
    status: e.status,
    offeredBookingId: e.offeredBookingId,
    offerExpiresAt: e.offerExpiresAt?.toISOString() ?? null,
    createdAt: e.createdAt.toISOString(),
  };
}

class Rollback extends Error {}

/** The waitlist is personal: API tokens have none. */
function person(actor: Actor | null): Actor & { userId: string } {
  const a = requireActor(actor);
  if (a.kind !== 'user' || !a.userId) throw forbidden('The waitlist is for people, not API tokens.');
  return a as Actor & { userId: string };
}

/**
 * Whether the slot could be held right now, asked of the database itself: a hold is inserted in a
 * transaction that is always rolled back (same units, buffers, maintenance and operator rules as a
 * booking).
 */
async function holdableNow(db: Db, slot: VettedSlot, now: Date): Promise<boolean> {
  try {
    await db.transaction(async (tx) => {
      await insertHold(tx, slot, now);
      throw new Rollback();
    });
  } catch (error) {
    if (error instanceof Rollback) return true;
    if (error instanceof AppError && error.status === 409) return false;
    throw error;
  }
  return false;
}

/**
 * Joins the waitlist for a taken time. Every booking rule applies as for a booking (422 with the
 * rule's code); a time that is free right now is 409 slot_available (book it instead); waiting
 * twice for the same time is 409 already_waiting.
 */
export async function joinWaitlist(
  deps: BookingDeps,
  actor: Actor | null,
  input: { instrumentId: string; start: string; end: string; mode: 'self' | 'assisted' },
) {
  const a = person(actor);
  const slot = await vetSlot(deps, a, {
    instrumentId: input.instrumentId,
    start: new Date(input.start),
    end: new Date(input.end),
    mode: input.mode,
  });
  const now = deps.clock();
  if (await holdableNow(deps.db, slot, now)) {
    throw conflict('slot_available', 'This time is free: book it instead of waiting.');
  }
  return deps.db.transaction(async (tx) => {
    // One waiting place per user and time: serialise on the user while checking.
    await repo.lockWaitlistOf(tx, a.userId);
    const dupe = await repo.findOpenWaitlistEntry(tx, {
      userId: a.userId,
      instrumentId: input.instrumentId,
      start: slot.request.start,
      end: slot.request.end,
    });
    if (dupe) throw conflict('already_waiting', 'You are already on the waitlist for this time.');
    const entry = await repo.insertWaitlistEntry(tx, {
      instrumentId: input.instrumentId,
      labId: slot.instrument.labId,
      userId: a.userId,
      customerOrgId: slot.customer.orgId,
      startsAt: slot.request.start,
      endsAt: slot.request.end,
      mode: input.mode,
      updatedAt: now,
    });
    await recordAudit(tx, a, {
      at: now,
      action: 'waitlist.joined',
      entityType: 'waitlist_entry',
      entityId: entry.id,
      orgId: entry.customerOrgId,
      after: toWaitlistView(entry),
    });
    return toWaitlistView(entry);
  });
}

/** The caller's own waitlist entries, soonest time last-created first, at most 100. */
export async function listMyWaitlist(deps: BookingDeps, actor: Actor | null) {
  const a = person(actor);
  const rows = await repo.listWaitlistOf(deps.db, a.userId, 100);
  return { items: rows.map(toWaitlistView) };
}

/** Leaves the waitlist; an open offer is declined with it (its held booking is cancelled). */
export async function cancelWaitlistEntry(deps: BookingDeps, actor: Actor | null, id: string) {
  const a = person(actor);
  return deps.db.transaction(async (tx) => {
    const entry = await repo.lockWaitlistEntry(tx, id);
    if (!entry || entry.userId !== a.userId) throw notFound('waitlist entry');
    if (entry.status !== 'waiting' && entry.status !== 'offered') {
      throw new AppError(409, 'illegal_transition', `A ${entry.status} waitlist entry cannot be cancelled.`);
    }
    const now = deps.clock();
    if (entry.status === 'offered' && entry.offeredBookingId) {
      await repo.transitionBooking(tx, entry.offeredBookingId, ['held'], 'cancelled', {
        cancelledAt: now,
        cancelledBy: a.userId,
        cancellationFee: 0,
        updatedAt: now,
      });
    }
    const after = await repo.setWaitlistStatus(tx, id, 'cancelled', now);
    await recordAudit(tx, a, {
      at: now,
      action: 'waitlist.cancelled',
      entityType: 'waitlist_entry',
      entityId: id,
      orgId: entry.customerOrgId,
      before: toWaitlistView(entry),
      after: toWaitlistView(after!),
    });
    return toWaitlistView(after!);
  });
}

export interface WaitlistSweepResult {
  offered: string[];
  accepted: string[];
  expired: string[];
}

/** How many waitlist entries (or instruments) the sweep reads at a time; it loops until none is left. */
export const WAITLIST_SWEEP_BATCH = 200;

/**
 * One idempotent pass over the waitlist at `now`:
 * (a) offers whose booking was confirmed (or moved on to approval or use) → accepted; offers whose
 *     hold lapsed → the hold expires, the entry expires; offers whose booking was cancelled or
 *     otherwise ended unconfirmed → expired (the user declined);
 * (b) waiting entries whose time has begun → expired;
 * (c) per instrument, in line order (created_at), each waiting entry whose time can be held now is
 *     offered a held booking for its user, with an in-app notification.
 * Each step reads `batchSize` rows at a time, one transaction per batch, and loops until it has
 * seen them all. Entries are locked FOR UPDATE SKIP LOCKED and each instrument's hand-over runs
 * under a transaction-scoped advisory try-lock, so concurrent sweeps never offer the same time
 * twice (and the exclusion constraint would refuse a second hold anyway).
 */
export async function runWaitlistSweep(
  db: Db,
  now: Date,
  batchSize = WAITLIST_SWEEP_BATCH,
): Promise<WaitlistSweepResult> {
  const result: WaitlistSweepResult = { offered: [], accepted: [], expired: [] };
  // (a) In id order, after the last entry seen: an offer that still stands is not read again.
  let after: string | null = null;
  for (;;) {
    const seen: string[] = await db.transaction(async (tx) => {
      const open = await repo.lockOpenOffers(tx, after, batchSize);
      for (const { entry, booking } of open) await settleOffer(tx, entry, booking, now, result);
      return open.map((o) => o.entry.id);
    });
    if (seen.length < batchSize) break;
    after = seen[seen.length - 1]!;
  }
  // (b) Every batch leaves the waiting state, so the next one reads new rows.
  for (;;) {
    const past = await db.transaction((tx) => repo.expireStartedWaiting(tx, now, batchSize));
    result.expired.push(...past.map((p) => p.id));
    if (past.length < batchSize) break;
  }
  // (c) The instruments with someone waiting, in id order.
  let afterInstrument: string | null = null;
  for (;;) {
    const instruments = await repo.instrumentsWithWaiting(db, now, afterInstrument, batchSize);
    for (const { id } of instruments) {
      result.offered.push(...(await offerFreedTimes(db, id, now, batchSize)));
    }
    if (instruments.length < batchSize) break;
    afterInstrument = instruments[instruments.length - 1]!.id;
  }
  return result;
}

/** (a) for one offer: accepted, still standing, or ended (its lapsed hold expired). */
async function settleOffer(tx: Tx, entry: Entry, booking: Booking, now: Date, result: WaitlistSweepResult) {
  if (['pending_approval', 'confirmed', 'in_use', 'completed'].includes(booking.status)) {
    await setEntry(tx, entry.id, 'accepted', now);
    result.accepted.push(entry.id);
    return;
  }
  if (booking.status === 'held') {
    const lapsed =
      (booking.holdExpiresAt !== null && booking.holdExpiresAt <= now) ||
      (entry.offerExpiresAt !== null && entry.offerExpiresAt <= now);
    if (!lapsed) return;
    const expired = await repo.transitionBooking(tx, booking.id, ['held'], 'expired', { updatedAt: now });
    // The booking moved on meanwhile (e.g. confirmed just now): the next sweep sees where to.
    if (!expired) return;
    await recordAudit(tx, null, {
      at: now,
      action: 'booking.expired',
      entityType: 'booking',
      entityId: booking.id,
      orgId: booking.customerOrgId,
      after: { status: 'expired', reason: 'waitlist offer lapsed' },
    });
  }
  await setEntry(tx, entry.id, 'expired', now);
  result.expired.push(entry.id);
}

async function setEntry(tx: Tx, id: string, status: 'accepted' | 'expired', now: Date) {
  await repo.setWaitlistStatus(tx, id, status, now);
}

/**
 * Offers every time on one instrument that can be held now to the first waiting entry for it: the
 * waiting entries in line order, `batchSize` at a time, one transaction (and advisory try-lock)
 * per batch; another sweep holding the lock is handing them over already, so this one stops.
 */
async function offerFreedTimes(db: Db, instrumentId: string, now: Date, batchSize: number): Promise<string[]> {
  const offered: string[] = [];
  let after: { at: string; id: string } | null = null;
  for (;;) {
    const batch = await offerBatch(db, instrumentId, now, batchSize, after);
    if (!batch) break;
    offered.push(...batch.offered);
    if (batch.seen < batchSize || !batch.last) break;
    after = batch.last;
  }
  return offered;
}

async function offerBatch(
  db: Db,
  instrumentId: string,
  now: Date,
  batchSize: number,
  after: { at: string; id: string } | null,
): Promise<{ offered: string[]; seen: number; last: { at: string; id: string } | null } | null> {
  return db.transaction(async (tx) => {
    if (!(await repo.tryLockWaitlistOffers(tx, instrumentId))) return null;
    const instrument = await repo.instrumentForBooking(tx, instrumentId);
    if (!instrument || instrument.status !== 'active') return null;
    const policy = await policyFor(tx, instrumentId);
    const rows = await repo.lockWaitingInLine(tx, { instrumentId, now, after, limit: batchSize });
    const waiting = rows.map((r) => r.entry);
    const offered: string[] = [];
    for (const entry of waiting) {
      const tier = entry.customerOrgId === instrument.labId ? 'internal' : 'external';
      const hourlyRate = tier === 'internal' ? instrument.internalRateHour : instrument.externalRateHour;
      if (hourlyRate === null) continue;
      const minutes = (entry.endsAt.getTime() - entry.startsAt.getTime()) / 60_000;
      // The rules were checked when the user joined; the offer only needs the time to be free
      // (lead time is not re-applied: a time freed late is still worth offering before it starts).
      const slot: VettedSlot = {
        request: { instrumentId, start: entry.startsAt, end: entry.endsAt, mode: entry.mode, notes: '' },
        instrument,
        policy,
        customer: { orgId: entry.customerOrgId, tier },
        userId: entry.userId,
        hourlyRate,
        priceAmount: priceForMinutes(hourlyRate, minutes),
      };
      const expiresAt = new Date(Math.min(now.getTime() + WAITLIST_OFFER_MINUTES * 60_000, entry.startsAt.getTime()));
      let booking;
      try {
        booking = await insertHold(tx, slot, now, { holdExpiresAt: expiresAt });
      } catch (error) {
        if (error instanceof AppError && error.status === 409) continue;
        throw error;
      }
      await repo.markOffered(tx, entry.id, booking.id, expiresAt, now);
      await notifyEach(
        tx,
        [
          {
            userId: entry.userId,
            kind: 'waitlist_offer',
            titleZh: '您候补的机时已空出',
            titleEn: 'The time you were waiting for is free',
            bodyZh: `已为您保留该时段，请在 ${WAITLIST_OFFER_MINUTES} 分钟内确认预约，否则将顺延给下一位候补用户。`,
            bodyEn: `It is held for you: confirm the booking within ${WAITLIST_OFFER_MINUTES} minutes, or it goes to the next in line.`,
            link: '/bookings',
            dedupeKey: `waitlist-offer:${entry.id}:${booking.id}`,
          },
        ],
        now,
      );
      await recordAudit(tx, null, {
        at: now,
        action: 'waitlist.offered',
        entityType: 'waitlist_entry',
        entityId: entry.id,
        orgId: entry.customerOrgId,
        after: { status: 'offered', offeredBookingId: booking.id, offerExpiresAt: expiresAt.toISOString() },
      });
      offered.push(entry.id);
    }
    const last = rows[rows.length - 1];
    return { offered, seen: rows.length, last: last ? { at: last.at, id: last.entry.id } : null };
  });
}
