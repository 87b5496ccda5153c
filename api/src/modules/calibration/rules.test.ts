import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays, addMonths, calibrationStatus, daysBetween } from './rules.ts';

describe('calibration due dates', () => {
  it('counts calendar days across months and leap years', () => {
    expect(daysBetween('2026-11-26', '2026-12-26')).toBe(30);
    expect(daysBetween('2028-02-28', '2028-03-01')).toBe(2);
    expect(daysBetween('2026-11-26', '2026-11-25')).toBe(-1);
  });

  it('is overdue after the due day, due soon within 30 days, ok beyond', () => {
    expect(calibrationStatus(-1)).toBe('overdue');
    expect(calibrationStatus(0)).toBe('due_soon');
    expect(calibrationStatus(30)).toBe('due_soon');
    expect(calibrationStatus(31)).toBe('ok');
  });

  it('addDays and daysBetween agree', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 20_000 }), fc.integer({ min: -800, max: 800 }), (base, n) => {
        const start = addDays('2000-01-01', base);
        expect(daysBetween(start, addDays(start, n))).toBe(n);
      }),
    );
  });
});

describe('next calibration due date', () => {
  it('adds whole calendar months, clamping to the month end', () => {
    expect(addMonths('2026-11-26', 12)).toBe('2027-11-26');
    expect(addMonths('2026-08-31', 6)).toBe('2027-02-28');
    expect(addMonths('2028-02-29', 12)).toBe('2029-02-28');
  });
});
