import type { BookingPolicySnapshot, Db } from '@qihub/db';
import { DateTime } from 'luxon';
import { canSeeCatalogueEntry, membershipIn, type Actor } from '../../lib/actor.ts';
import { forbidden, notFound, unprocessable } from '../../lib/errors.ts';
import {
  holidayCalendarGeneration,
  openingWindows,
  refreshHolidayCalendar,
  withinOpening,
  type WeeklyHours,
  type Window,
} from '../availability/index.ts';
import { DEFAULT_LAB_SETTINGS, isBlocked } from '../training-and-violations/index.ts';
import { snapshotOf } from './policy.ts';
import * as repo from './repository.ts';
import { checkBookingRules, checkSlotShape, isoWeeksSpan, priceForMinutes, weekOverQuota } from './rules.ts';

export interface BookingDeps {
  db: Db;
  clock: () => Date;
}

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
  await refreshHolidayCalendar(deps.db);
  // One read for every rule (repo.slotFacts); the rules are then decided here in their fixed order.
  const facts = await repo.slotFacts(deps.db, {
    instrumentId: request.instrumentId,
    userId: actor.userId ?? NO_USER,
    start,
    end,
    now,
    defaultWindowDays: DEFAULT_LAB_SETTINGS.violationWindowDays,
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
      perInstrument: facts.maxHoldsPerInstrument ?? DEFAULT_LAB_SETTINGS.maxHoldsPerInstrument,
      perLab: facts.maxHoldsPerLab ?? DEFAULT_LAB_SETTINGS.maxHoldsPerLab,
      onInstrument: facts.holdsOnInstrument,
      atLab: facts.holdsAtLab,
    },
    lapsedInTheWay: facts.lapsedInTheWay,
  };
}

/**
 * `withinOpening(start, end, openingWindows(start, end, zone, week))`, with the windows of the days
 * around the slot cached. The slot lies inside one window of the days `openingWindows` walks (the
 * day before the start's to the end's) exactly when it lies inside one window of a wider span of
 * whole days (two days before the start's to two after the end's): windows of the extra days end
 * before the start or begin after the end, and clipping to a wider span never cuts a window that
 * holds the slot. That wider span depends only on the local dates, so it is shared by every slot
 * on those dates (and the windows are a pure function of zone, weekly hours, dates and the holiday
 * calendar in force — hence its generation in the key).
 */
function withinOpeningHours(start: Date, end: Date, timeZone: string, week: WeeklyHours[]): boolean {
  const key = `${holidayCalendarGeneration()}|${timeZone}|${localDate(start, timeZone)}|${localDate(end, timeZone)}|${JSON.stringify(week)}`;
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
      threshold: facts.violationThreshold ?? DEFAULT_LAB_SETTINGS.violationThreshold,
      windowDays: facts.violationWindowDays ?? DEFAULT_LAB_SETTINGS.violationWindowDays,
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
