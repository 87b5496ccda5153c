import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { calendarRange, placeSpans } from './calendar';
import { chipTimes, dayCells, denseDays, isUnavailable, shortOrgName } from './schedule-view';
import { addDays, isoWeekday } from '$lib/time';

const SH = 'Asia/Shanghai';

describe('the week the calendar opens on', () => {
  // Monday 30 Nov 2026 to Sunday 6 Dec 2026: every weekday, Sunday included, opens on that week.
  const week = ['2026-11-30', '2026-12-01', '2026-12-02', '2026-12-03', '2026-12-04', '2026-12-05', '2026-12-06'];
  it.each(week.map((today, i) => [i + 1, today] as const))('weekday %i (%s) opens on Monday 30 Nov', (wd, today) => {
    expect(isoWeekday(today)).toBe(wd);
    const r = calendarRange('week', null, today, SH);
    expect(r.date).toBe('2026-11-30');
    expect(r.days).toEqual(week);
    expect(r.days).toContain(today);
  });

  it('a Sunday belongs to the week ending that day, never the next one', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 3000 }), (n) => {
        const today = addDays('2024-01-01', n);
        const r = calendarRange('week', null, today, SH);
        expect(isoWeekday(r.date)).toBe(1);
        expect(r.days).toContain(today);
        if (isoWeekday(today) === 7) expect(r.days[6]).toBe(today);
      }),
    );
  });

  it('the day view of any date shows that date alone', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 3000 }), (n) => {
        const day = addDays('2024-01-01', n);
        expect(calendarRange('day', day, '2026-11-27', SH).days).toEqual([day]);
      }),
    );
  });
});

describe('booking chips', () => {
  it('shortens a customer to the words that tell them apart', () => {
    expect(shortOrgName('苏州精工检测技术有限公司')).toBe('精工检测');
    expect(shortOrgName('江苏省无锡市新锐材料检测技术有限公司')).toBe('新锐材料检测');
    expect(shortOrgName('南京江宁计量检测有限公司')).toBe('江宁计量检测');
    expect(shortOrgName('Suzhou Precision Co., Ltd.')).toBe('Suzhou Precision');
  });

  it('writes times in the lab zone, a booking to midnight ending at 24:00', () => {
    expect(chipTimes('2026-12-01T01:00:00Z', '2026-12-01T03:00:00Z', SH)).toBe('09:00–11:00');
    expect(chipTimes('2026-12-01T14:00:00Z', '2026-12-01T16:00:00Z', SH)).toBe('22:00–24:00');
  });

  it('groups a week into day cells in time order and marks the days with more than a cell shows', () => {
    const range = calendarRange('week', '2026-11-30', '2026-11-30', SH);
    const at = (day: string, h: number) => ({
      id: `${day}-${h}`,
      start: `${day}T${String(h - 8).padStart(2, '0')}:00:00Z`,
      end: `${day}T${String(h - 7).padStart(2, '0')}:00:00Z`,
    });
    const items = [
      at('2026-12-01', 14),
      at('2026-12-01', 9),
      at('2026-12-01', 10),
      at('2026-12-01', 11),
      at('2026-12-03', 9),
    ];
    const { placed } = placeSpans(items, range, { startMin: 480, endMin: 1080 }, SH, { lanes: true });
    const cells = dayCells(placed, 7);
    expect(cells[1]!.shown.map((p) => p.item.id)).toEqual(['2026-12-01-9', '2026-12-01-10', '2026-12-01-11']);
    expect(cells[1]!.more).toBe(1);
    expect(cells[3]!.more).toBe(0);
    expect(denseDays([{ bookings: placed }], 7)).toEqual([1]);
  });

  it('every piece lands in exactly one cell, whatever the bookings', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 6 }), fc.integer({ min: 8, max: 16 })), { maxLength: 20 }),
        (specs) => {
          const range = calendarRange('week', '2026-11-30', '2026-11-30', SH);
          const items = specs.map(([d, h], i) => ({
            id: String(i),
            start: `${addDays('2026-11-30', d)}T${String(h - 8).padStart(2, '0')}:00:00Z`,
            end: `${addDays('2026-11-30', d)}T${String(h - 7).padStart(2, '0')}:00:00Z`,
          }));
          const { placed } = placeSpans(items, range, { startMin: 480, endMin: 1080 }, SH, { lanes: true });
          const cells = dayCells(placed, 7, 3);
          expect(cells.reduce((n, c) => n + c.shown.length + c.more, 0)).toBe(placed.length);
        },
      ),
    );
  });

  it('an instrument under maintenance is not bookable', () => {
    expect(isUnavailable('maintenance')).toBe(true);
    expect(isUnavailable('active')).toBe(false);
  });
});
