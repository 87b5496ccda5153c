import { describe, expect, it } from 'vitest';
import { addDays, formatInstant, localDateOf, minuteOfDay, mondayOf, offsetMinutes, zonedTimeToUtc } from './time';

describe('zonedTimeToUtc', () => {
  it('reads Shanghai wall-clock time as UTC+8 all year', () => {
    expect(zonedTimeToUtc('2026-11-30', 9 * 60, 'Asia/Shanghai')?.toISOString()).toBe('2026-11-30T01:00:00.000Z');
    expect(zonedTimeToUtc('2026-07-01', 0, 'Asia/Shanghai')?.toISOString()).toBe('2026-06-30T16:00:00.000Z');
  });

  it('follows a daylight-saving change', () => {
    // New York: EST (−5) until 2026-03-08 02:00, EDT (−4) after.
    expect(zonedTimeToUtc('2026-03-06', 9 * 60, 'America/New_York')?.toISOString()).toBe('2026-03-06T14:00:00.000Z');
    expect(zonedTimeToUtc('2026-03-09', 9 * 60, 'America/New_York')?.toISOString()).toBe('2026-03-09T13:00:00.000Z');
  });

  it('has no instant for the skipped hour and the first one for a repeated hour', () => {
    expect(zonedTimeToUtc('2026-03-08', 2 * 60 + 30, 'America/New_York')).toBeNull();
    // 2026-11-01 01:30 happens twice in New York: first in EDT (05:30Z), then in EST (06:30Z).
    expect(zonedTimeToUtc('2026-11-01', 90, 'America/New_York')?.toISOString()).toBe('2026-11-01T05:30:00.000Z');
  });

  it('rolls minutes past midnight into the next day', () => {
    expect(zonedTimeToUtc('2026-11-30', 1440, 'Asia/Shanghai')?.toISOString()).toBe('2026-11-30T16:00:00.000Z');
  });
});

describe('local readings', () => {
  it('gives the date and minute of day in the zone, not in UTC', () => {
    const at = new Date('2026-11-29T17:30:00Z');
    expect(localDateOf(at, 'Asia/Shanghai')).toBe('2026-11-30');
    expect(minuteOfDay(at, 'Asia/Shanghai')).toBe(90);
    expect(localDateOf(at, 'UTC')).toBe('2026-11-29');
    expect(offsetMinutes(at, 'Asia/Shanghai')).toBe(480);
    expect(offsetMinutes(new Date('2026-07-01T00:00:00Z'), 'Europe/Berlin')).toBe(120);
  });

  it('does calendar arithmetic on local dates', () => {
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(mondayOf('2026-11-29')).toBe('2026-11-23'); // a Sunday
    expect(mondayOf('2026-11-30')).toBe('2026-11-30');
  });

  it('formats an instant as read in a zone', () => {
    const iso = '2026-11-30T01:00:00.000Z';
    expect(formatInstant(iso, 'Asia/Shanghai', 'zh-CN', 'time')).toBe('09:00');
    expect(formatInstant(iso, 'Europe/Berlin', 'en', 'time')).toBe('02:00');
  });
});
