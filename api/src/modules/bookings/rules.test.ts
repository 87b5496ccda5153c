import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DateTime } from 'luxon';
import {
  arrival,
  billableMinutes,
  cancellationFee,
  checkBookingRules,
  customerCancellationFee,
  feeWaiver,
  isoWeeksSpan,
  localMinuteOfDay,
  minutesByIsoWeek,
  occupiedRange,
  priceForMinutes,
  weekOverQuota,
} from './rules.ts';
import { DEFAULT_POLICY } from '../availability/index.ts';
import { isBlocked } from '../training-and-violations/index.ts';

const MINUTE = 60_000;
const NOW = new Date('2026-11-26T02:00:00Z');

const policyArb = fc.record({
  slotMinutes: fc.constantFrom(15, 30, 60, 120),
  minMultiple: fc.integer({ min: 1, max: 4 }),
  maxMultiple: fc.integer({ min: 4, max: 16 }),
  leadMinutes: fc.integer({ min: 0, max: 3 * 24 * 60 }),
  horizonDays: fc.integer({ min: 7, max: 120 }),
});

describe('booking rules', () => {
  it('property: whatever the rules accept is on the grid, within duration bounds, lead time and horizon', () => {
    fc.assert(
      fc.property(
        policyArb,
        fc.integer({ min: -2 * 24 * 60, max: 150 * 24 * 60 }),
        fc.integer({ min: 1, max: 20 * 60 }),
        fc.constantFrom('Asia/Shanghai', 'Europe/Berlin', 'America/New_York', 'Asia/Kolkata'),
        (p, startOffset, durationMinutes, timeZone) => {
          const policy = {
            ...DEFAULT_POLICY,
            slotMinutes: p.slotMinutes,
            minMinutes: p.slotMinutes * p.minMultiple,
            maxMinutes: p.slotMinutes * p.maxMultiple,
            leadMinutes: p.leadMinutes,
            horizonDays: p.horizonDays,
          };
          const start = new Date(NOW.getTime() + startOffset * MINUTE);
          const end = new Date(start.getTime() + durationMinutes * MINUTE);
          const violations = checkBookingRules({ start, end, now: NOW, mode: 'self', policy, timeZone });
          if (violations.length > 0) return;
          expect(durationMinutes % policy.slotMinutes).toBe(0);
          expect(durationMinutes).toBeGreaterThanOrEqual(policy.minMinutes);
          expect(durationMinutes).toBeLessThanOrEqual(policy.maxMinutes);
          expect(localMinuteOfDay(start, timeZone) % policy.slotMinutes).toBe(0);
          expect(startOffset).toBeGreaterThanOrEqual(policy.leadMinutes);
          expect(startOffset).toBeLessThanOrEqual(policy.horizonDays * 24 * 60);
        },
      ),
    );
  });

  it('reads the grid in the site zone: 09:30 in Kolkata is on a 30-minute grid, 09:00 UTC+5:30 is not on 60', () => {
    const start = new Date('2026-12-01T04:00:00Z'); // 09:30 in Asia/Kolkata
    const policy = { ...DEFAULT_POLICY, leadMinutes: 0 };
    expect(
      checkBookingRules({
        start,
        end: new Date('2026-12-01T05:00:00Z'),
        now: NOW,
        mode: 'self',
        policy,
        timeZone: 'Asia/Kolkata',
      }),
    ).toEqual([]);
    const hourly = { ...policy, slotMinutes: 60, minMinutes: 60 };
    const codes = checkBookingRules({
      start,
      end: new Date('2026-12-01T05:00:00Z'),
      now: NOW,
      mode: 'self',
      policy: hourly,
      timeZone: 'Asia/Kolkata',
    }).map((v) => v.code);
    expect(codes).toEqual(['grid']);
  });

  it('refuses a mode the instrument does not offer', () => {
    const policy = { ...DEFAULT_POLICY, modes: ['assisted' as const], leadMinutes: 0 };
    const codes = checkBookingRules({
      start: new Date('2026-12-01T02:00:00Z'),
      end: new Date('2026-12-01T03:00:00Z'),
      now: NOW,
      mode: 'self',
      policy,
      timeZone: 'Asia/Shanghai',
    }).map((v) => v.code);
    expect(codes).toEqual(['mode_not_offered']);
  });
});

describe('money on the booking', () => {
  it('property: whole hours cost exactly rate × hours, and price never decreases with time', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1_000_000 }),
        fc.integer({ min: 1, max: 24 }),
        fc.integer({ min: 1, max: 1440 }),
        (rate, hours, minutes) => {
          expect(priceForMinutes(rate, hours * 60)).toBe(rate * hours);
          expect(priceForMinutes(rate, minutes + 1)).toBeGreaterThanOrEqual(priceForMinutes(rate, minutes));
        },
      ),
    );
  });

  it('charges the fee only inside the cut-off, rounded to the fen', () => {
    const policy = { cancellationCutoffMinutes: 24 * 60, cancellationFeeBasisPoints: 5000 };
    const start = new Date('2026-11-28T02:00:00Z');
    expect(cancellationFee({ price: 40001, start, now: new Date('2026-11-27T01:59:00Z'), policy })).toBe(0);
    expect(cancellationFee({ price: 40001, start, now: new Date('2026-11-27T02:00:01Z'), policy })).toBe(20001);
  });

  it('a carried deadline ends the free period earlier, never later; a hold cancels free', () => {
    const policy = { cancellationCutoffMinutes: 48 * 60, cancellationFeeBasisPoints: 5000 };
    const start = new Date('2026-12-07T02:00:00Z');
    const now = new Date('2026-11-26T02:00:00Z');
    // Moved from 27 November: free cancellation ended on the 25th.
    const freeUntil = new Date('2026-11-25T02:00:00Z');
    expect(cancellationFee({ price: 1000, start, now, policy })).toBe(0);
    expect(cancellationFee({ price: 1000, start, now, policy, freeUntil })).toBe(500);
    // A later carried deadline changes nothing: the booking's own cut-off still applies.
    const late = new Date('2026-12-06T02:00:00Z');
    expect(
      cancellationFee({ price: 1000, start, now: late, policy, freeUntil: new Date('2026-12-30T00:00:00Z') }),
    ).toBe(500);
    fc.assert(
      fc.property(
        fc.constantFrom('held', 'pending_approval', 'confirmed'),
        fc.integer({ min: 0, max: 10_000_000 }),
        fc.integer({ min: -30 * 24 * 60, max: 30 * 24 * 60 }),
        (status, price, minutesFromNow) => {
          const fee = customerCancellationFee(
            {
              status,
              priceAmount: price,
              startsAt: new Date(now.getTime() + minutesFromNow * MINUTE),
              policy,
              freeCancellationUntil: freeUntil,
            },
            now,
          );
          // Past the carried deadline every commitment pays, wherever it was moved to; a hold never does.
          if (status === 'held') expect(fee).toBe(0);
          // (a start long past: always inside the cut-off)
          else expect(fee).toBe(cancellationFee({ price, start: new Date(0), now, policy }));
        },
      ),
    );
  });

  it('widens the occupied range by the buffers', () => {
    const range = occupiedRange(new Date('2026-12-01T02:00:00Z'), new Date('2026-12-01T03:00:00Z'), {
      setupMinutes: 15,
      cleanupMinutes: 30,
    });
    expect(range).toBe('[2026-12-01T01:45:00.000Z,2026-12-01T03:30:00.000Z)');
  });
});

describe('billable time', () => {
  it('property: never less than booked; an overrun past the grace is billed in whole slots', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(15, 30, 60),
        fc.integer({ min: 1, max: 16 }),
        fc.integer({ min: 0, max: 24 * 60 }),
        fc.integer({ min: 0, max: 30 }),
        (slot, slots, actual, grace) => {
          const booked = slot * slots;
          const billed = billableMinutes({
            bookedMinutes: booked,
            actualMinutes: actual,
            slotMinutes: slot,
            graceMinutes: grace,
          });
          expect(billed).toBeGreaterThanOrEqual(booked);
          if (actual <= booked + grace) expect(billed).toBe(booked);
          else {
            expect(billed % slot).toBe(0);
            expect(billed).toBeGreaterThanOrEqual(actual);
            expect(billed - actual).toBeLessThan(slot);
          }
        },
      ),
    );
  });
});

const ZONES = ['Asia/Shanghai', 'Europe/Berlin', 'America/New_York', 'Asia/Kolkata'] as const;
const sum = (m: Map<string, number>) => [...m.values()].reduce((a, b) => a + b, 0);

describe('weekly quota', () => {
  it('splits a booking across the ISO week boundary in the site zone (Sunday 23:00 → Monday 01:00)', () => {
    // 2026-11-29 is a Sunday; 23:00 in Shanghai is 15:00 UTC.
    const parts = minutesByIsoWeek(new Date('2026-11-29T15:00:00Z'), new Date('2026-11-29T17:00:00Z'), 'Asia/Shanghai');
    expect(Object.fromEntries(parts)).toEqual({ '2026-W48': 60, '2026-W49': 60 });
    // The same instants are one week in New York (Sunday morning there).
    expect([
      ...minutesByIsoWeek(new Date('2026-11-29T15:00:00Z'), new Date('2026-11-29T17:00:00Z'), 'America/New_York'),
    ]).toEqual([['2026-W48', 120]]);
    // ISO week-numbering year: 2027-01-01 (a Friday) is in 2026-W53.
    expect([
      ...minutesByIsoWeek(new Date('2027-01-01T01:00:00Z'), new Date('2027-01-01T02:00:00Z'), 'Asia/Shanghai'),
    ]).toEqual([['2026-W53', 60]]);
  });

  it('property: the weekly parts add up to the whole, each part lies in its week, and the span covers them', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 400 * 24 * 4 }),
        fc.integer({ min: 1, max: 20 * 24 * 4 }),
        fc.constantFrom(...ZONES),
        (startQuarter, quarters, zone) => {
          const start = new Date(Date.UTC(2026, 0, 1) + startQuarter * 15 * MINUTE);
          const end = new Date(start.getTime() + quarters * 15 * MINUTE);
          const parts = minutesByIsoWeek(start, end, zone);
          expect(sum(parts)).toBeCloseTo(quarters * 15, 9);
          for (const minutes of parts.values()) {
            expect(minutes).toBeGreaterThan(0);
            expect(minutes).toBeLessThanOrEqual(7 * 24 * 60 + 60); // a week, plus an hour in a DST fall-back week
          }
          const span = isoWeeksSpan(start, end, zone);
          expect(span.from.getTime()).toBeLessThanOrEqual(start.getTime());
          expect(span.to.getTime()).toBeGreaterThanOrEqual(end.getTime());
          const from = DateTime.fromJSDate(span.from, { zone });
          expect([from.weekday, from.hour, from.minute]).toEqual([1, 0, 0]);
          const weeks = Math.round(DateTime.fromJSDate(span.to, { zone }).diff(from, 'weeks').weeks);
          expect(weeks).toBe(parts.size);
        },
      ),
    );
  });

  it('property: whatever the quota check accepts keeps every week within the quota; more booked time never helps', () => {
    const slotArb = fc
      .record({
        day: fc.integer({ min: 0, max: 20 }),
        hour: fc.integer({ min: 0, max: 22 }),
        len: fc.integer({ min: 1, max: 6 }),
      })
      .map(({ day, hour, len }) => {
        const start = new Date(Date.UTC(2026, 10, 23, hour) + day * 24 * 60 * MINUTE);
        return { start, end: new Date(start.getTime() + len * 60 * MINUTE) };
      });
    fc.assert(
      fc.property(
        slotArb,
        fc.array(slotArb, { maxLength: 8 }),
        slotArb,
        fc.integer({ min: 60, max: 20 * 60 }),
        fc.constantFrom(...ZONES),
        (request, booked, extra, quota, timeZone) => {
          const input = { request, booked, timeZone, quotaMinutesPerWeek: quota };
          expect(weekOverQuota({ ...input, quotaMinutesPerWeek: null })).toBeNull();
          const over = weekOverQuota(input);
          const used = new Map<string, number>();
          for (const b of [...booked, request]) {
            for (const [w, m] of minutesByIsoWeek(b.start, b.end, timeZone)) used.set(w, (used.get(w) ?? 0) + m);
          }
          const requestWeeks = [...minutesByIsoWeek(request.start, request.end, timeZone).keys()];
          if (over === null) for (const w of requestWeeks) expect(used.get(w)!).toBeLessThanOrEqual(quota);
          else {
            expect(requestWeeks).toContain(over.week);
            expect(over.minutes).toBeGreaterThan(quota);
            expect(weekOverQuota({ ...input, booked: [...booked, extra] })).not.toBeNull();
          }
        },
      ),
    );
  });
});

describe('fee waiver when freed time is rebooked', () => {
  it('property: never negative, never beyond the unwaived fee; full cover waives it all; parts never exceed the fee', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 10_000_000 }),
        fc.integer({ min: 1, max: 24 * 60 }),
        fc.array(fc.integer({ min: 0, max: 24 * 60 }), { maxLength: 6 }),
        (fee, booked, overlaps) => {
          expect(feeWaiver({ fee, alreadyWaived: 0, bookedMinutes: booked, overlapMinutes: booked })).toBe(fee);
          let waived = 0;
          for (const overlap of overlaps) {
            const add = feeWaiver({ fee, alreadyWaived: waived, bookedMinutes: booked, overlapMinutes: overlap });
            expect(Number.isInteger(add)).toBe(true);
            expect(add).toBeGreaterThanOrEqual(0);
            expect(add).toBeLessThanOrEqual(Math.floor((fee * Math.min(overlap, booked)) / booked));
            waived += add;
            expect(waived).toBeLessThanOrEqual(fee);
          }
        },
      ),
    );
  });

  it('waives half the fee for half the time, floored to the fen', () => {
    expect(feeWaiver({ fee: 20001, alreadyWaived: 0, bookedMinutes: 120, overlapMinutes: 60 })).toBe(10000);
    expect(feeWaiver({ fee: 20001, alreadyWaived: 15000, bookedMinutes: 120, overlapMinutes: 60 })).toBe(5001);
    expect(feeWaiver({ fee: 20001, alreadyWaived: 20001, bookedMinutes: 120, overlapMinutes: 120 })).toBe(0);
  });
});

describe('arrival and blocks', () => {
  it('property: arrival only gets worse as time passes; late only after the grace, void from the late-void time', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 60 }),
        fc.integer({ min: 0, max: 120 }),
        fc.integer({ min: -60, max: 240 }),
        fc.integer({ min: 0, max: 60 }),
        (grace, extra, at, later) => {
          const policy = { noShowGraceMinutes: grace, lateVoidMinutes: grace + extra };
          const start = new Date('2026-12-01T02:00:00Z');
          const rank = { on_time: 0, late: 1, void: 2 } as const;
          const a = arrival(start, new Date(start.getTime() + at * MINUTE), policy);
          const b = arrival(start, new Date(start.getTime() + (at + later) * MINUTE), policy);
          expect(rank[b]).toBeGreaterThanOrEqual(rank[a]);
          expect(a === 'void').toBe(at >= policy.lateVoidMinutes);
          expect(a === 'on_time').toBe(at <= grace && at < policy.lateVoidMinutes);
        },
      ),
    );
  });

  it('blocks only past the threshold', () => {
    expect(isBlocked(3, 3)).toBe(false);
    expect(isBlocked(4, 3)).toBe(true);
    expect(isBlocked(1, 0)).toBe(true);
  });
});
