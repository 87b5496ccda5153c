import { describe, expect, it } from 'vitest';
import {
  addDays,
  formatHhmm,
  formatInstant,
  isIsoDate,
  isoWeekday,
  localDateOf,
  minuteOfDay,
  mondayOf,
  offsetMinutes,
  parseHhmm,
  parseLocalDateTime,
  toLocalDateTime,
  todayIn,
  wallClock,
  zonedInstant,
} from './time';

const at = (date: string, minutes: number, zone: string) => zonedInstant(date, minutes, zone).toISOString();

describe('wall-clock time in a zone', () => {
  it('reads an instant in Shanghai, eight hours ahead of UTC all year', () => {
    expect(wallClock(new Date('2026-12-01T01:30:00Z'), 'Asia/Shanghai')).toEqual({ date: '2026-12-01', minutes: 570 });
    expect(wallClock(new Date('2026-12-01T17:00:00Z'), 'Asia/Shanghai')).toEqual({ date: '2026-12-02', minutes: 60 });
    expect(offsetMinutes(new Date('2026-07-01T00:00:00Z'), 'Asia/Shanghai')).toBe(480);
    expect(offsetMinutes(new Date('2026-01-01T00:00:00Z'), 'Asia/Shanghai')).toBe(480);
  });

  it('gives the date and minute of day in the zone, not in UTC', () => {
    const instant = new Date('2026-11-29T17:30:00Z');
    expect(localDateOf(instant, 'Asia/Shanghai')).toBe('2026-11-30');
    expect(minuteOfDay(instant, 'Asia/Shanghai')).toBe(90);
    expect(localDateOf(instant, 'UTC')).toBe('2026-11-29');
    expect(offsetMinutes(instant, 'Asia/Shanghai')).toBe(480);
    expect(offsetMinutes(new Date('2026-07-01T00:00:00Z'), 'Europe/Berlin')).toBe(120);
  });

  it('gives the local date of "today" where the lab is, not where the server is', () => {
    const now = new Date('2026-11-30T18:00:00Z');
    expect(todayIn('Asia/Shanghai', now)).toBe('2026-12-01');
    expect(todayIn('America/New_York', now)).toBe('2026-11-30');
  });

  it('formats an instant as read in a zone', () => {
    const iso = '2026-11-30T01:00:00.000Z';
    expect(formatInstant(iso, 'Asia/Shanghai', 'zh-CN', 'time')).toBe('09:00');
    expect(formatInstant(iso, 'Europe/Berlin', 'en', 'time')).toBe('02:00');
  });
});

describe('a local date and time back to the instant', () => {
  it('reads Shanghai wall-clock time as UTC+8 all year, midnight included', () => {
    expect(at('2026-12-01', 9 * 60 + 30, 'Asia/Shanghai')).toBe('2026-12-01T01:30:00.000Z');
    expect(at('2026-07-01', 0, 'Asia/Shanghai')).toBe('2026-06-30T16:00:00.000Z');
    // Shanghai has no daylight saving: the days Berlin and New York change are ordinary days.
    expect(at('2026-03-29', 150, 'Asia/Shanghai')).toBe('2026-03-28T18:30:00.000Z');
    expect(at('2026-11-01', 90, 'Asia/Shanghai')).toBe('2026-10-31T17:30:00.000Z');
  });

  it('rolls minutes past midnight into the next day', () => {
    expect(at('2026-12-01', 1440, 'Asia/Shanghai')).toBe('2026-12-01T16:00:00.000Z');
  });

  it('follows the offset in force on either side of a daylight-saving change', () => {
    expect(at('2026-07-01', 9 * 60, 'Europe/Berlin')).toBe('2026-07-01T07:00:00.000Z');
    expect(at('2026-12-01', 9 * 60, 'Europe/Berlin')).toBe('2026-12-01T08:00:00.000Z');
    // New York: EST (−5) until 2026-03-08 02:00, EDT (−4) after.
    expect(at('2026-03-06', 9 * 60, 'America/New_York')).toBe('2026-03-06T14:00:00.000Z');
    expect(at('2026-03-09', 9 * 60, 'America/New_York')).toBe('2026-03-09T13:00:00.000Z');
  });

  // Berlin, 29 March 2026: 02:00 CET becomes 03:00 CEST. New York, 8 March 2026: 02:00 EST becomes
  // 03:00 EDT. In both, 02:30 does not exist and moves forward by the jump to 03:30.
  it.each([
    ['Europe/Berlin', '2026-03-29', { '01:59': '00:59', '02:00': '01:00', '02:30': '01:30', '03:00': '01:00' }],
    ['America/New_York', '2026-03-08', { '01:00': '06:00', '02:00': '07:00', '02:30': '07:30', '03:00': '07:00' }],
  ] as const)('moves a time skipped by the spring-forward jump in %s forward by the jump', (zone, date, utcOf) => {
    for (const [wall, utc] of Object.entries(utcOf)) {
      const [h, m] = wall.split(':').map(Number) as [number, number];
      expect(at(date, h * 60 + m, zone), wall).toBe(`${date}T${utc}:00.000Z`);
    }
    expect(wallClock(zonedInstant(date, 150, zone), zone)).toEqual({ date, minutes: 3 * 60 + 30 });
  });

  it('resolves a repeated time on fall-back to its first occurrence, in zones east and west of UTC', () => {
    // 2026-11-01 01:30 happens twice in New York: first in EDT (05:30Z), then in EST (06:30Z).
    expect(at('2026-11-01', 90, 'America/New_York')).toBe('2026-11-01T05:30:00.000Z');
    expect(at('2026-11-01', 60, 'America/New_York')).toBe('2026-11-01T05:00:00.000Z');
    expect(at('2026-11-01', 120, 'America/New_York')).toBe('2026-11-01T07:00:00.000Z');
    // 2026-10-25 02:30 happens twice in Berlin: first in CEST (00:30Z), then in CET (01:30Z).
    expect(at('2026-10-25', 150, 'Europe/Berlin')).toBe('2026-10-25T00:30:00.000Z');
    expect(at('2026-10-25', 180, 'Europe/Berlin')).toBe('2026-10-25T02:00:00.000Z');
    expect(at('2026-10-25', 90, 'Europe/London')).toBe('2026-10-25T00:30:00.000Z');
  });

  it('reads both occurrences of a repeated hour back as the same wall time', () => {
    expect(wallClock(new Date('2026-10-25T00:30:00Z'), 'Europe/Berlin')).toEqual({ date: '2026-10-25', minutes: 150 });
    expect(wallClock(new Date('2026-10-25T01:30:00Z'), 'Europe/Berlin')).toEqual({ date: '2026-10-25', minutes: 150 });
    expect(offsetMinutes(new Date('2026-10-25T00:30:00Z'), 'Europe/Berlin')).toBe(120);
    expect(offsetMinutes(new Date('2026-10-25T01:30:00Z'), 'Europe/Berlin')).toBe(60);
    expect(offsetMinutes(new Date('2026-11-01T05:30:00Z'), 'America/New_York')).toBe(-240);
    expect(offsetMinutes(new Date('2026-11-01T06:30:00Z'), 'America/New_York')).toBe(-300);
  });
});

describe('local dates', () => {
  it('knows real dates and weekdays', () => {
    expect(isIsoDate('2028-02-29')).toBe(true);
    expect(isIsoDate('2026-02-29')).toBe(false);
    expect(isIsoDate('2026-1-1')).toBe(false);
    expect(isIsoDate(null)).toBe(false);
    expect(isoWeekday('2026-11-29')).toBe(7);
    expect(isoWeekday('2026-11-30')).toBe(1);
  });

  it('does calendar arithmetic on local dates, with no zone involved', () => {
    expect(mondayOf('2026-12-06')).toBe('2026-11-30');
    expect(mondayOf('2026-11-29')).toBe('2026-11-23'); // a Sunday
    expect(mondayOf('2026-11-30')).toBe('2026-11-30');
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
    // Calendar arithmetic: a day across a daylight-saving change is still one day.
    expect(addDays('2026-03-28', 1)).toBe('2026-03-29');
    expect(addDays('2026-03-29', 1)).toBe('2026-03-30');
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
    // A skipped wall time typed into the form moves forward like everywhere else.
    expect(toLocalDateTime(parseLocalDateTime('2026-03-29T02:30', 'Europe/Berlin')!, 'Europe/Berlin')).toBe(
      '2026-03-29T03:30',
    );
  });
});
