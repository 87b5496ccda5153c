import { describe, expect, it } from 'vitest';
import {
  activeRegistrations,
  canMarkAttendance,
  groupByMonth,
  isEventKind,
  monthHeading,
  monthKey,
  nextSession,
  registrationOutcome,
  seatsWording,
  sessionParts,
} from './events';

describe('monthKey', () => {
  it('is the month in China time', () => {
    // 30 Nov 17:00 UTC is 1 Dec 01:00 in Shanghai.
    expect(monthKey('2026-11-30T17:00:00Z')).toBe('2026-12');
    expect(monthKey('2026-11-30T15:00:00Z')).toBe('2026-11');
    expect(monthKey('2026-11-30T17:00:00Z', 'UTC')).toBe('2026-11');
  });
});

describe('groupByMonth', () => {
  const start = (e: { start: string | null }) => e.start;
  it('groups by China month, months and items in time order', () => {
    const items = [
      { id: 'dec-2', start: '2026-12-10T02:00:00Z' },
      { id: 'nov', start: '2026-11-20T02:00:00Z' },
      { id: 'dec-1', start: '2026-11-30T16:30:00Z' }, // 1 Dec 00:30 in Shanghai
      { id: 'jan', start: '2027-01-05T02:00:00Z' },
    ];
    const groups = groupByMonth(items, start);
    expect(groups.map((g) => g.month)).toEqual(['2026-11', '2026-12', '2027-01']);
    expect(groups[1]!.items.map((i) => i.id)).toEqual(['dec-1', 'dec-2']);
  });
  it('puts items without a start last', () => {
    const groups = groupByMonth([{ start: null }, { start: '2026-11-20T02:00:00Z' }], start);
    expect(groups.map((g) => g.month)).toEqual(['2026-11', '']);
  });
  it('gives nothing for nothing', () => {
    expect(groupByMonth([], start)).toEqual([]);
  });
});

describe('monthHeading', () => {
  it('names the month in the reader’s language', () => {
    expect(monthHeading('2027-05', 'zh-CN')).toBe('2027年5月');
    expect(monthHeading('2027-05', 'en')).toBe('May 2027');
    expect(monthHeading('', 'en')).toBe('');
  });
});

describe('seatsWording', () => {
  it('counts seats left, warns when few remain, says full at zero', () => {
    expect(seatsWording(30, 10)).toEqual({ key: 'seatsLeft', count: 20 });
    expect(seatsWording(30, 27)).toEqual({ key: 'fewSeatsLeft', count: 3 });
    expect(seatsWording(30, 29)).toEqual({ key: 'fewSeatsLeft', count: 1 });
    expect(seatsWording(30, 30)).toEqual({ key: 'full', count: 0 });
  });
  it('never says a negative number', () => {
    expect(seatsWording(10, 12)).toEqual({ key: 'full', count: 0 });
  });
});

describe('registrationOutcome', () => {
  it('tells a seat from a waitlist place', () => {
    expect(registrationOutcome('registered')).toBe('registered');
    expect(registrationOutcome('waitlisted')).toBe('waitlisted');
    expect(registrationOutcome('cancelled')).toBe('other');
  });
});

describe('sessionParts', () => {
  it('shows times in China', () => {
    expect(sessionParts('2026-12-01T01:00:00Z', '2026-12-01T04:30:00Z')).toEqual({
      startDate: '2026-12-01',
      endDate: '2026-12-01',
      startTime: '09:00',
      endTime: '12:30',
    });
  });
});

describe('small checks', () => {
  it('knows the event kinds', () => {
    expect(isEventKind('open_day')).toBe(true);
    expect(isEventKind('party')).toBe(false);
  });
  it('allows attendance once the session started', () => {
    const now = new Date('2026-12-01T02:00:00Z');
    expect(canMarkAttendance('2026-12-01T01:00:00Z', now)).toBe(true);
    expect(canMarkAttendance('2026-12-01T03:00:00Z', now)).toBe(false);
  });
});

describe('nextSession', () => {
  const now = new Date('2026-12-01T00:00:00Z');
  it('takes the earliest session that has not ended', () => {
    const sessions = [
      { id: 'later', startsAt: '2026-12-10T01:00:00Z', endsAt: '2026-12-10T04:00:00Z' },
      { id: 'past', startsAt: '2026-11-20T01:00:00Z', endsAt: '2026-11-20T04:00:00Z' },
      { id: 'running', startsAt: '2026-11-30T23:00:00Z', endsAt: '2026-12-01T02:00:00Z' },
    ];
    expect(nextSession(sessions, now)?.id).toBe('running');
    expect(nextSession(sessions.slice(0, 2), now)?.id).toBe('later');
    expect(nextSession([sessions[1]!], now)).toBeNull();
  });
});

describe('activeRegistrations', () => {
  it('keeps seats and waitlist places in sessions to come, soonest first', () => {
    const now = new Date('2026-12-01T00:00:00Z');
    const reg = (id: string, status: string, startsAt: string, endsAt: string) => ({
      id,
      status,
      session: { startsAt, endsAt },
    });
    const items = [
      reg('b', 'waitlisted', '2026-12-09T01:00:00Z', '2026-12-09T02:00:00Z'),
      reg('a', 'registered', '2026-12-05T01:00:00Z', '2026-12-05T02:00:00Z'),
      reg('gone', 'cancelled', '2026-12-05T01:00:00Z', '2026-12-05T02:00:00Z'),
      reg('old', 'registered', '2026-11-05T01:00:00Z', '2026-11-05T02:00:00Z'),
    ];
    expect(activeRegistrations(items, now).map((r) => r.id)).toEqual(['a', 'b']);
  });
});
