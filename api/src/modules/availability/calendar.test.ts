import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import chineseDays from 'chinese-days';
import { chinaDayKind, chinaScheduleKnown, openingWindows, statutoryHolidays, withinOpening } from './calendar.ts';

const iso = (w: { start: Date; end: Date }) => [w.start.toISOString(), w.end.toISOString()];

describe('opening windows', () => {
  it('close on Chinese public holidays and open on official make-up working days (调休)', () => {
    // Spring Festival 2026: 15–23 February off; Saturday 14 February and 28 February are workdays.
    expect(chinaDayKind('2026-02-17', 2)).toBe('public_holiday');
    expect(chinaDayKind('2026-02-14', 6)).toBe('makeup_workday');
    expect(chinaDayKind('2026-02-07', 6)).toBe('regular');
    const spring = openingWindows(
      new Date('2026-02-13T00:00:00Z'),
      new Date('2026-02-18T00:00:00Z'),
      'Asia/Shanghai',
      [],
    );
    expect(spring.map(iso)).toEqual([
      ['2026-02-13T00:30:00.000Z', '2026-02-13T09:30:00.000Z'], // Friday 13th, a normal day
      ['2026-02-14T00:30:00.000Z', '2026-02-14T09:30:00.000Z'], // Saturday 14th, make-up workday
    ]);
    const national = openingWindows(
      new Date('2026-10-01T00:00:00Z'),
      new Date('2026-10-08T00:00:00Z'),
      'Asia/Shanghai',
      [],
    );
    expect(national).toEqual([]);
  });

  it('derive the statutory holidays from the law; in published years they are all days off', () => {
    for (const year of [2025, 2026]) {
      expect(chinaScheduleKnown(year)).toBe(true);
      const days = [...statutoryHolidays(year)];
      expect(days.length).toBe(13);
      for (const day of days) expect(chineseDays.getDayDetail(day).work, day).toBe(false);
    }
    expect([...statutoryHolidays(2026)]).toEqual(
      expect.arrayContaining(['2026-02-16', '2026-02-17', '2026-04-05', '2026-06-19', '2026-09-25', '2026-10-03']),
    );
    // National Day 2026 is 1–7 October by the published schedule, beyond the statutory 1–3.
    expect(chinaDayKind('2026-10-06', 2)).toBe('public_holiday');
  });

  it('close at least on the statutory holidays in a year whose schedule is not published yet', () => {
    if (chinaScheduleKnown(2027)) return; // the package now carries the official 2027 schedule
    expect(chinaDayKind('2027-01-01', 5)).toBe('public_holiday');
    expect(chinaDayKind('2027-02-05', 5)).toBe('public_holiday'); // 除夕
    expect(chinaDayKind('2027-02-08', 1)).toBe('public_holiday'); // 正月初三
    expect(chinaDayKind('2027-04-05', 1)).toBe('public_holiday'); // 清明
    expect(chinaDayKind('2027-06-09', 3)).toBe('public_holiday'); // 端午
    expect(chinaDayKind('2027-09-15', 3)).toBe('public_holiday'); // 中秋
    expect(chinaDayKind('2027-10-01', 5)).toBe('public_holiday');
    expect(chinaDayKind('2027-10-04', 1)).toBe('regular');
    expect(chinaDayKind('2027-02-13', 6)).toBe('regular');
  });

  it('keep wall-clock hours across a daylight-saving change', () => {
    const week = [1, 2, 3, 4, 5].map((weekday) => ({ weekday, opensAt: '08:30', closesAt: '17:00' }));
    // Europe/Berlin moves to summer time on Sunday 29 March 2026.
    const windows = openingWindows(
      new Date('2026-03-27T00:00:00Z'),
      new Date('2026-03-31T00:00:00Z'),
      'Europe/Berlin',
      week,
    );
    expect(windows.map(iso)).toEqual([
      ['2026-03-27T07:30:00.000Z', '2026-03-27T16:00:00.000Z'],
      ['2026-03-30T06:30:00.000Z', '2026-03-30T15:00:00.000Z'],
    ]);
  });

  it('property: windows lie inside the asked span, in order, without overlaps', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: Date.parse('2025-01-01'), max: Date.parse('2026-12-01') }),
        fc.integer({ min: 1, max: 20 * 24 * 60 }),
        fc.constantFrom('Asia/Shanghai', 'Europe/Berlin', 'America/New_York'),
        (fromMs, spanMinutes, zone) => {
          const from = new Date(fromMs);
          const to = new Date(fromMs + spanMinutes * 60_000);
          const windows = openingWindows(from, to, zone, []);
          for (const [i, w] of windows.entries()) {
            expect(w.start >= from && w.end <= to && w.start < w.end).toBe(true);
            if (i > 0) expect(windows[i - 1]!.end <= w.start).toBe(true);
            expect(withinOpening(w.start, w.end, windows)).toBe(true);
          }
        },
      ),
    );
  });
});
