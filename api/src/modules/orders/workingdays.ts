import { DateTime } from 'luxon';
import { PLATFORM_TIME_ZONE } from '../../lib/time.ts';
import { chinaDayKind } from '../availability/index.ts';

/**
 * Turnaround in working days, with the same holiday and make-up-day calendar as the booking engine
 * (`chinaDayKind`): public holidays do not count, make-up Saturdays/Sundays do, other weekends not.
 * Dates are China dates (Asia/Shanghai).
 */
export function isWorkingDay(isoDate: string): boolean {
  return workingOn(isoDate, isoWeekday(isoDate));
}

function workingOn(isoDate: string, weekday: number): boolean {
  const kind = chinaDayKind(isoDate, weekday);
  if (kind === 'public_holiday') return false;
  if (kind === 'makeup_workday') return true;
  return weekday <= 5;
}

const DAY_MS = 86_400_000;
/** ISO weekday (1 = Monday … 7 = Sunday) of a calendar date; a date has no zone, so UTC arithmetic is exact. */
const isoWeekday = (isoDate: string) => new Date(`${isoDate}T00:00:00Z`).getUTCDay() || 7;

/** The n-th working day after `isoDate` (the day itself does not count), as YYYY-MM-DD; n ≥ 1. */
export function nthWorkingDayAfter(isoDate: string, n: number): string {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`working days must be a positive integer, got ${n}`);
  let day = DateTime.fromISO(isoDate, { zone: PLATFORM_TIME_ZONE });
  let left = n;
  while (left > 0) {
    day = day.plus({ days: 1 });
    if (isWorkingDay(day.toISODate()!)) left -= 1;
  }
  return day.toISODate()!;
}

/** The last working day strictly before `isoDate`. */
export function previousWorkingDay(isoDate: string): string {
  let day = DateTime.fromISO(isoDate, { zone: PLATFORM_TIME_ZONE }).minus({ days: 1 });
  while (!isWorkingDay(day.toISODate()!)) day = day.minus({ days: 1 });
  return day.toISODate()!;
}

/**
 * Due instant for a tier of n working days counted from the clock start: the end of the n-th
 * working day after the start's China date (the start day itself is day 0, whatever the hour).
 */
export function addWorkingDays(start: Date, n: number): Date {
  const startDate = DateTime.fromJSDate(start, { zone: PLATFORM_TIME_ZONE }).toISODate()!;
  const due = nthWorkingDayAfter(startDate, n);
  return DateTime.fromISO(due, { zone: PLATFORM_TIME_ZONE }).endOf('day').toJSDate();
}

/** Working days in (fromDate, toDate] (China dates, YYYY-MM-DD). */
export function workingDaysBetween(fromDate: string, toDate: string): number {
  let day = DateTime.fromISO(fromDate, { zone: PLATFORM_TIME_ZONE });
  const end = DateTime.fromISO(toDate, { zone: PLATFORM_TIME_ZONE });
  let count = 0;
  while (day < end) {
    day = day.plus({ days: 1 });
    if (isWorkingDay(day.toISODate()!)) count += 1;
  }
  return count;
}

/**
 * When the "due in one working day" reminder becomes due: the start of the working day before the
 * due day (so a Monday due date is announced from the Friday before, or the make-up Saturday).
 */
export function dueReminderFrom(dueAt: Date): Date {
  const dueDate = DateTime.fromJSDate(dueAt, { zone: PLATFORM_TIME_ZONE }).toISODate()!;
  return DateTime.fromISO(previousWorkingDay(dueDate), { zone: PLATFORM_TIME_ZONE }).startOf('day').toJSDate();
}

/**
 * `workingDaysBetween` for many orders at once (the efficiency evaluation): a running count of
 * working days over the calendar the orders span, each day judged once, so every order costs one
 * subtraction (a year of orders: a few thousand calendar look-ups in all, not one per day of every
 * order). Make one per request: entered holiday years apply.
 */
export function workingDaysCounter(): (fromDate: string, toDate: string) => number {
  // running[i]: working days in (first - 1 day, first + i days], i.e. among first .. first + i.
  let first = 0;
  let running: number[] = [];
  const dayOf = (isoDate: string) => Math.round(Date.parse(`${isoDate}T00:00:00Z`) / DAY_MS);
  const cover = (lo: number, hi: number) => {
    const last = first + running.length - 1;
    if (running.length > 0 && lo >= first && hi <= last) return;
    // Grow by at least a year either way, so a span of years is judged in a few steps.
    const from = running.length === 0 ? lo : Math.min(lo, lo < first ? first - 366 : first);
    const to = running.length === 0 ? hi : Math.max(hi, hi > last ? last + 366 : last);
    const next: number[] = new Array(to - from + 1);
    let count = 0;
    for (let d = from; d <= to; d++) {
      if (d >= first && d <= last && running.length > 0) {
        // Days already judged: carry their working flags over.
        count += running[d - first]! - (d === first ? 0 : running[d - first - 1]!);
      } else {
        const at = new Date(d * DAY_MS);
        if (workingOn(at.toISOString().slice(0, 10), at.getUTCDay() || 7)) count += 1;
      }
      next[d - from] = count;
    }
    first = from;
    running = next;
  };
  return (fromDate, toDate) => {
    const from = dayOf(fromDate);
    const to = dayOf(toDate);
    if (to <= from) return 0;
    cover(from, to);
    return running[to - first]! - running[from - first]!;
  };
}
