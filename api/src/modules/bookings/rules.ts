import type { BookingPolicySnapshot } from '@qihub/db';
import { DateTime } from 'luxon';
import { applyBasisPoints } from '../../lib/money.ts';
import { DEFAULT_POLICY } from '../availability/index.ts';

/** A broken booking rule: answered as 422 with this code (ARCHITECTURE "API conventions"). */
export interface RuleViolation {
  code: 'duration' | 'grid' | 'lead_time' | 'horizon' | 'mode_not_offered' | 'in_the_past';
  message: string;
}

const MINUTE = 60_000;

/** One formatter per zone (building an Intl.DateTimeFormat costs far more than using one). */
const hourMinuteFormats = new Map<string, Intl.DateTimeFormat>();

/** Minutes since local midnight of an instant in a time zone (the slot grid is wall-clock). */
export function localMinuteOfDay(instant: Date, timeZone: string): number {
  let format = hourMinuteFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    hourMinuteFormats.set(timeZone, format);
  }
  const parts = format
    .formatToParts(instant)
    .reduce<Record<string, string>>((acc, p) => ({ ...acc, [p.type]: p.value }), {});
  return Number(parts.hour) * 60 + Number(parts.minute);
}

/**
 * The one rule a slot must meet before anything is read or built from it: it ends after it starts.
 * Checked before any query, so a reversed or empty range never reaches PostgreSQL, which refuses
 * to build such a tstzrange (an error, not a rule, and only while a statement's plan is fresh).
 */
export function checkSlotShape(start: Date, end: Date): RuleViolation | null {
  if (end.getTime() > start.getTime()) return null;
  return { code: 'duration', message: 'The end of a slot must be after its start.' };
}

/**
 * The rules a requested slot must satisfy under a policy, in a fixed order; empty when it may be
 * booked. Opening hours, qualifications, quotas and blacklists come with the rest of the engine.
 */
export function checkBookingRules(input: {
  start: Date;
  end: Date;
  now: Date;
  mode: 'self' | 'assisted';
  policy: BookingPolicySnapshot;
  timeZone: string;
}): RuleViolation[] {
  const { start, end, now, mode, policy, timeZone } = input;
  const out: RuleViolation[] = [];
  const minutes = (end.getTime() - start.getTime()) / MINUTE;
  if (start.getTime() <= now.getTime()) out.push({ code: 'in_the_past', message: 'The slot has already begun.' });
  if (!policy.modes.includes(mode))
    out.push({ code: 'mode_not_offered', message: `This instrument does not offer ${mode} use.` });
  if (
    !Number.isInteger(minutes) ||
    minutes < policy.minMinutes ||
    minutes > policy.maxMinutes ||
    minutes % policy.slotMinutes !== 0
  ) {
    out.push({
      code: 'duration',
      message: `Book between ${policy.minMinutes} and ${policy.maxMinutes} minutes, in steps of ${policy.slotMinutes}.`,
    });
  }
  if (
    start.getUTCSeconds() !== 0 ||
    start.getUTCMilliseconds() !== 0 ||
    localMinuteOfDay(start, timeZone) % policy.slotMinutes !== 0
  ) {
    out.push({ code: 'grid', message: `Slots start on a ${policy.slotMinutes}-minute grid in ${timeZone}.` });
  }
  if (start.getTime() - now.getTime() < policy.leadMinutes * MINUTE) {
    out.push({ code: 'lead_time', message: `Book at least ${policy.leadMinutes} minutes ahead.` });
  }
  if (start.getTime() - now.getTime() > policy.horizonDays * 24 * 60 * MINUTE) {
    out.push({ code: 'horizon', message: `Book at most ${policy.horizonDays} days ahead.` });
  }
  return out;
}

/** Price in fen for booked minutes at an hourly rate, rounded half up to the fen. */
export function priceForMinutes(hourlyRateFen: number, minutes: number): number {
  return Math.floor((hourlyRateFen * minutes + 30) / 60);
}

/**
 * Until when a booking cancels free: the snapshot's cut-off before the start — or `freeUntil` when
 * that is earlier (a booking that replaced a committed one carries the cut-off before the earlier
 * of the two starts: the earlier start decides).
 */
export function freeCancellationUntil(input: {
  start: Date;
  policy: Pick<BookingPolicySnapshot, 'cancellationCutoffMinutes'>;
  freeUntil?: Date | null;
}): Date {
  const own = input.start.getTime() - input.policy.cancellationCutoffMinutes * MINUTE;
  return new Date(input.freeUntil ? Math.min(own, input.freeUntil.getTime()) : own);
}

/** The late-cancellation fee: charged after the free period (`freeCancellationUntil`), per the snapshot. */
export function cancellationFee(input: {
  price: number;
  start: Date;
  now: Date;
  policy: Pick<BookingPolicySnapshot, 'cancellationCutoffMinutes' | 'cancellationFeeBasisPoints'>;
  freeUntil?: Date | null;
}): number {
  const late = input.now.getTime() > freeCancellationUntil(input).getTime();
  return late ? applyBasisPoints(input.price, input.policy.cancellationFeeBasisPoints) : 0;
}

/**
 * What the customer pays for cancelling a booking at `now`: nothing for a hold (it is no
 * commitment: letting it lapse costs nothing either), else the late-cancellation fee of its policy
 * snapshot after its free period. A fee above zero is a `late_cancellation` strike.
 */
export function customerCancellationFee(
  b: {
    status: string;
    priceAmount: number;
    startsAt: Date;
    policy: Partial<BookingPolicySnapshot>;
    freeCancellationUntil: Date | null;
  },
  now: Date,
): number {
  if (b.status === 'held') return 0;
  return cancellationFee({
    price: b.priceAmount,
    start: b.startsAt,
    now,
    policy: { ...DEFAULT_POLICY, ...b.policy },
    freeUntil: b.freeCancellationUntil,
  });
}

/** The range a booking occupies: booked time widened by set-up and clean-up buffers. */
export function occupiedRange(
  start: Date,
  end: Date,
  policy: Pick<BookingPolicySnapshot, 'setupMinutes' | 'cleanupMinutes'>,
): string {
  const from = new Date(start.getTime() - policy.setupMinutes * MINUTE).toISOString();
  const to = new Date(end.getTime() + policy.cleanupMinutes * MINUTE).toISOString();
  return `[${from},${to})`;
}

/**
 * Billable time on completion: the booked time, or the actual time rounded up to the slot when the
 * user overran by more than the grace period (facilities bill max(booked, actual)).
 */
export function billableMinutes(input: {
  bookedMinutes: number;
  actualMinutes: number;
  slotMinutes: number;
  graceMinutes: number;
}): number {
  const { bookedMinutes, actualMinutes, slotMinutes, graceMinutes } = input;
  if (actualMinutes <= bookedMinutes + graceMinutes) return bookedMinutes;
  return Math.max(bookedMinutes, Math.ceil(actualMinutes / slotMinutes) * slotMinutes);
}

// ───────────────────────────── standing: quota, arrival, fee waivers, blocks ─────────────────────────────

/** ISO week key in a zone, e.g. "2026-W48" (ISO week-numbering year, so 2027-01-01 may be 2026-W53). */
function isoWeekKey(instant: DateTime): string {
  return `${instant.weekYear}-W${String(instant.weekNumber).padStart(2, '0')}`;
}

/**
 * Minutes of [start, end) falling in each ISO week (Monday 00:00 to Monday 00:00 wall-clock time in
 * the site's zone). A booking spanning two weeks counts in each by its part, so the parts always
 * add up to the whole.
 */
export function minutesByIsoWeek(start: Date, end: Date, timeZone: string): Map<string, number> {
  const out = new Map<string, number>();
  let cursor = DateTime.fromJSDate(start, { zone: timeZone });
  const last = DateTime.fromJSDate(end, { zone: timeZone });
  while (cursor < last) {
    const next = cursor.startOf('week').plus({ weeks: 1 });
    const partEnd = next < last ? next : last;
    const key = isoWeekKey(cursor);
    out.set(key, (out.get(key) ?? 0) + (partEnd.toMillis() - cursor.toMillis()) / MINUTE);
    cursor = partEnd;
  }
  return out;
}

/** The instants bounding the ISO weeks [start, end) touches in a zone: what quota queries must read. */
export function isoWeeksSpan(start: Date, end: Date, timeZone: string): { from: Date; to: Date } {
  const from = DateTime.fromJSDate(start, { zone: timeZone }).startOf('week');
  const lastWeek = DateTime.fromJSDate(new Date(end.getTime() - 1), { zone: timeZone }).startOf('week');
  return { from: from.toJSDate(), to: lastWeek.plus({ weeks: 1 }).toJSDate() };
}

/**
 * The first ISO week in which the user's booked minutes on an instrument plus the requested slot
 * would exceed the weekly quota, or null when the request fits (null quota: no limit).
 */
export function weekOverQuota(input: {
  request: { start: Date; end: Date };
  booked: { start: Date; end: Date }[];
  timeZone: string;
  quotaMinutesPerWeek: number | null;
}): { week: string; minutes: number } | null {
  const { request, booked, timeZone, quotaMinutesPerWeek: quota } = input;
  if (quota === null) return null;
  const asked = minutesByIsoWeek(request.start, request.end, timeZone);
  const used = new Map<string, number>();
  for (const b of booked) {
    for (const [week, minutes] of minutesByIsoWeek(b.start, b.end, timeZone)) {
      used.set(week, (used.get(week) ?? 0) + minutes);
    }
  }
  for (const [week, minutes] of asked) {
    const total = (used.get(week) ?? 0) + minutes;
    if (total > quota) return { week, minutes: total };
  }
  return null;
}

/**
 * How a check-in at `now` counts: on time until start + grace, late (still allowed, flagged) until
 * start + late-void, void from then on (the booking is a no-show; the sweep releases it).
 */
export function arrival(
  start: Date,
  now: Date,
  policy: Pick<BookingPolicySnapshot, 'noShowGraceMinutes' | 'lateVoidMinutes'>,
): 'on_time' | 'late' | 'void' {
  const late = now.getTime() - start.getTime();
  if (late >= policy.lateVoidMinutes * MINUTE) return 'void';
  if (late > policy.noShowGraceMinutes * MINUTE) return 'late';
  return 'on_time';
}

/**
 * Fee waiver when someone else books freed time: the cancelled booking's fee pro rata to the
 * minutes the new booking covers, floored to the fen, never beyond what is still unwaived.
 * The bookings module applies the same arithmetic in one SQL statement (`waiveFreedFees`).
 */
export function feeWaiver(input: {
  fee: number;
  alreadyWaived: number;
  bookedMinutes: number;
  overlapMinutes: number;
}): number {
  const { fee, alreadyWaived, bookedMinutes, overlapMinutes } = input;
  if (fee <= alreadyWaived || bookedMinutes <= 0 || overlapMinutes <= 0) return 0;
  const share = Math.floor((fee * Math.min(overlapMinutes, bookedMinutes)) / bookedMinutes);
  return Math.min(share, fee - alreadyWaived);
}
