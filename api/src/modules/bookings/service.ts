import { sql } from 'drizzle-orm';
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
import { checkBookingRules, isBlocked, isoWeeksSpan, occupiedRange, priceForMinutes, weekOverQuota } from './rules.ts';
import * as standing from '../standing/repository.ts';

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
    operatorId: b.operatorId,
    lateArrival: b.lateArrival,
    cancellationFeeWaived:
      b.cancellationFee === null ? null : { amount: b.cancellationFeeWaived, currency: b.currency },
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
  await checkStanding(deps, actor, { ...instrument, policy }, request, now, options.ignoreBookingId);
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
 * The rules about the user rather than the slot, after the slot rules:
 * - `qualification_required`: self-operation under a policy that asks for it needs a training
 *   record for the instrument valid for the whole slot. Lab members need one too; only the lab's
 *   managers are exempt (they sign the records off).
 * - `quota_exceeded`: the user's booked minutes on the instrument (active and completed bookings)
 *   plus this slot, per ISO week in the site's zone; a booking spanning two weeks counts in each by
 *   its part.
 * - `blacklisted`: more violations at the lab than its threshold inside its window (since the
 *   latest lift) blocks self-booking there; assisted bookings stay allowed.
 */
async function checkStanding(
  deps: BookingDeps,
  actor: Actor,
  instrument: { id: string; labId: string; timeZone: string; policy: BookingPolicySnapshot },
  request: SlotRequest,
  now: Date,
  ignoreBookingId: string | undefined,
) {
  const userId = actor.userId!;
  const { start, end, mode } = request;
  const { policy } = instrument;
  if (mode === 'self' && policy.qualificationRequired) {
    const lab = membershipIn(actor, instrument.labId);
    const exempt = lab?.orgKind === 'lab' && lab.role === 'manager';
    if (!exempt && !(await standing.hasValidTraining(deps.db, userId, instrument.id, start, end))) {
      throw unprocessable(
        'qualification_required',
        'Self-operation of this instrument needs a valid training record for the whole slot; book with an operator instead.',
      );
    }
  }
  if (policy.quotaMinutesPerWeek !== null) {
    const span = isoWeeksSpan(start, end, instrument.timeZone);
    const booked = await repo.bookedForQuota(deps.db, {
      userId,
      instrumentId: instrument.id,
      ...span,
      ignoreBookingId,
    });
    const over = weekOverQuota({
      request: { start, end },
      booked,
      timeZone: instrument.timeZone,
      quotaMinutesPerWeek: policy.quotaMinutesPerWeek,
    });
    if (over) {
      throw unprocessable(
        'quota_exceeded',
        `This would make ${over.minutes} minutes on this instrument in week ${over.week}; the quota is ${policy.quotaMinutesPerWeek} per week.`,
      );
    }
  }
  if (mode === 'self') {
    const settings = await standing.labSettings(deps.db, instrument.labId);
    const count = await standing.countedViolations(deps.db, instrument.labId, userId, now, settings.windowDays);
    if (isBlocked(count, settings.threshold)) {
      throw unprocessable(
        'blacklisted',
        `You are blocked from self-booking at this lab (${count} violations in ${settings.windowDays} days, more than ${settings.threshold}) until a lab manager lifts the block; you may still book with an operator.`,
      );
    }
  }
}

/** The constraint a lost race broke (23P01 exclusion), when the driver reports it. */
function brokenConstraint(error: unknown): string | undefined {
  let e: unknown = error;
  for (let i = 0; i < 3 && e && typeof e === 'object'; i++) {
    const c = e as { code?: string; constraint?: string; cause?: unknown };
    if (c.code === '23P01' || c.code === '40P01') return c.constraint;
    e = c.cause;
  }
  return undefined;
}

/**
 * Inserts the hold inside `tx`, trying each active unit in turn (a savepoint per attempt, so a lost
 * race leaves the transaction usable for the next). The exclusion constraints decide races: when
 * every unit is taken this throws 409 slot_unavailable.
 *
 * Assisted mode also needs a qualified operator free for the whole occupied range: the booking
 * gets the first free one (`operatorId`); a lost race on the operator (the operator exclusion
 * constraint) moves on to the next operator. When a unit is free but no operator is, the answer is
 * 409 operator_unavailable.
 */
export async function insertHold(
  tx: Tx,
  slot: VettedSlot,
  now: Date,
  overrides: { holdExpiresAt?: Date; seriesId?: string } = {},
): Promise<Booking> {
  const { request, instrument, policy } = slot;
  const occupied = occupiedRange(request.start, request.end, policy);
  // Holds on one instrument queue here, so racers meet a committed row and fail at once instead
  // of waiting on each other's uncommitted rows inside the exclusion check (a deadlock that
  // PostgreSQL only breaks after deadlock_timeout). Released at commit or rollback.
  await tx.execute(sql`SELECT pg_advisory_xact_lock(hashtextextended(${instrument.id}, 0))`);
  const units = await repo.activeUnits(tx, instrument.id, request.start, request.end);
  let operators: (string | null)[] = [null];
  if (request.mode === 'assisted') {
    operators = await repo.freeOperators(tx, {
      labId: instrument.labId,
      instrumentId: instrument.id,
      start: request.start,
      end: request.end,
      occupied,
    });
  }
  const busyOperators = new Set<string | null>();
  let unitsTaken = 0;
  for (const unit of units) {
    let unitTaken = false;
    for (const operatorId of operators) {
      if (busyOperators.has(operatorId)) continue;
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
            occupied,
            holdExpiresAt: overrides.holdExpiresAt ?? new Date(now.getTime() + policy.holdMinutes * 60_000),
            rateTier: slot.customer.tier,
            priceAmount: slot.priceAmount,
            hourlyRate: slot.hourlyRate,
            currency: instrument.currency,
            policy,
            notes: request.notes ?? '',
            seriesId: overrides.seriesId ?? null,
            operatorId,
          }),
        );
      } catch (error) {
        if (!isLostRace(error)) throw error;
        if (operatorId !== null && brokenConstraint(error) === 'bookings_operator_no_overlap') {
          busyOperators.add(operatorId);
          continue;
        }
        // The unit is taken (or a deadlock, which says nothing about the operator): next unit.
        unitTaken = true;
        break;
      }
    }
    if (unitTaken) unitsTaken += 1;
  }
  const unitLeft =
    operators.length === 0
      ? await repo.anyUnitFree(
          tx,
          units.map((u) => u.id),
          occupied,
        )
      : unitsTaken < units.length;
  if (request.mode === 'assisted' && unitLeft) {
    throw conflict('operator_unavailable', 'No qualified operator is free for the whole of this time.');
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
