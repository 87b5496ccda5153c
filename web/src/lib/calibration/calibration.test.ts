import { describe, expect, it } from 'vitest';
import { byUrgency, chinaToday, daysLeft, daysLeftText, dueStatus, localDate } from './calibration';

describe('daysLeft', () => {
  it('counts calendar days to the due date, negative once passed', () => {
    expect(daysLeft('2026-11-27', '2026-11-27')).toBe(0);
    expect(daysLeft('2026-11-27', '2026-12-27')).toBe(30);
    expect(daysLeft('2026-11-27', '2026-11-20')).toBe(-7);
  });
  it('crosses month, year and leap days', () => {
    expect(daysLeft('2027-12-31', '2028-01-01')).toBe(1);
    expect(daysLeft('2028-02-28', '2028-03-01')).toBe(2);
    expect(daysLeft('2027-02-28', '2027-03-01')).toBe(1);
  });
  it('refuses something that is not a date', () => {
    expect(() => daysLeft('tomorrow', '2026-01-01')).toThrow(RangeError);
  });
});

describe('dueStatus', () => {
  it('is overdue after the due day, due soon within 30 days (due day included), ok before', () => {
    expect(dueStatus(-1)).toBe('overdue');
    expect(dueStatus(0)).toBe('due_soon');
    expect(dueStatus(30)).toBe('due_soon');
    expect(dueStatus(31)).toBe('ok');
  });
  it('takes another window', () => {
    expect(dueStatus(31, 60)).toBe('due_soon');
  });
});

describe('chinaToday', () => {
  it('is the date in Shanghai, not in UTC', () => {
    // 2026-11-27 17:30 UTC is already 01:30 on the 28th in China.
    expect(chinaToday(new Date('2026-11-27T17:30:00Z'))).toBe('2026-11-28');
    expect(chinaToday(new Date('2026-11-27T15:59:59Z'))).toBe('2026-11-27');
    expect(localDate(new Date('2026-11-27T17:30:00Z'), 'UTC')).toBe('2026-11-27');
  });
});

describe('daysLeftText', () => {
  it('words due today, days left and days overdue', () => {
    expect(daysLeftText(0)).toEqual({ key: 'dueToday', count: 0 });
    expect(daysLeftText(5)).toEqual({ key: 'daysLeft', count: 5 });
    expect(daysLeftText(-3)).toEqual({ key: 'daysOverdue', count: 3 });
  });
});

describe('byUrgency', () => {
  it('puts overdue first, then due soon, then ok, each by due date', () => {
    const rows = [
      { id: 'a', status: 'ok' as const, nextDueOn: '2027-06-01' },
      { id: 'b', status: 'due_soon' as const, nextDueOn: '2026-12-20' },
      { id: 'c', status: 'overdue' as const, nextDueOn: '2026-11-01' },
      { id: 'd', status: 'due_soon' as const, nextDueOn: '2026-12-01' },
    ];
    expect(byUrgency(rows).map((r) => r.id)).toEqual(['c', 'd', 'b', 'a']);
  });
});
