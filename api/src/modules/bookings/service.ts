import { createHash } from 'node:crypto';
import type { Booking, BookingPolicySnapshot, Db, Tx } from '@qihub/db';
import { eq } from 'drizzle-orm';
import { auditLog } from '@qihub/db';
import { actingOrg, canSeeCatalogueEntry, membershipIn, requireActor, type Actor } from '../../lib/actor.ts';
import { recordAudit } from '../../lib/audit.ts';
import { decodeCursor, encodeCursor } from '../../lib/cursor.ts';
import { conflict, forbidden, notFound, unprocessable } from '../../lib/errors.ts';
import { isCheckViolation, isLostRace } from '../../lib/pg-errors.ts';
import * as repo from './repository.ts';
import { DateTime } from 'luxon';
import { openingWindows, withinOpening, type WeeklyHours, type Window } from '../availability/index.ts';
import { snapshotOf } from './policy.ts';
import {
  checkBookingRules,
  DEFAULT_POLICY,
  freeCancellationUntil,
  checkSlotShape,
  isBlocked,
  isoWeeksSpan,
  occupiedRange,
  priceForMinutes,
  weekOverQuota,
} from './rules.ts';
import * as standing from '../training-and-violations/index.ts';

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
  const policy = { ...DEFAULT_POLICY, ...b.policy };
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
    cancellationTerms: {
      freeUntil: freeCancellationUntil({
        start: b.startsAt,
        policy,
        freeUntil: b.freeCancellationUntil,
      }).toISOString(),
      feeBasisPoints: policy.cancellationFeeBasisPoints,
      cutoffMinutes: policy.cancellationCutoffMinutes,
    },
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
  /** Units in service without a block of their own during the slot, when it was vetted (position order). */
  units?: string[];
  /** The lab's hold limits and the person's live holds when the slot was vetted (see `assertHoldRoom`). */
  holds?: HoldCount;
  /** A hold that ran out, not yet swept, stood in the slot's way when it was vetted: the insert expires it. */
  lapsedInTheWay?: boolean;
}

/** A person's live holds on an instrument and at its lab, and the lab's limits for them. */
export interface HoldCount {
  perInstrument: number;
  perLab: number;
  onInstrument: number;
  atLab: number;
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
  const shape = checkSlotShape(start, end);
  if (shape) throw unprocessable(shape.code, shape.message);
  const now = deps.clock();
  // One read for every rule (repo.slotFacts); the rules are then decided here in their fixed order.
  const facts = await repo.slotFacts(deps.db, {
    instrumentId: request.instrumentId,
    userId: actor.userId ?? NO_USER,
    start,
    end,
    now,
    defaultWindowDays: standing.DEFAULT_LAB_SETTINGS.violationWindowDays,
  });
  // Only what the catalogue shows may be booked: an instrument of a lab not admitted (or suspended)
  // is not found, even by someone who knows its id; the lab's own members still use it.
  if (!facts || facts.status === 'retired' || !canSeeCatalogueEntry(actor, facts)) throw notFound('instrument');
  const instrument = {
    id: facts.id,
    labId: facts.labId,
    status: facts.status,
    internalRateHour: facts.internalRateHour,
    externalRateHour: facts.externalRateHour,
    currency: facts.currency,
    siteId: facts.siteId,
    timeZone: facts.timeZone,
  };
  const customer = customerOf(actor, instrument.labId);
  if (instrument.status !== 'active') {
    throw unprocessable('instrument_unavailable', 'The instrument is under maintenance.');
  }
  const policy = snapshotOf(facts.policy);
  const [violation] = checkBookingRules({ start, end, now, mode: request.mode, policy, timeZone: instrument.timeZone });
  if (violation) throw unprocessable(violation.code, violation.message);
  const open = withinOpeningHours(start, end, instrument.timeZone, facts.hours);
  if (!open || facts.closed) {
    throw unprocessable('outside_opening_hours', `The lab is closed for part of this time (${instrument.timeZone}).`);
  }
  const hourlyRate = customer.tier === 'internal' ? instrument.internalRateHour : instrument.externalRateHour;
  if (hourlyRate === null) throw unprocessable('no_hourly_rate', 'This instrument is not rented by the hour.');
  checkStanding(actor, { ...instrument, policy }, facts, request, options.ignoreBookingId);
  const minutes = (end.getTime() - start.getTime()) / 60_000;
  return {
    request,
    instrument,
    policy,
    customer,
    userId: actor.userId!,
    hourlyRate,
    priceAmount: priceForMinutes(hourlyRate, minutes),
    units: facts.units,
    holds: {
      perInstrument: facts.maxHoldsPerInstrument ?? standing.DEFAULT_LAB_SETTINGS.maxHoldsPerInstrument,
      perLab: facts.maxHoldsPerLab ?? standing.DEFAULT_LAB_SETTINGS.maxHoldsPerLab,
      onInstrument: facts.holdsOnInstrument,
      atLab: facts.holdsAtLab,
    },
    lapsedInTheWay: facts.lapsedInTheWay,
  };
}

/**
 * Slot hoarding: a person may hold only so many slots at once (held, not yet confirmed, hold still
 * running) on one instrument and across its lab — the lab's `maxHoldsPerInstrument` and
 * `maxHoldsPerLab`, 2 and 5 by default; a series counts as one hold. Checked here for a clear
 * answer (422 hold_limit_reached); `booking_hold_lock` proves it in the database when the hold is
 * written, so simultaneous requests cannot slip under the limit together. Holds the person did not
 * take themselves (waitlist offers, the lab's order work) and moves of a booking are not limited.
 */
export function assertHoldRoom(slot: VettedSlot) {
  const h = slot.holds;
  if (!h) return;
  if (h.onInstrument >= h.perInstrument) {
    throw holdLimitReached(
      `You already hold ${h.onInstrument} slot(s) on this instrument, the most the lab allows at once`,
    );
  }
  if (h.atLab >= h.perLab) {
    throw holdLimitReached(`You already hold ${h.atLab} slot(s) at this lab, the most it allows at once`);
  }
}

function holdLimitReached(why: string) {
  return unprocessable('hold_limit_reached', `${why}: confirm or cancel one of your holds first.`);
}

/** The hold limit the database refused a hold over (`booking_hold_lock`), as `assertHoldRoom` answers it. */
export function asHoldLimit(error: unknown): unknown {
  return isCheckViolation(error, 'bookings_hold_limit')
    ? holdLimitReached('You already hold as many slots as the lab allows at once')
    : error;
}

/** What `insertHold` needs to count a hold against the person's limit (it is theirs and new). */
export function holdLimitOf(slot: VettedSlot, seriesId: string | null = null): repo.HoldLimit | undefined {
  if (!slot.holds) return undefined;
  return {
    userId: slot.userId,
    labId: slot.instrument.labId,
    seriesId,
    perInstrument: slot.holds.perInstrument,
    perLab: slot.holds.perLab,
  };
}

/**
 * `withinOpening(start, end, openingWindows(start, end, zone, week))`, with the windows of the days
 * around the slot cached. The slot lies inside one window of the days `openingWindows` walks (the
 * day before the start's to the end's) exactly when it lies inside one window of a wider span of
 * whole days (two days before the start's to two after the end's): windows of the extra days end
 * before the start or begin after the end, and clipping to a wider span never cuts a window that
 * holds the slot. That wider span depends only on the local dates, so it is shared by every slot
 * on those dates (and the windows are a pure function of zone, weekly hours and dates).
 */
function withinOpeningHours(start: Date, end: Date, timeZone: string, week: WeeklyHours[]): boolean {
  const key = `${timeZone}|${localDate(start, timeZone)}|${localDate(end, timeZone)}|${JSON.stringify(week)}`;
  let windows = windowCache.get(key);
  if (!windows) {
    const from = DateTime.fromJSDate(start, { zone: timeZone }).startOf('day').minus({ days: 1 }).toJSDate();
    const to = DateTime.fromJSDate(end, { zone: timeZone }).startOf('day').plus({ days: 2 }).toJSDate();
    windows = openingWindows(from, to, timeZone, week);
    if (windowCache.size >= 10_000) windowCache.clear();
    windowCache.set(key, windows);
  }
  return withinOpening(start, end, windows);
}

const windowCache = new Map<string, Window[]>();
const dateFormats = new Map<string, Intl.DateTimeFormat>();

/** The local calendar date of an instant in a zone, e.g. "2026-11-27". */
function localDate(instant: Date, timeZone: string): string {
  let format = dateFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    dateFormats.set(timeZone, format);
  }
  return format.format(instant);
}

/** Stands in for a user id in `slotFacts` when there is none (customerOf then refuses anyway). */
const NO_USER = '00000000-0000-0000-0000-000000000000';

/**
 * The rules about the user rather than the slot, after the slot rules (decided on `repo.slotFacts`):
 * - `qualification_required`: self-operation under a policy that asks for it needs a training
 *   record for the instrument valid for the whole slot. Lab members need one too; only the lab's
 *   managers are exempt (they sign the records off).
 * - `quota_exceeded`: the user's booked minutes on the instrument (active and completed bookings)
 *   plus this slot, per ISO week in the site's zone; a booking spanning two weeks counts in each by
 *   its part.
 * - `blacklisted`: more violations at the lab than its threshold inside its window (since the
 *   latest lift) blocks self-booking there; assisted bookings stay allowed.
 */
function checkStanding(
  actor: Actor,
  instrument: { id: string; labId: string; timeZone: string; policy: BookingPolicySnapshot },
  facts: NonNullable<Awaited<ReturnType<typeof repo.slotFacts>>>,
  request: SlotRequest,
  ignoreBookingId: string | undefined,
) {
  const { start, end, mode } = request;
  const { policy } = instrument;
  if (mode === 'self' && policy.qualificationRequired) {
    const lab = membershipIn(actor, instrument.labId);
    const exempt = lab?.orgKind === 'lab' && lab.role === 'manager';
    if (!exempt && !facts.trained) {
      throw unprocessable(
        'qualification_required',
        'Self-operation of this instrument needs a valid training record for the whole slot; book with an operator instead.',
      );
    }
  }
  if (policy.quotaMinutesPerWeek !== null) {
    // The user's quota-counting bookings overlapping the ISO weeks the slot touches (facts hold a superset).
    const span = isoWeeksSpan(start, end, instrument.timeZone);
    const booked = (facts.quotaBooked ?? [])
      .filter((b) => b.id !== ignoreBookingId && b.s < span.to.getTime() && b.e > span.from.getTime())
      .map((b) => ({ start: new Date(b.s), end: new Date(b.e) }));
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
    const settings = {
      threshold: facts.violationThreshold ?? standing.DEFAULT_LAB_SETTINGS.violationThreshold,
      windowDays: facts.violationWindowDays ?? standing.DEFAULT_LAB_SETTINGS.violationWindowDays,
    };
    const count = facts.violations;
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
 * every unit is taken this throws 409 slot_unavailable. A unit an active booking already visibly
 * occupies is not tried (its insert could only break the constraint).
 *
 * Assisted mode also needs a qualified operator free for the whole occupied range: the booking
 * gets the first free one (`operatorId`); a lost race on the operator (the operator exclusion
 * constraint) moves on to the next operator. When a unit is free but no operator is, the answer is
 * 409 operator_unavailable.
 *
 * `lastWrite`: the caller's transaction ends when the hold fails (nothing else is written after a
 * 409), so a single attempt (self mode, one candidate unit) needs no savepoint.
 */
export async function insertHold(
  tx: Tx,
  slot: VettedSlot,
  now: Date,
  overrides: {
    holdExpiresAt?: Date;
    seriesId?: string;
    lastWrite?: boolean;
    /** Count the hold against the person's hold limit (`holdLimitOf`); absent: not limited. */
    limit?: repo.HoldLimit;
    /** Ties a moved booking keeps (see `rescheduleBooking`). */
    orderId?: string | null;
    freeCancellationUntil?: Date | null;
  } = {},
): Promise<Booking> {
  const { request, instrument, policy } = slot;
  const occupied = occupiedRange(request.start, request.end, policy);
  // Holds on one instrument queue on an advisory lock (taken by this statement), so racers meet a
  // committed row and fail at once instead of waiting on each other's uncommitted rows inside the
  // exclusion check (a deadlock that PostgreSQL only breaks after deadlock_timeout). Released at
  // commit or rollback. With a limit, the person's hold limit is checked under its own lock first.
  const units = await repo.lockAndActiveUnits(tx, {
    instrumentId: instrument.id,
    labId: instrument.labId,
    start: request.start,
    end: request.end,
    occupied,
    now,
    limit: overrides.limit,
  });
  // Holds that ran out still count for the exclusion constraints until marked: this booking marks
  // those in its way and wins (whether or not the expiry sweep has run).
  await repo.expireLapsedHolds(tx, {
    instrumentId: instrument.id,
    labId: instrument.labId,
    occupied,
    now,
    operators: request.mode === 'assisted',
  });
  let operators: (string | null)[] = [null];
  if (request.mode === 'assisted') {
    operators = await repo.freeOperators(tx, {
      labId: instrument.labId,
      instrumentId: instrument.id,
      start: request.start,
      end: request.end,
      occupied,
      now,
    });
  }
  const values = (unitId: string, operatorId: string | null): repo.BookingValues => ({
    instrumentId: instrument.id,
    unitId,
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
    orderId: overrides.orderId ?? null,
    freeCancellationUntil: overrides.freeCancellationUntil ?? null,
  });
  const candidates = units.filter((u) => !u.busy);
  let unitsTaken = units.length - candidates.length;
  if (overrides.lastWrite && candidates.length === 1 && operators.length === 1 && operators[0] === null) {
    try {
      return await repo.insertBooking(tx, values(candidates[0]!.id, null));
    } catch (error) {
      if (!isLostRace(error)) throw error;
      // The transaction is aborted now; the caller rolls it back.
      throw conflict('slot_unavailable', 'This time is already taken on every unit of the instrument.');
    }
  }
  const busyOperators = new Set<string | null>();
  for (const unit of candidates) {
    let unitTaken = false;
    for (const operatorId of operators) {
      if (busyOperators.has(operatorId)) continue;
      try {
        return await tx.transaction((sp) => repo.insertBooking(sp, values(unit.id, operatorId)));
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
          now,
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
  assertHoldRoom(slot);
  const now = deps.clock();
  if (!idempotencyKey && slot.request.mode === 'self' && slot.units?.length) {
    return { replayed: false, body: await holdSelf(deps, a, slot, now) };
  }
  try {
    return await deps.db.transaction(async (tx) => {
      const booking = await insertHold(tx, slot, now, { lastWrite: true, limit: holdLimitOf(slot) });
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
    throw asHoldLimit(error);
  }
}

/**
 * `createBooking` for a self-operated hold without an Idempotency-Key, in as few round trips as the
 * rules allow: what `insertHold` + `recordAudit` do, with the same outcomes. A single statement
 * (its own transaction): the hold lock, the insert on the first free unit and the audit entry. When
 * that loses on an instrument with several units, the choice is made again in a transaction that
 * takes the lock first (so its snapshot has every earlier hold; no savepoint is needed).
 */
async function holdSelf(deps: BookingDeps, actor: Actor, slot: VettedSlot, now: Date): Promise<BookingView> {
  const { request, instrument, policy } = slot;
  const occupied = occupiedRange(request.start, request.end, policy);
  const values = {
    instrumentId: instrument.id,
    labId: instrument.labId,
    customerOrgId: slot.customer.orgId,
    userId: slot.userId,
    mode: request.mode,
    status: 'held' as const,
    startsAt: request.start,
    endsAt: request.end,
    occupied,
    holdExpiresAt: new Date(now.getTime() + policy.holdMinutes * 60_000),
    rateTier: slot.customer.tier,
    priceAmount: slot.priceAmount,
    hourlyRate: slot.hourlyRate,
    currency: instrument.currency,
    policy,
    notes: request.notes ?? '',
    seriesId: null,
    operatorId: null,
    orderId: null,
    freeCancellationUntil: null,
  };
  // The audit entry's `after` is the view of the row as inserted; the database fills in what only
  // it knows (id, unit, creation time), and the result is checked against the real row below.
  const {
    id: _id,
    unitId: _unit,
    createdAt: _created,
    ...after
  } = toBookingView({
    ...values,
    id: '',
    unitId: '',
    rejectionReason: null,
    actualStart: null,
    actualEnd: null,
    billableMinutes: null,
    billedAmount: null,
    paymentStatus: 'unpaid',
    cancelledAt: null,
    cancelledBy: null,
    cancellationFee: null,
    cancellationFeeWaived: 0,
    rescheduledTo: null,
    reminded24hAt: null,
    reminded1hAt: null,
    lateArrival: false,
    createdAt: now,
    updatedAt: now,
  });
  const audit = {
    actorUserId: actor.userId,
    actorOrgId: actingOrg(actor, slot.customer.orgId),
    actorKind: actor.kind,
    action: 'booking.held',
    orgId: slot.customer.orgId,
    after,
  };
  const taken = (error: unknown) => isLostRace(error) || isNullUnit(error);
  const limit = holdLimitOf(slot)!;
  let written: Awaited<ReturnType<typeof repo.insertBookingAudited>> | undefined;
  // A hold that ran out stands in the way (unswept): it must be marked expired before the insert,
  // which the transaction below does; the single statement would only break the constraint.
  if (!slot.lapsedInTheWay) {
    try {
      written = await repo.insertHoldStatement(
        deps.db,
        values,
        { unitIds: slot.units ?? [], start: request.start, end: request.end, now },
        limit,
        audit,
      );
    } catch (error) {
      // Taken (exclusion constraint), or the unit went out of service (NOT NULL on unit_id). With one
      // unit that is the answer; with several, the unit was chosen on a snapshot that may predate
      // the lock: choose again under the lock.
      if (!taken(error)) throw asHoldLimit(error);
      if ((slot.units?.length ?? 0) <= 1) throw conflict('slot_unavailable', SLOT_TAKEN);
    }
  }
  try {
    written ??= await deps.db.transaction(async (tx) => {
      const units = await repo.lockAndActiveUnits(tx, {
        instrumentId: instrument.id,
        labId: instrument.labId,
        start: request.start,
        end: request.end,
        occupied,
        now,
        limit,
      });
      if (units.length === 0) throw conflict('slot_unavailable', SLOT_TAKEN);
      await repo.expireLapsedHolds(tx, {
        instrumentId: instrument.id,
        labId: instrument.labId,
        occupied,
        now,
        operators: false,
      });
      const unitId = repo.firstFreeUnit(
        units.map((u) => u.id),
        occupied,
        now,
      );
      return repo.insertBookingAudited(tx, { ...values, unitId }, audit);
    });
  } catch (error) {
    if (taken(error)) throw conflict('slot_unavailable', SLOT_TAKEN);
    throw asHoldLimit(error);
  }
  const body = toBookingView(written.booking);
  const expected = JSON.parse(JSON.stringify(body)) as unknown;
  if (!sameJson(expected, written.auditAfter)) {
    // Never expected: keep the audit trail exact all the same.
    await deps.db.update(auditLog).set({ after: expected }).where(eq(auditLog.id, written.auditId));
  }
  return body;
}

const SLOT_TAKEN = 'This time is already taken on every unit of the instrument.';

function isNullUnit(error: unknown): boolean {
  let e: unknown = error;
  for (let i = 0; i < 3 && e && typeof e === 'object'; i++) {
    const c = e as { code?: string; column?: string; cause?: unknown };
    if (c.code === '23502' && c.column === 'unit_id') return true;
    e = c.cause;
  }
  return false;
}

/** Deep equality of JSON values, object keys in any order (jsonb keeps its own order). */
function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  return ka.every((k) => sameJson((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
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
