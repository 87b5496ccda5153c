import fc from 'fast-check';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { expand, localToInstant, MAX_OCCURRENCES, parseRule, RecurrenceError } from './recurrence.ts';

const ZONES = ['Europe/Berlin', 'America/New_York', 'Asia/Shanghai', 'Australia/Sydney', 'UTC'];
const DAYS = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'];

const localOf = (d: Date, zone: string) => DateTime.fromJSDate(d, { zone });

const ruleArb = fc.record({
  freq: fc.constantFrom('DAILY', 'WEEKLY'),
  interval: fc.integer({ min: 1, max: 3 }),
  byDay: fc.subarray(DAYS, { minLength: 0, maxLength: 7 }),
  count: fc.integer({ min: 1, max: MAX_OCCURRENCES }),
});
const startArb = fc.record({
  date: fc.date({ min: new Date('2026-01-01T00:00:00Z'), max: new Date('2028-12-31T00:00:00Z'), noInvalidDate: true }),
  hour: fc.integer({ min: 0, max: 23 }),
  minute: fc.constantFrom(0, 15, 30, 45),
  zone: fc.constantFrom(...ZONES),
});

function localText(date: Date, hour: number, minute: number) {
  const d = date.toISOString().slice(0, 10);
  return `${d}T${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}`;
}
function ruleText(r: { freq: string; interval: number; byDay: string[]; count: number }) {
  return `FREQ=${r.freq};INTERVAL=${r.interval}${r.byDay.length ? `;BYDAY=${r.byDay.join(',')}` : ''};COUNT=${r.count}`;
}

describe('expand (properties)', () => {
  it('occurrences are strictly increasing, COUNT is respected, every one keeps its duration', () => {
    fc.assert(
      fc.property(ruleArb, startArb, fc.integer({ min: 1, max: 8 }), (r, s, hours) => {
        const out = expand({
          localStart: localText(s.date, s.hour, s.minute),
          rule: ruleText(r),
          durationMinutes: hours * 60,
          timeZone: s.zone,
        });
        expect(out).toHaveLength(r.count);
        for (let i = 1; i < out.length; i++)
          expect(out[i]!.start.getTime()).toBeGreaterThan(out[i - 1]!.start.getTime());
        for (const o of out) expect(o.end.getTime() - o.start.getTime()).toBe(hours * 3_600_000);
      }),
    );
  });

  it("the local wall-clock time stays constant across DST (unless it falls in a gap), on the rule's days", () => {
    fc.assert(
      fc.property(ruleArb, startArb, (r, s) => {
        const out = expand({
          localStart: localText(s.date, s.hour, s.minute),
          rule: ruleText(r),
          durationMinutes: 60,
          timeZone: s.zone,
        });
        const wanted = r.byDay.map((d) => DAYS.indexOf(d) + 1);
        for (const o of out) {
          const local = localOf(o.start, s.zone);
          const gap = local.hour !== s.hour || local.minute !== s.minute;
          if (gap) {
            // Only a non-existent local time moves, forward by the gap, to the same day.
            expect(o.local.slice(0, 10)).toBe(local.toFormat('yyyy-MM-dd'));
            expect(local.hour * 60 + local.minute).toBeGreaterThan(s.hour * 60 + s.minute);
          } else {
            expect(o.local).toBe(`${local.toFormat("yyyy-MM-dd'T'HH:mm")}`);
          }
          if (wanted.length > 0) expect(wanted).toContain(DateTime.fromISO(o.local, { zone: 'UTC' }).weekday);
        }
        // The first occurrence is never before the first start.
        if (out[0]) expect(out[0].local >= localText(s.date, s.hour, s.minute)).toBe(true);
      }),
    );
  });

  it('UNTIL is inclusive and never exceeded', () => {
    fc.assert(
      fc.property(
        startArb,
        fc.integer({ min: 0, max: 60 }),
        fc.subarray(DAYS, { minLength: 1, maxLength: 3 }),
        (s, spanDays, byDay) => {
          const localStart = localText(s.date, s.hour, s.minute);
          const until = DateTime.fromISO(localStart, { zone: 'UTC' }).plus({ days: spanDays }).toFormat('yyyyMMdd');
          let out;
          try {
            out = expand({
              localStart,
              rule: `FREQ=WEEKLY;BYDAY=${byDay.join(',')};UNTIL=${until}`,
              durationMinutes: 30,
              timeZone: s.zone,
            });
          } catch (e) {
            expect(e).toBeInstanceOf(RecurrenceError);
            expect((e as RecurrenceError).code).toBe('series_too_long');
            return;
          }
          for (const o of out) expect(o.local.slice(0, 10).replace(/-/g, '') <= until).toBe(true);
          // Every matching day in [start, until] is there.
          const wanted = byDay.map((d) => DAYS.indexOf(d) + 1);
          let expected = 0;
          for (let i = 0; i <= spanDays; i++) {
            if (wanted.includes(DateTime.fromISO(localStart, { zone: 'UTC' }).plus({ days: i }).weekday)) expected++;
          }
          expect(out).toHaveLength(expected);
        },
      ),
    );
  });
});

describe('expand (examples)', () => {
  it('Tuesdays 09:00 in New York stay 09:00 local across the March change (UTC moves by an hour)', () => {
    const out = expand({
      localStart: '2027-03-02T09:00',
      rule: 'FREQ=WEEKLY;BYDAY=TU;COUNT=4',
      durationMinutes: 120,
      timeZone: 'America/New_York',
    });
    expect(out.map((o) => o.start.toISOString())).toEqual([
      '2027-03-02T14:00:00.000Z',
      '2027-03-09T14:00:00.000Z',
      '2027-03-16T13:00:00.000Z',
      '2027-03-23T13:00:00.000Z',
    ]);
    expect(out.map((o) => o.local)).toEqual([
      '2027-03-02T09:00',
      '2027-03-09T09:00',
      '2027-03-16T09:00',
      '2027-03-23T09:00',
    ]);
  });

  it('a time in the spring-forward gap moves forward by the gap; an ambiguous one is its first instant', () => {
    // Berlin jumps 02:00 → 03:00 on 2027-03-28 and falls back 03:00 → 02:00 on 2027-10-31.
    const gap = expand({
      localStart: '2027-03-27T02:30',
      rule: 'FREQ=DAILY;COUNT=3',
      durationMinutes: 60,
      timeZone: 'Europe/Berlin',
    });
    expect(gap.map((o) => o.start.toISOString())).toEqual([
      '2027-03-27T01:30:00.000Z', // 02:30 CET
      '2027-03-28T01:30:00.000Z', // 02:30 does not exist: 03:30 CEST
      '2027-03-29T00:30:00.000Z', // 02:30 CEST
    ]);
    expect(localToInstant({ year: 2027, month: 10, day: 31, hour: 2, minute: 30 }, 'Europe/Berlin').toISOString()).toBe(
      '2027-10-31T00:30:00.000Z', // 02:30 CEST, the first of the two
    );
  });

  it('INTERVAL, several BYDAY and a DAILY rule filtered by BYDAY', () => {
    const biweekly = expand({
      localStart: '2026-12-01T10:00',
      rule: 'FREQ=WEEKLY;INTERVAL=2;BYDAY=TU,TH;COUNT=4',
      durationMinutes: 60,
      timeZone: 'Asia/Shanghai',
    });
    expect(biweekly.map((o) => o.local)).toEqual([
      '2026-12-01T10:00',
      '2026-12-03T10:00',
      '2026-12-15T10:00',
      '2026-12-17T10:00',
    ]);
    const weekdays = expand({
      localStart: '2026-12-04T10:00',
      rule: 'FREQ=DAILY;BYDAY=MO,TU,WE,TH,FR;COUNT=3',
      durationMinutes: 60,
      timeZone: 'Asia/Shanghai',
    });
    expect(weekdays.map((o) => o.local)).toEqual(['2026-12-04T10:00', '2026-12-07T10:00', '2026-12-08T10:00']);
  });

  it.each([
    ['FREQ=MONTHLY;COUNT=3', 'invalid_rule'],
    ['FREQ=WEEKLY', 'invalid_rule'],
    ['FREQ=WEEKLY;COUNT=2;UNTIL=20270101', 'invalid_rule'],
    ['FREQ=WEEKLY;BYDAY=XX;COUNT=2', 'invalid_rule'],
    ['FREQ=WEEKLY;BYSETPOS=1;COUNT=2', 'invalid_rule'],
    ['FREQ=WEEKLY;COUNT=0', 'invalid_rule'],
    ['FREQ=WEEKLY;COUNT=53', 'series_too_long'],
    ['FREQ=DAILY;UNTIL=20281231', 'series_too_long'],
  ])('%s is refused with %s', (rule, code) => {
    const run = () => expand({ localStart: '2026-12-01T09:00', rule, durationMinutes: 60, timeZone: 'UTC' });
    expect(run).toThrow(RecurrenceError);
    try {
      run();
    } catch (e) {
      expect((e as RecurrenceError).code).toBe(code);
    }
  });

  it('parses UNTIL as a UTC instant with Z and as local wall time without', () => {
    expect(parseRule('FREQ=DAILY;UNTIL=20261201T010000Z', 'Asia/Shanghai').until?.toISOString()).toBe(
      '2026-12-01T01:00:00.000Z',
    );
    expect(parseRule('FREQ=DAILY;UNTIL=20261201T090000', 'Asia/Shanghai').until?.toISOString()).toBe(
      '2026-12-01T01:00:00.000Z',
    );
  });
});
