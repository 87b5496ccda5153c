import { describe, expect, it } from 'vitest';
import { zonedInstant } from '$lib/time';
import {
  buildWeekGrid,
  chosenCells,
  dayToShow,
  freeByDay,
  durationOptions,
  inferStepMinutes,
  pickDuration,
  resolveWeek,
  weekSpan,
  type FreeSlot,
} from './week';

const HOUR = 3_600_000;

/** Free slots of `hours` at the given local starts, built through the zone like the API's answer. */
function slotsAt(zone: string, starts: [string, number][], hours = 1): FreeSlot[] {
  return starts.map(([date, minute]) => {
    const s = zonedInstant(date, minute, zone);
    return { start: s.toISOString(), end: new Date(s.getTime() + hours * HOUR).toISOString(), unitsFree: 1 };
  });
}

function cellAt(grid: ReturnType<typeof buildWeekGrid>, date: string, minute: number) {
  const row = grid.rows.findIndex((r) => r.minute === minute);
  const day = grid.days.findIndex((d) => d.date === date);
  return grid.cells[row]?.[day];
}

describe('resolveWeek and weekSpan', () => {
  it('snaps ?week= to its Monday and defaults to this week at the site', () => {
    const now = new Date('2026-11-29T17:00:00Z'); // Monday 01:00 in Shanghai, still Sunday in UTC
    expect(resolveWeek('2026-12-03', now, 'Asia/Shanghai')).toBe('2026-11-30');
    expect(resolveWeek(null, now, 'Asia/Shanghai')).toBe('2026-11-30');
    expect(resolveWeek('garbage', now, 'UTC')).toBe('2026-11-23');
    expect(resolveWeek('2026-02-30', now, 'Asia/Shanghai')).toBe('2026-11-30');
  });

  it('spans local Monday midnight to the next Monday midnight', () => {
    expect(weekSpan('2026-11-30', 'Asia/Shanghai')).toEqual({
      from: '2026-11-29T16:00:00.000Z',
      to: '2026-12-06T16:00:00.000Z',
    });
    // The week of the spring change in New York is an hour shorter.
    const { from, to } = weekSpan('2026-03-02', 'America/New_York');
    expect(Date.parse(to) - Date.parse(from)).toBe(7 * 24 * HOUR - HOUR);
  });
});

describe('buildWeekGrid in Asia/Shanghai', () => {
  const zone = 'Asia/Shanghai';
  const slots = slotsAt(zone, [
    ['2026-11-30', 8 * 60 + 30],
    ['2026-11-30', 9 * 60],
    ['2026-11-30', 12 * 60],
    ['2026-12-01', 16 * 60 + 30],
  ]);
  const grid = buildWeekGrid({ weekStart: '2026-11-30', timeZone: zone, slots, durationMinutes: 60, stepMinutes: 30 });

  it('has Monday-to-Sunday columns and half-hour rows framed by the opening times', () => {
    expect(grid.days.map((d) => d.date)).toEqual([
      '2026-11-30',
      '2026-12-01',
      '2026-12-02',
      '2026-12-03',
      '2026-12-04',
      '2026-12-05',
      '2026-12-06',
    ]);
    expect(grid.days.map((d) => d.weekday)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(grid.rows[0]).toEqual({ minute: 480, label: '08:00' });
    expect(grid.rows.at(-1)?.label).toBe('16:30');
    const empty = buildWeekGrid({
      weekStart: '2026-11-30',
      timeZone: zone,
      slots: [],
      durationMinutes: 60,
      stepMinutes: 30,
    });
    expect([empty.rows[0]?.label, empty.rows.at(-1)?.label]).toEqual(['08:00', '17:30']);
    expect(empty.cells.flat().every((c) => c.kind === 'closed')).toBe(true);
  });

  it('puts each free slot in its local row and column with its instants', () => {
    expect(grid.freeCount).toBe(4);
    const monday = cellAt(grid, '2026-11-30', 8 * 60 + 30)!;
    expect(monday).toMatchObject({ kind: 'free', start: '2026-11-30T00:30:00.000Z', end: '2026-11-30T01:30:00.000Z' });
    expect(cellAt(grid, '2026-12-01', 16 * 60 + 30)?.kind).toBe('free');
    expect(cellAt(grid, '2026-12-01', 8 * 60 + 30)?.kind).not.toBe('free');
  });

  it('marks gaps inside the opening times on open days as taken, after the earliest bookable time', () => {
    expect(cellAt(grid, '2026-11-30', 10 * 60)?.kind).toBe('taken');
    expect(cellAt(grid, '2026-11-30', 8 * 60)?.kind).toBe('closed'); // before the week's first opening
    expect(cellAt(grid, '2026-12-02', 10 * 60)?.kind).toBe('closed'); // nothing free that day: closed
    expect(cellAt(grid, '2026-12-01', 9 * 60)?.kind).toBe('taken');
  });

  it('uses the API busy ranges when they are given', () => {
    const busyGrid = buildWeekGrid({
      weekStart: '2026-11-30',
      timeZone: zone,
      slots,
      durationMinutes: 60,
      stepMinutes: 30,
      busy: [{ start: '2026-12-02T02:00:00.000Z', end: '2026-12-02T04:00:00.000Z' }], // 10:00–12:00 local
      notBefore: new Date('2026-11-30T00:00:00Z'),
    });
    expect(cellAt(busyGrid, '2026-12-02', 9 * 60 + 30)?.kind).toBe('taken'); // 09:30–10:30 overlaps
    expect(cellAt(busyGrid, '2026-12-02', 11 * 60 + 30)?.kind).toBe('taken');
    expect(cellAt(busyGrid, '2026-12-02', 12 * 60)?.kind).toBe('closed');
    expect(cellAt(busyGrid, '2026-11-30', 10 * 60)?.kind).toBe('closed');
  });
});

describe('buildWeekGrid inferring taken time without busy ranges', () => {
  const zone = 'Asia/Shanghai';
  // Mon–Fri 08:30–17:30 with one-hour slots (last start 16:30); Saturday 09:00–12:00 (last start 11:00).
  const day = (date: string, from: number, to: number, skip: number[] = []) =>
    Array.from({ length: (to - from) / 30 + 1 }, (_, i) => from + i * 30)
      .filter((m) => !skip.includes(m))
      .map((m): [string, number] => [date, m]);
  const slots = slotsAt(zone, [
    ...day('2026-11-30', 510, 990),
    ...day('2026-12-01', 630, 990), // booked 08:30–10:30: starts 08:30–10:00 gone
    ...day('2026-12-02', 510, 990, [720, 750]), // booked 12:30–13:30 (one-hour slots at 12:00, 12:30 gone)
    ...day('2026-12-05', 540, 660), // Saturday morning only
  ]);
  const grid = buildWeekGrid({ weekStart: '2026-11-30', timeZone: zone, slots, durationMinutes: 60, stepMinutes: 30 });

  it('reads a gap at the start of a normal day and in the middle of one as bookings', () => {
    expect([510, 540, 570, 600].map((m) => cellAt(grid, '2026-12-01', m)?.kind)).toEqual([
      'taken',
      'taken',
      'taken',
      'taken',
    ]);
    expect(cellAt(grid, '2026-12-02', 720)?.kind).toBe('taken');
  });

  it('reads a short day as shorter opening hours', () => {
    expect(cellAt(grid, '2026-12-05', 600)?.kind).toBe('free');
    expect(cellAt(grid, '2026-12-05', 510)?.kind).toBe('closed');
    expect(cellAt(grid, '2026-12-05', 720)?.kind).toBe('closed');
    expect(cellAt(grid, '2026-12-06', 720)?.kind).toBe('closed');
  });
});

describe('buildWeekGrid across a daylight-saving change', () => {
  const zone = 'America/New_York';
  // Week of Monday 2026-03-02; clocks go forward on Sunday 2026-03-08 at 02:00.
  const slots = slotsAt(zone, [
    ['2026-03-06', 9 * 60],
    ['2026-03-08', 9 * 60],
    ['2026-03-08', 1 * 60],
    ['2026-03-08', 3 * 60],
  ]);
  const grid = buildWeekGrid({ weekStart: '2026-03-02', timeZone: zone, slots, durationMinutes: 60, stepMinutes: 30 });

  it('keeps 09:00 in the 09:00 row on both sides of the change', () => {
    expect(cellAt(grid, '2026-03-06', 9 * 60)).toMatchObject({ kind: 'free', start: '2026-03-06T14:00:00.000Z' });
    expect(cellAt(grid, '2026-03-08', 9 * 60)).toMatchObject({ kind: 'free', start: '2026-03-08T13:00:00.000Z' });
  });

  it('widens the rows to early slots and leaves the skipped hour empty', () => {
    expect(grid.rows[0]?.label).toBe('01:00');
    expect(cellAt(grid, '2026-03-08', 1 * 60)?.kind).toBe('free');
    expect(cellAt(grid, '2026-03-08', 2 * 60)?.kind).toBe('none');
    expect(cellAt(grid, '2026-03-08', 2 * 60 + 30)?.kind).toBe('none');
    expect(cellAt(grid, '2026-03-08', 3 * 60)?.kind).toBe('free');
    expect(cellAt(grid, '2026-03-07', 2 * 60)?.kind).not.toBe('none');
  });
});

describe('durations and grid', () => {
  it('offers every step up to four hours and whole hours beyond, within the policy', () => {
    expect(durationOptions({ slotMinutes: 30, minMinutes: 30, maxMinutes: 480 })).toEqual([
      30, 60, 90, 120, 150, 180, 210, 240, 300, 360, 420, 480,
    ]);
    expect(durationOptions({ slotMinutes: 60, minMinutes: 120, maxMinutes: 240 })).toEqual([120, 180, 240]);
  });

  it('takes the asked duration only when offered, else the first of an hour or more', () => {
    expect(pickDuration('90', [30, 60, 90])).toBe(90);
    expect(pickDuration('45', [30, 60, 90])).toBe(60);
    expect(pickDuration(null, [120, 180])).toBe(120);
  });

  it('infers the grid from the slot starts', () => {
    const zone = 'Asia/Shanghai';
    expect(
      inferStepMinutes(
        slotsAt(zone, [
          ['2026-11-30', 510],
          ['2026-11-30', 540],
        ]),
        zone,
      ),
    ).toBe(30);
    expect(
      inferStepMinutes(
        slotsAt(zone, [
          ['2026-11-30', 540],
          ['2026-11-30', 600],
        ]),
        zone,
      ),
    ).toBe(60);
    expect(inferStepMinutes([], zone)).toBe(30);
  });
});

describe('the day a phone shows', () => {
  const zone = 'Asia/Shanghai';
  const grid = buildWeekGrid({
    weekStart: '2026-11-30',
    timeZone: zone,
    slots: slotsAt(zone, [
      ['2026-12-02', 9 * 60],
      ['2026-12-02', 10 * 60],
      ['2026-12-04', 14 * 60],
    ]),
    durationMinutes: 60,
    stepMinutes: 60,
    busy: null,
    notBefore: null,
  });

  it('counts the free starts of each day', () => {
    const counts = freeByDay(grid);
    expect(counts.get('2026-11-30')).toBe(0);
    expect(counts.get('2026-12-02')).toBe(2);
    expect(counts.get('2026-12-04')).toBe(1);
    expect([...counts.keys()]).toHaveLength(7);
  });

  it('takes the first wish inside the week, else the first day with free time', () => {
    expect(dayToShow(grid, ['2026-12-06', '2026-12-04'])).toBe('2026-12-06');
    expect(dayToShow(grid, [null, '2026-12-04'])).toBe('2026-12-04');
    expect(dayToShow(grid, ['2026-11-29', undefined])).toBe('2026-12-02');
    const empty = buildWeekGrid({
      weekStart: '2026-11-30',
      timeZone: zone,
      slots: [],
      durationMinutes: 60,
      stepMinutes: 60,
      busy: null,
      notBefore: null,
    });
    expect(dayToShow(empty, [])).toBe('2026-11-30');
  });
});

describe('lead time and the chosen span', () => {
  const zone = 'Asia/Shanghai';
  // Monday 30 Nov, open 08:00–18:00; now is 09:00 local, the lead time 3 h: nothing before 12:00.
  const slots = slotsAt(zone, [
    ['2026-11-30', 12 * 60],
    ['2026-11-30', 13 * 60],
    ['2026-11-30', 14 * 60],
    ['2026-12-01', 8 * 60],
    ['2026-12-01', 17 * 60],
  ]);
  const grid = buildWeekGrid({
    weekStart: '2026-11-30',
    timeZone: zone,
    slots,
    durationMinutes: 120,
    stepMinutes: 60,
    busy: [],
    now: zonedInstant('2026-11-30', 9 * 60, zone),
    notBefore: zonedInstant('2026-11-30', 12 * 60, zone),
  });

  it('tells time inside the lead time (soon) from the past and from closed time', () => {
    expect(cellAt(grid, '2026-11-30', 8 * 60)?.kind).toBe('closed'); // past
    expect(cellAt(grid, '2026-11-30', 9 * 60)?.kind).toBe('soon');
    expect(cellAt(grid, '2026-11-30', 11 * 60)?.kind).toBe('soon');
    expect(cellAt(grid, '2026-11-30', 12 * 60)?.kind).toBe('free');
    expect(cellAt(grid, '2026-11-30', 16 * 60)?.kind).toBe('closed'); // later, no slot: closed
  });

  it('without a lead time nothing is soon', () => {
    const plain = buildWeekGrid({
      weekStart: '2026-11-30',
      timeZone: zone,
      slots,
      durationMinutes: 120,
      stepMinutes: 60,
      busy: [],
    });
    expect(plain.cells.flat().some((c) => c.kind === 'soon')).toBe(false);
  });

  it('a chosen 2-hour slot covers both of its hourly rows, and only those', () => {
    const start = zonedInstant('2026-11-30', 12 * 60, zone).toISOString();
    const end = zonedInstant('2026-11-30', 14 * 60, zone).toISOString();
    expect([...chosenCells(grid, start, end)].sort()).toEqual(['2026-11-30|720', '2026-11-30|780']);
    expect(chosenCells(grid, null, null).size).toBe(0);
    expect(chosenCells(grid, end, start).size).toBe(0);
  });
});
