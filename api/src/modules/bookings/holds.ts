import type { Booking, Tx } from '@qihub/db';
import { actingOrg, type Actor } from '../../lib/actor.ts';
import { conflict, unprocessable } from '../../lib/errors.ts';
import { isCheckViolation, isLostRace } from '../../lib/pg-errors.ts';
import * as repo from './repository.ts';
import { occupiedRange } from './rules.ts';
import { toBookingView, type BookingView } from './view.ts';
import type { BookingDeps, VettedSlot } from './vetting.ts';

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

/** What a hold may carry besides its slot: an offer's own expiry, its series, ties a moved booking keeps. */
export interface HoldOverrides {
  holdExpiresAt?: Date;
  seriesId?: string;
  /** Ties a moved booking keeps (see `rescheduleBooking`). */
  orderId?: string | null;
  freeCancellationUntil?: Date | null;
}

/** The row of a new hold, its unit and operator aside: the one builder for every hold path. */
function holdRow(slot: VettedSlot, now: Date, overrides: HoldOverrides = {}) {
  const { request, instrument, policy } = slot;
  return {
    instrumentId: instrument.id,
    labId: instrument.labId,
    customerOrgId: slot.customer.orgId,
    userId: slot.userId,
    mode: request.mode,
    status: 'held' as const,
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
    orderId: overrides.orderId ?? null,
    freeCancellationUntil: overrides.freeCancellationUntil ?? null,
    createdAt: now,
    updatedAt: now,
  } satisfies Omit<repo.BookingValues, 'unitId' | 'operatorId'>;
}

/** The audit entry of a hold the person took, whichever path writes it (`after`: the booking's view). */
function heldAudit(actor: Actor, slot: VettedSlot, after: Record<string, unknown>): repo.HoldAudit {
  return {
    actorUserId: actor.userId,
    actorOrgId: actingOrg(actor, slot.customer.orgId),
    actorKind: actor.kind,
    action: 'booking.held',
    orgId: slot.customer.orgId,
    after,
  };
}

/** Writes the audit entry of a hold `insertHold` wrote for the person (as `holdSelf`'s statement does). */
export async function writeHeldAudit(tx: Tx, actor: Actor, slot: VettedSlot, booking: Booking): Promise<void> {
  await repo.insertHoldAudit(tx, booking, heldAudit(actor, slot, toBookingView(booking)));
}

/**
 * Takes the instrument's hold lock and lists its units in service (see `insertHold`), then expires
 * the lapsed holds in the slot's way: holds that ran out still count for the exclusion constraints
 * until marked, so this booking marks those in its way and wins (whether or not the expiry sweep
 * has run). In assisted mode that includes lapsed holds of the lab's operators.
 */
async function lockForHold(tx: Tx, slot: VettedSlot, occupied: string, now: Date, limit?: repo.HoldLimit) {
  const { request, instrument } = slot;
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
    limit,
  });
  await repo.expireLapsedHolds(tx, {
    instrumentId: instrument.id,
    labId: instrument.labId,
    occupied,
    now,
    operators: request.mode === 'assisted',
  });
  return units;
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
  overrides: HoldOverrides & {
    lastWrite?: boolean;
    /** Count the hold against the person's hold limit (`holdLimitOf`); absent: not limited. */
    limit?: repo.HoldLimit;
  } = {},
): Promise<Booking> {
  const { request, instrument } = slot;
  const row = holdRow(slot, now, overrides);
  const { occupied } = row;
  const units = await lockForHold(tx, slot, occupied, now, overrides.limit);
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
  const values = (unitId: string, operatorId: string | null): repo.BookingValues => ({ ...row, unitId, operatorId });
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
 * `createBooking` for a self-operated hold without an Idempotency-Key, in as few round trips as the
 * rules allow: what `insertHold` + `writeHeldAudit` do, with the same outcomes. A single statement
 * (its own transaction): the hold lock, the insert on the first free unit and the audit entry. When
 * that loses on an instrument with several units, the choice is made again in a transaction that
 * takes the lock first (so its snapshot has every earlier hold; no savepoint is needed).
 */
export async function holdSelf(deps: BookingDeps, actor: Actor, slot: VettedSlot, now: Date): Promise<BookingView> {
  const { request } = slot;
  const values = { ...holdRow(slot, now), operatorId: null };
  const { occupied } = values;
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
  const audit = heldAudit(actor, slot, after);
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
      const units = await lockForHold(tx, slot, occupied, now, limit);
      if (units.length === 0) throw conflict('slot_unavailable', SLOT_TAKEN);
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
  const expected = JSON.parse(JSON.stringify(body)) as Record<string, unknown>;
  if (!sameJson(expected, written.auditAfter)) {
    // Never expected: keep the audit trail exact all the same.
    await repo.correctHoldAudit(deps.db, written.auditId, expected);
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
