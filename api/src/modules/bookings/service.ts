import { createHash } from 'node:crypto';
import type { Booking, BookingPolicySnapshot, Db, Tx } from '@qihub/db';
import { membershipIn, requireActor, type Actor } from '../../lib/actor.ts';
import { recordAudit } from '../../lib/audit.ts';
import { decodeCursor, encodeCursor } from '../../lib/cursor.ts';
import { conflict, forbidden, notFound, unprocessable } from '../../lib/errors.ts';
import { isLostRace } from '../../lib/pg-errors.ts';
import * as repo from './repository.ts';
import { openingWindows, withinOpening } from '../availability/calendar.ts';
import { weeklyHoursOf } from '../availability/repository.ts';
import { policyFor } from './policy.ts';
import { checkBookingRules, occupiedRange, priceForMinutes } from './rules.ts';

export interface BookingDeps {
  db: Db;
  clock: () => Date;
}

export interface CreateBookingInput {
  instrumentId: string;
  start: string;
  end: string;
  mode: 'self' | 'assisted';
  notes?: string;
}

export function toBookingView(b: Booking) {
  return {
    id: b.id,
    instrumentId: b.instrumentId,
    unitId: b.unitId,
    labId: b.labId,
    customerOrgId: b.customerOrgId,
    mode: b.mode,
    status: b.status,
    start: b.startsAt.toISOString(),
    end: b.endsAt.toISOString(),
    holdExpiresAt: b.holdExpiresAt?.toISOString() ?? null,
    rateTier: b.rateTier,
    price: { amount: b.priceAmount, currency: b.currency },
    cancellationFee: b.cancellationFee === null ? null : { amount: b.cancellationFee, currency: b.currency },
    rejectionReason: b.rejectionReason,
    actualStart: b.actualStart?.toISOString() ?? null,
    actualEnd: b.actualEnd?.toISOString() ?? null,
    billableMinutes: b.billableMinutes,
    billed: b.billedAmount === null ? null : { amount: b.billedAmount, currency: b.currency },
    paymentStatus: b.paymentStatus,
    notes: b.notes,
    createdAt: b.createdAt.toISOString(),
  };
}
export type BookingView = ReturnType<typeof toBookingView>;

/** Who books: a lab's own member books at the internal rate for the lab; anyone else for their enterprise. */
function customerOf(actor: Actor, labId: string) {
  if (actor.kind !== 'user') throw forbidden('Bookings are made by people, not API tokens.');
  const own = membershipIn(actor, labId);
  if (own) return { orgId: labId, tier: 'internal' as const };
  const enterprise = actor.memberships.find((m) => m.orgKind === 'enterprise' && m.orgStatus === 'active');
  if (!enterprise) throw forbidden('Book on behalf of an enterprise you belong to.');
  return { orgId: enterprise.orgId, tier: 'external' as const };
}

/** A slot someone asks for: the input of a booking, a reschedule, a series occurrence or a waitlist offer. */
export interface SlotRequest {
  instrumentId: string;
  start: Date;
  end: Date;
  mode: 'self' | 'assisted';
  notes?: string;
}

/** Everything needed to insert a hold once every rule has passed; built only by `vetSlot`. */
export interface VettedSlot {
  request: SlotRequest;
  instrument: NonNullable<Awaited<ReturnType<typeof repo.instrumentForBooking>>>;
  policy: BookingPolicySnapshot;
  customer: { orgId: string; tier: 'internal' | 'external' };
  userId: string;
  hourlyRate: number;
  priceAmount: number;
}

/**
 * Checks every rule for this actor booking this slot, in a fixed order, and answers the first
 * broken one as a 4xx problem (404 unknown instrument, 403 not allowed to book, 422 with the
 * rule's code). Reads only; the insert (`insertHold`) re-checks occupancy in the database.
 * `ignoreBookingId`: a booking being rescheduled, whose own time does not count against the user.
 */
export async function vetSlot(
  deps: BookingDeps,
  actor: Actor,
  request: SlotRequest,
  options: { ignoreBookingId?: string } = {},
): Promise<VettedSlot> {
  void options;
  const { start, end } = request;
  const instrument = await repo.instrumentForBooking(deps.db, request.instrumentId);
  if (!instrument || instrument.status === 'retired') throw notFound('instrument');
  const customer = customerOf(actor, instrument.labId);
  if (instrument.status !== 'active') {
    throw unprocessable('instrument_unavailable', 'The instrument is under maintenance.');
  }
  const policy = await policyFor(deps.db, instrument.id);
  const now = deps.clock();
  const [violation] = checkBookingRules({ start, end, now, mode: request.mode, policy, timeZone: instrument.timeZone });
  if (violation) throw unprocessable(violation.code, violation.message);
  const week = await weeklyHoursOf(deps.db, instrument.id, instrument.siteId);
  const open = withinOpening(start, end, openingWindows(start, end, instrument.timeZone, week));
  if (!open || (await repo.closedDuring(deps.db, instrument.labId, instrument.id, start, end))) {
    throw unprocessable('outside_opening_hours', `The lab is closed for part of this time (${instrument.timeZone}).`);
  }
  const hourlyRate = customer.tier === 'internal' ? instrument.internalRateHour : instrument.externalRateHour;
  if (hourlyRate === null) throw unprocessable('no_hourly_rate', 'This instrument is not rented by the hour.');
  const minutes = (end.getTime() - start.getTime()) / 60_000;
  return {
    request,
    instrument,
    policy,
    customer,
    userId: actor.userId!,
    hourlyRate,
    priceAmount: priceForMinutes(hourlyRate, minutes),
  };
}

/**
 * Inserts the hold inside `tx`, trying each active unit in turn (a savepoint per unit, so a lost
 * race on one unit leaves the transaction usable for the next). The exclusion constraint decides
 * races: when every unit is taken this throws 409 slot_unavailable.
 */
export async function insertHold(
  tx: Tx,
  slot: VettedSlot,
  now: Date,
  overrides: { holdExpiresAt?: Date; seriesId?: string } = {},
): Promise<Booking> {
  const { request, instrument, policy } = slot;
  const units = await repo.activeUnits(tx, instrument.id, request.start, request.end);
  for (const unit of units) {
    try {
      return await tx.transaction((sp) =>
        repo.insertBooking(sp, {
          instrumentId: instrument.id,
          unitId: unit.id,
          labId: instrument.labId,
          customerOrgId: slot.customer.orgId,
          userId: slot.userId,
          mode: request.mode,
          status: 'held',
          startsAt: request.start,
          endsAt: request.end,
          occupied: occupiedRange(request.start, request.end, policy),
          holdExpiresAt: overrides.holdExpiresAt ?? new Date(now.getTime() + policy.holdMinutes * 60_000),
          rateTier: slot.customer.tier,
          priceAmount: slot.priceAmount,
          hourlyRate: slot.hourlyRate,
          currency: instrument.currency,
          policy,
          notes: request.notes ?? '',
          seriesId: overrides.seriesId ?? null,
        }),
      );
    } catch (error) {
      if (!isLostRace(error)) throw error;
    }
  }
  throw conflict('slot_unavailable', 'This time is already taken on every unit of the instrument.');
}

/**
 * Holds a slot: every rule first (for a clear 4xx), then the insert, whose exclusion constraint
 * decides races: a lost race is 409 slot_unavailable, never a 500.
 */
export async function createBooking(
  deps: BookingDeps,
  actor: Actor | null,
  input: CreateBookingInput,
  idempotencyKey?: string,
): Promise<{ replayed: boolean; body: BookingView }> {
  const a = requireActor(actor);
  const requestHash = createHash('sha256').update(JSON.stringify(input)).digest('hex');
  if (idempotencyKey && a.userId) {
    const replay = await repo.findIdempotent(deps.db, a.userId, idempotencyKey);
    if (replay) return replayed(replay, requestHash);
  }
  const slot = await vetSlot(deps, a, {
    instrumentId: input.instrumentId,
    start: new Date(input.start),
    end: new Date(input.end),
    mode: input.mode,
    notes: input.notes,
  });
  const now = deps.clock();
  try {
    return await deps.db.transaction(async (tx) => {
      const booking = await insertHold(tx, slot, now);
      await recordAudit(tx, a, {
        action: 'booking.held',
        entityType: 'booking',
        entityId: booking.id,
        orgId: slot.customer.orgId,
        after: toBookingView(booking),
      });
      const body = toBookingView(booking);
      if (idempotencyKey) {
        await repo.saveIdempotent(tx, {
          userId: a.userId!,
          key: idempotencyKey,
          requestHash,
          statusCode: 201,
          response: body,
        });
      }
      return { replayed: false, body };
    });
  } catch (error) {
    if (idempotencyKey) {
      // A concurrent request with the same key may have won (it then took the slot, or the key):
      // answer what it answered.
      const replay = await repo.findIdempotent(deps.db, a.userId!, idempotencyKey);
      if (replay) return replayed(replay, requestHash);
    }
    if (isLostRace(error)) throw conflict('slot_unavailable', 'This time was just taken.');
    throw error;
  }
}

function replayed(row: { requestHash: string; statusCode: number; response: unknown }, requestHash: string) {
  if (row.requestHash !== requestHash) {
    throw unprocessable('idempotency_mismatch', 'This Idempotency-Key was used with a different request.');
  }
  return { replayed: true, body: row.response as BookingView };
}

/** Customers see their organisation's bookings; labs see bookings of their instruments; others 404. */
export function canSee(actor: Actor | null, b: Booking) {
  return !!membershipIn(actor, b.customerOrgId) || !!membershipIn(actor, b.labId);
}

export async function getBooking(deps: BookingDeps, actor: Actor | null, id: string) {
  const a = requireActor(actor);
  const b = await repo.findBooking(deps.db, id);
  if (!b || !canSee(a, b)) throw notFound('booking');
  return toBookingView(b);
}

export async function listBookings(deps: BookingDeps, actor: Actor | null, query: { limit?: number; cursor?: string }) {
  const a = requireActor(actor);
  const orgIds = a.memberships.map((m) => m.orgId);
  if (orgIds.length === 0) return { items: [], nextCursor: null };
  const limit = query.limit ?? 20;
  const after = query.cursor ? decodeCursor(query.cursor, 'bookings', 'timestamptz') : undefined;
  const rows = await repo.listBookings(
    deps.db,
    orgIds,
    limit,
    after ? { startsAt: String(after.key), id: after.id } : undefined,
  );
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return {
    items: items.map(toBookingView),
    nextCursor: rows.length > limit && last ? encodeCursor('bookings', last.startsAt.toISOString(), last.id) : null,
  };
}
