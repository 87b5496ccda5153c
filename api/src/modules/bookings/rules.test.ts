import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  billableMinutes,
  cancellationFee,
  checkBookingRules,
  DEFAULT_POLICY,
  localMinuteOfDay,
  occupiedRange,
  priceForMinutes,
} from './rules.ts';

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
