import { describe, expect, it } from 'vitest';
import { calendarRange, hourTicks, hourWindow, nowPct, parseView, placeSpans } from './calendar';

const SH = 'Asia/Shanghai';

describe('calendarRange', () => {
  it('shows the Monday-to-Sunday week around the asked day, in local midnights of the lab zone', () => {
    const r = calendarRange('week', '2026-12-03', '2026-11-27', SH);
    expect(r.date).toBe('2026-11-30');
    expect(r.days).toEqual([
      '2026-11-30',
      '2026-12-01',
      '2026-12-02',
      '2026-12-03',
      '2026-12-04',
      '2026-12-05',
      '2026-12-06',
    ]);
    expect(r.from.toISOString()).toBe('2026-11-29T16:00:00.000Z');
    expect(r.to.toISOString()).toBe('2026-12-06T16:00:00.000Z');
    expect([r.prev, r.next]).toEqual(['2026-11-23', '2026-12-07']);
  });

  it('falls back to today for a missing or malformed date, and steps one day in day view', () => {
    const r = calendarRange('day', 'not-a-date', '2026-11-27', SH);
    expect(r.days).toEqual(['2026-11-27']);
    expect([r.prev, r.next]).toEqual(['2026-11-26', '2026-11-28']);
    expect(parseView('day')).toBe('day');
    expect(parseView('month')).toBe('week');
    expect(parseView(null)).toBe('week');
  });

  it('spans 23 hours on the day clocks go forward', () => {
    const r = calendarRange('day', '2026-03-08', '2026-03-01', 'America/New_York');
    expect((r.to.getTime() - r.from.getTime()) / 3_600_000).toBe(23);
  });
});

describe('hourWindow', () => {
  const week = calendarRange('week', '2026-11-30', '2026-11-30', SH);

  it('keeps the working day when everything fits in it', () => {
    const w = hourWindow([{ start: '2026-12-01T01:00:00Z', end: '2026-12-01T03:00:00Z' }], week, SH);
    expect(w).toEqual({ startMin: 480, endMin: 1080 });
  });

  it('widens to whole hours around early and late spans', () => {
    const w = hourWindow(
      [
        { start: '2026-12-01T22:45:00Z', end: '2026-12-01T23:30:00Z' }, // 06:45–07:30 on 2 Dec
        { start: '2026-12-03T11:00:00Z', end: '2026-12-03T12:10:00Z' }, // 19:00–20:10
      ],
      week,
      SH,
    );
    expect(w).toEqual({ startMin: 360, endMin: 1260 });
  });

  it('shows the whole day for a span over midnight, but a span ending exactly at midnight does not', () => {
    expect(hourWindow([{ start: '2026-12-01T14:00:00Z', end: '2026-12-01T17:00:00Z' }], week, SH)).toEqual({
      startMin: 0,
      endMin: 1440,
    });
    expect(hourWindow([{ start: '2026-12-01T14:00:00Z', end: '2026-12-01T16:00:00Z' }], week, SH)).toEqual({
      startMin: 480,
      endMin: 1440,
    });
  });

  it('ignores spans outside the range', () => {
    const w = hourWindow([{ start: '2026-12-10T14:00:00Z', end: '2026-12-10T17:00:00Z' }], week, SH);
    expect(w).toEqual({ startMin: 480, endMin: 1080 });
  });
});

describe('placeSpans', () => {
  const week = calendarRange('week', '2026-11-30', '2026-11-30', SH);
  const window = { startMin: 480, endMin: 1080 }; // 08:00–18:00, 600 min a day, 4200 in the row

  it('places a booking in its day column at its local hours', () => {
    // Tuesday 1 Dec 09:00–11:00 in Shanghai.
    const { placed, laneCount } = placeSpans(
      [{ start: '2026-12-01T01:00:00Z', end: '2026-12-01T03:00:00Z' }],
      week,
      window,
      SH,
    );
    expect(laneCount).toBe(1);
    expect(placed).toHaveLength(1);
    const p = placed[0]!;
    expect(p.dayIndex).toBe(1);
    expect(p.leftPct).toBeCloseTo(((600 + 60) / 4200) * 100);
    expect(p.widthPct).toBeCloseTo((120 / 4200) * 100);
    expect([p.continuesBefore, p.continuesAfter]).toEqual([false, false]);
  });

  it('cuts a span over several days into one piece per day, clipped to the shown hours', () => {
    // Mon 30 Nov 16:00 → Wed 2 Dec 10:00 local (a maintenance closure).
    const { placed } = placeSpans([{ start: '2026-11-30T08:00:00Z', end: '2026-12-02T02:00:00Z' }], week, window, SH);
    expect(placed.map((p) => p.dayIndex)).toEqual([0, 1, 2]);
    expect(placed[0]!.leftPct).toBeCloseTo((480 / 4200) * 100);
    expect(placed[0]!.widthPct).toBeCloseTo((120 / 4200) * 100);
    expect(placed[1]!.widthPct).toBeCloseTo((600 / 4200) * 100);
    expect(placed[2]!.leftPct).toBeCloseTo((1200 / 4200) * 100);
    expect(placed[2]!.widthPct).toBeCloseTo((120 / 4200) * 100);
    expect(placed.map((p) => [p.continuesBefore, p.continuesAfter])).toEqual([
      [false, true],
      [true, true],
      [true, false],
    ]);
  });

  it('leaves out what falls outside the week or the shown hours', () => {
    const { placed } = placeSpans(
      [
        { start: '2026-12-07T01:00:00Z', end: '2026-12-07T02:00:00Z' }, // next Monday
        { start: '2026-12-01T12:00:00Z', end: '2026-12-01T13:00:00Z' }, // 20:00–21:00
      ],
      week,
      window,
      SH,
    );
    expect(placed).toEqual([]);
  });

  it('puts overlapping bookings in separate lanes and reuses a lane once it is free', () => {
    const a = { id: 'a', start: '2026-12-01T01:00:00Z', end: '2026-12-01T03:00:00Z' };
    const b = { id: 'b', start: '2026-12-01T02:00:00Z', end: '2026-12-01T04:00:00Z' };
    const c = { id: 'c', start: '2026-12-01T03:00:00Z', end: '2026-12-01T05:00:00Z' };
    const { placed, laneCount } = placeSpans([c, b, a], week, window, SH, { lanes: true });
    expect(laneCount).toBe(2);
    const lane = Object.fromEntries(placed.map((p) => [p.item.id, p.lane]));
    expect(lane).toEqual({ a: 0, b: 1, c: 0 });
  });

  it('keeps an item in the same lane on every day it touches', () => {
    const long = { id: 'long', start: '2026-11-30T02:00:00Z', end: '2026-12-01T02:00:00Z' };
    const early = { id: 'early', start: '2026-11-30T01:00:00Z', end: '2026-11-30T03:00:00Z' };
    const { placed } = placeSpans([long, early], week, window, SH, { lanes: true });
    expect(placed.filter((p) => p.item.id === 'long').map((p) => p.lane)).toEqual([1, 1]);
  });

  it('follows the wall clock across a daylight-saving change', () => {
    // Berlin, Sunday 29 March 2026: 09:00–10:00 local is 07:00Z, an hour earlier in UTC than on Saturday.
    const r = calendarRange('week', '2026-03-23', '2026-03-23', 'Europe/Berlin');
    const { placed } = placeSpans(
      [
        { id: 'sat', start: '2026-03-28T08:00:00Z', end: '2026-03-28T09:00:00Z' },
        { id: 'sun', start: '2026-03-29T07:00:00Z', end: '2026-03-29T08:00:00Z' },
      ],
      r,
      window,
      'Europe/Berlin',
    );
    const [sat, sun] = placed;
    expect([sat!.dayIndex, sun!.dayIndex]).toEqual([5, 6]);
    expect(sun!.leftPct - sat!.leftPct).toBeCloseTo((600 / 4200) * 100);
  });
});

describe('hour ticks and now', () => {
  it('marks the hours of a day column', () => {
    expect(hourTicks({ startMin: 480, endMin: 720 }, 1)).toEqual([
      { minutes: 480, pct: 0 },
      { minutes: 540, pct: 25 },
      { minutes: 600, pct: 50 },
      { minutes: 660, pct: 75 },
    ]);
  });

  it('places now in the row, or nowhere when it is outside', () => {
    const week = calendarRange('week', '2026-11-30', '2026-11-30', SH);
    const window = { startMin: 480, endMin: 1080 };
    expect(nowPct(week, window, SH, new Date('2026-11-30T05:00:00Z'))).toBeCloseTo((300 / 4200) * 100);
    expect(nowPct(week, window, SH, new Date('2026-11-30T12:00:00Z'))).toBeNull();
    expect(nowPct(week, window, SH, new Date('2026-12-08T02:00:00Z'))).toBeNull();
  });
});
