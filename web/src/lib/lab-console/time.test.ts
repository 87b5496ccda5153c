import { describe, expect, it } from 'vitest';
import {
  addDays,
  formatHhmm,
  isIsoDate,
  isoWeekday,
  mondayOf,
  offsetMinutes,
  parseHhmm,
  parseLocalDateTime,
  toLocalDateTime,
  todayIn,
  wallClock,
  zonedInstant,
} from './time';

describe('wall-clock time in a zone', () => {
  it('reads an instant in Shanghai, eight hours ahead of UTC all year', () => {
    expect(wallClock(new Date('2026-12-01T01:30:00Z'), 'Asia/Shanghai')).toEqual({ date: '2026-12-01', minutes: 570 });
    expect(wallClock(new Date('2026-12-01T17:00:00Z'), 'Asia/Shanghai')).toEqual({ date: '2026-12-02', minutes: 60 });
    expect(offsetMinutes(new Date('2026-07-01T00:00:00Z'), 'Asia/Shanghai')).toBe(480);
  });

  it('turns a local date and time back into the instant', () => {
    expect(zonedInstant('2026-12-01', 9 * 60 + 30, 'Asia/Shanghai').toISOString()).toBe('2026-12-01T01:30:00.000Z');
    expect(zonedInstant('2026-12-01', 1440, 'Asia/Shanghai').toISOString()).toBe('2026-12-01T16:00:00.000Z');
    expect(zonedInstant('2026-07-01', 9 * 60, 'Europe/Berlin').toISOString()).toBe('2026-07-01T07:00:00.000Z');
    expect(zonedInstant('2026-12-01', 9 * 60, 'Europe/Berlin').toISOString()).toBe('2026-12-01T08:00:00.000Z');
  });

  it('resolves a time skipped by a spring-forward jump to just after the jump', () => {
    // New York, 8 March 2026: 02:00 EST becomes 03:00 EDT; 02:30 does not exist.
    expect(zonedInstant('2026-03-08', 150, 'America/New_York').toISOString()).toBe('2026-03-08T07:30:00.000Z');
    expect(zonedInstant('2026-03-08', 60, 'America/New_York').toISOString()).toBe('2026-03-08T06:00:00.000Z');
    expect(zonedInstant('2026-03-08', 180, 'America/New_York').toISOString()).toBe('2026-03-08T07:00:00.000Z');
  });

  it('resolves a repeated time on fall-back to its first occurrence, in zones east and west of UTC', () => {
    expect(zonedInstant('2026-11-01', 90, 'America/New_York').toISOString()).toBe('2026-11-01T05:30:00.000Z');
    expect(zonedInstant('2026-10-25', 150, 'Europe/Berlin').toISOString()).toBe('2026-10-25T00:30:00.000Z');
    expect(zonedInstant('2026-10-25', 90, 'Europe/London').toISOString()).toBe('2026-10-25T00:30:00.000Z');
  });

  it('gives the local date of "today" where the lab is, not where the server is', () => {
    const now = new Date('2026-11-30T18:00:00Z');
    expect(todayIn('Asia/Shanghai', now)).toBe('2026-12-01');
    expect(todayIn('America/New_York', now)).toBe('2026-11-30');
  });
});

describe('local dates', () => {
  it('knows real dates, weekdays and Mondays', () => {
    expect(isIsoDate('2028-02-29')).toBe(true);
    expect(isIsoDate('2026-02-29')).toBe(false);
    expect(isIsoDate('2026-1-1')).toBe(false);
    expect(isIsoDate(null)).toBe(false);
    expect(isoWeekday('2026-11-29')).toBe(7);
    expect(isoWeekday('2026-11-30')).toBe(1);
    expect(mondayOf('2026-12-06')).toBe('2026-11-30');
    expect(mondayOf('2026-11-30')).toBe('2026-11-30');
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
  });

  it('reads and writes HH:MM', () => {
    expect(parseHhmm('08:30')).toBe(510);
    expect(parseHhmm(' 24:00 ')).toBe(1440);
    expect(parseHhmm('24:30')).toBeNull();
    expect(parseHhmm('8:30')).toBeNull();
    expect(parseHhmm('')).toBeNull();
    expect(formatHhmm(510)).toBe('08:30');
    expect(formatHhmm(1440)).toBe('24:00');
  });

  it('reads a datetime-local value as wall-clock time in the lab zone and writes it back', () => {
    const instant = parseLocalDateTime('2026-12-01T09:30', 'Asia/Shanghai');
    expect(instant?.toISOString()).toBe('2026-12-01T01:30:00.000Z');
    expect(toLocalDateTime(instant!, 'Asia/Shanghai')).toBe('2026-12-01T09:30');
    expect(parseLocalDateTime('2026-02-30T09:30', 'Asia/Shanghai')).toBeNull();
    expect(parseLocalDateTime('2026-12-01 09:30', 'Asia/Shanghai')).toBeNull();
    expect(parseLocalDateTime('', 'Asia/Shanghai')).toBeNull();
  });
});
