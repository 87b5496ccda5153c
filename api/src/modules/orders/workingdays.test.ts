import fc from 'fast-check';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import {
  addWorkingDays,
  dueReminderFrom,
  isWorkingDay,
  nthWorkingDayAfter,
  previousWorkingDay,
  workingDaysBetween,
  workingDaysCounter,
} from './workingdays.ts';

const ZONE = 'Asia/Shanghai';
const isoDay = fc
  .integer({ min: 0, max: 364 })
  .map((offset) => DateTime.fromISO('2026-01-01', { zone: ZONE }).plus({ days: offset }).toISODate()!);

describe('working days (China calendar)', () => {
  it('skips the 2026 National Day week and counts the make-up Saturday (10 October)', () => {
    // Wednesday 30 September + 1: Oct 1–7 are holidays, Thursday 8 October is the first working day.
    expect(nthWorkingDayAfter('2026-09-30', 1)).toBe('2026-10-08');
    // 8 Oct (Thu), 9 Oct (Fri), 10 Oct (make-up Saturday), 12 Oct (Mon), 13 Oct (Tue).
    expect(nthWorkingDayAfter('2026-09-30', 5)).toBe('2026-10-13');
    expect(isWorkingDay('2026-10-10')).toBe(true);
    expect(isWorkingDay('2026-10-11')).toBe(false);
    expect(isWorkingDay('2026-10-05')).toBe(false);
    // Make-up Sunday 20 September counts too.
    expect(isWorkingDay('2026-09-20')).toBe(true);
  });

  it('a due date is the end of the n-th working day, in China time', () => {
    // Clock started 30 September 15:00 in Shanghai.
    const due = addWorkingDays(new Date('2026-09-30T07:00:00Z'), 5);
    expect(DateTime.fromJSDate(due, { zone: ZONE }).toISO()).toBe('2026-10-13T23:59:59.999+08:00');
    // Late at night UTC is already the next China day.
    const next = addWorkingDays(new Date('2026-11-26T17:00:00Z'), 1); // Friday 27 Nov 01:00 in Shanghai
    expect(DateTime.fromJSDate(next, { zone: ZONE }).toISODate()).toBe('2026-11-30');
  });

  it('the reminder starts on the working day before the due day', () => {
    const due = DateTime.fromISO('2026-10-08T23:59:59', { zone: ZONE }).toJSDate();
    expect(DateTime.fromJSDate(dueReminderFrom(due), { zone: ZONE }).toISO()).toBe('2026-09-30T00:00:00.000+08:00');
  });

  it('property: the n-th working day is a working day, with exactly n working days after the start', () => {
    fc.assert(
      fc.property(isoDay, fc.integer({ min: 1, max: 30 }), (start, n) => {
        const due = nthWorkingDayAfter(start, n);
        expect(isWorkingDay(due)).toBe(true);
        expect(due > start).toBe(true);
        expect(workingDaysBetween(start, due)).toBe(n);
        // Monotone: one more working day is strictly later.
        expect(nthWorkingDayAfter(start, n + 1) > due).toBe(true);
        // The working day before the due date is reached from the start in n − 1 days (or is the start side).
        const before = previousWorkingDay(due);
        expect(before < due).toBe(true);
        expect(workingDaysBetween(start, before)).toBe(Math.max(0, n - 1));
      }),
      { numRuns: 300 },
    );
  });

  it('property: the tiers never end before calendar days would (holidays only lengthen them)', () => {
    fc.assert(
      fc.property(isoDay, fc.constantFrom(5, 15, 25, 30), (start, n) => {
        const due = DateTime.fromISO(nthWorkingDayAfter(start, n), { zone: ZONE });
        const calendar = DateTime.fromISO(start, { zone: ZONE }).plus({ days: n });
        expect(due >= calendar).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it('property: the counter of many orders counts as workingDaysBetween, in any order of calls and across years', () => {
    const anyDay = fc
      .integer({ min: 0, max: 1460 })
      .map((offset) => DateTime.fromISO('2025-01-01', { zone: ZONE }).plus({ days: offset }).toISODate()!);
    fc.assert(
      fc.property(fc.array(fc.tuple(anyDay, anyDay), { minLength: 1, maxLength: 12 }), (pairs) => {
        const counter = workingDaysCounter();
        for (const [from, to] of pairs) expect(counter(from, to)).toBe(workingDaysBetween(from, to));
      }),
      { numRuns: 60 },
    );
  });
});
