import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { chinaDayKind, openingWindows, withinOpening } from './calendar.ts';

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
