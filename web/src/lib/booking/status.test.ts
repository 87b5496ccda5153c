import { describe, expect, it } from 'vitest';
import { translator } from '$lib/i18n';
import {
  actionsFor,
  BOOKING_STATUSES,
  cancellationPreview,
  stepReached,
  countdownText,
  freeUntilAfterMove,
  holdSecondsLeft,
  splitBookings,
  statusTone,
} from './status';

const now = new Date('2026-11-27T02:00:00Z');
const booking = (status: string, start: string, extra: Partial<{ holdExpiresAt: string | null }> = {}) => ({
  status,
  start,
  end: new Date(Date.parse(start) + 2 * 3_600_000).toISOString(),
  holdExpiresAt: extra.holdExpiresAt ?? null,
  price: { amount: 120000, currency: 'CNY' },
});

describe('statuses', () => {
  it('names all nine statuses in both languages', () => {
    expect(BOOKING_STATUSES).toHaveLength(9);
    for (const s of BOOKING_STATUSES) {
      expect(translator('zh-CN')(`myBookings.status.${s}`)).toMatch(/[\u4e00-\u9fff]/);
      expect(translator('en')(`myBookings.status.${s}`)).not.toBe(`myBookings.status.${s}`);
      expect(statusTone(s)).toMatch(/^badge-/);
    }
  });

  it('splits upcoming (soonest first) from past (latest first)', () => {
    const items = [
      booking('confirmed', '2026-12-03T01:00:00Z'),
      booking('pending_approval', '2026-12-01T01:00:00Z'),
      booking('cancelled', '2026-12-02T01:00:00Z'),
      booking('completed', '2026-11-20T01:00:00Z'),
      booking('confirmed', '2026-11-26T01:00:00Z'), // ended yesterday
    ];
    const { upcoming, past } = splitBookings(items, now);
    expect(upcoming.map((b) => b.start)).toEqual(['2026-12-01T01:00:00Z', '2026-12-03T01:00:00Z']);
    expect(past.map((b) => b.status)).toEqual(['cancelled', 'confirmed', 'completed']);
  });
});

describe('actions and holds', () => {
  it('offers confirm only on a live hold, cancel and reschedule before the start', () => {
    const held = booking('held', '2026-12-01T01:00:00Z', { holdExpiresAt: '2026-11-27T02:10:00Z' });
    expect(actionsFor(held, now)).toEqual({ confirm: true, cancel: true, reschedule: true, calendar: true });
    const lapsed = booking('held', '2026-12-01T01:00:00Z', { holdExpiresAt: '2026-11-27T01:59:00Z' });
    expect(actionsFor(lapsed, now).confirm).toBe(false);
    expect(actionsFor(booking('in_use', '2026-11-27T01:00:00Z'), now)).toEqual({
      confirm: false,
      cancel: false,
      reschedule: false,
      calendar: true,
    });
    expect(actionsFor(booking('cancelled', '2026-12-01T01:00:00Z'), now).calendar).toBe(false);
  });

  it('counts a hold down', () => {
    expect(holdSecondsLeft('2026-11-27T02:14:32Z', now)).toBe(872);
    expect(countdownText(872)).toBe('14:32');
    expect(holdSecondsLeft('2026-11-27T01:00:00Z', now)).toBe(0);
    expect(holdSecondsLeft(null, now)).toBe(0);
  });
});

describe('cancellationPreview', () => {
  const terms = { cancellationCutoffMinutes: 24 * 60, cancellationFeeBasisPoints: 5000 };
  it('charges the fee inside the cut-off and nothing outside it', () => {
    expect(cancellationPreview(booking('confirmed', '2026-11-28T01:00:00Z'), terms, now)).toMatchObject({
      late: true,
      fee: { amount: 60000, currency: 'CNY' },
    });
    expect(cancellationPreview(booking('confirmed', '2026-11-28T03:00:00Z'), terms, now)).toMatchObject({
      late: false,
      fee: { amount: 0, currency: 'CNY' },
    });
  });
  it('names until when cancelling is free', () => {
    expect(cancellationPreview(booking('confirmed', '2026-11-28T03:00:00Z'), terms, now).freeUntil).toBe(
      '2026-11-27T03:00:00.000Z',
    );
    expect(cancellationPreview(booking('confirmed', '2026-11-28T01:00:00Z'), terms, now).freeUntil).toBe(
      '2026-11-27T01:00:00.000Z',
    );
    // No fee, no deadline; a hold is free whenever.
    const free = { ...terms, cancellationFeeBasisPoints: 0 };
    expect(cancellationPreview(booking('confirmed', '2026-11-28T03:00:00Z'), free, now).freeUntil).toBeNull();
    expect(cancellationPreview(booking('held', '2026-11-28T03:00:00Z'), terms, now).freeUntil).toBeNull();
  });
  it('says nothing certain without the terms', () => {
    expect(cancellationPreview(booking('confirmed', '2026-11-28T01:00:00Z'), null, now)).toMatchObject({
      late: null,
      fee: null,
    });
  });
  it('a hold cancels free, even inside the cut-off', () => {
    expect(cancellationPreview(booking('held', '2026-11-28T01:00:00Z'), terms, now)).toMatchObject({
      late: false,
      fee: { amount: 0, currency: 'CNY' },
    });
  });
  it("goes by the booking's own terms: a moved booking's free period ends before the earlier start", () => {
    // Starts in ten days, but moved from tomorrow: free cancellation ended yesterday, at 50 %.
    const moved = {
      ...booking('confirmed', '2026-12-07T02:00:00Z'),
      cancellationTerms: { freeUntil: '2026-11-26T01:00:00Z', feeBasisPoints: 5000, cutoffMinutes: 1440 },
    };
    expect(cancellationPreview(moved, { ...terms, cancellationFeeBasisPoints: 10000 }, now)).toMatchObject({
      late: true,
      fee: { amount: 60000, currency: 'CNY' },
    });
    const early = { ...moved, cancellationTerms: { ...moved.cancellationTerms, freeUntil: '2026-11-27T03:00:00Z' } };
    expect(cancellationPreview(early, null, now)).toMatchObject({ late: false, fee: { amount: 0, currency: 'CNY' } });
  });
});

describe('freeUntilAfterMove', () => {
  const terms = { freeUntil: '2026-11-25T02:00:00.000Z', feeBasisPoints: 5000, cutoffMinutes: 2880 };
  it('the earlier start decides: moving later keeps the deadline, moving earlier brings it forward', () => {
    expect(freeUntilAfterMove(terms, '2026-12-07T02:00:00Z')).toBe('2026-11-25T02:00:00.000Z');
    expect(freeUntilAfterMove(terms, '2026-11-26T02:00:00Z')).toBe('2026-11-24T02:00:00.000Z');
  });
});

describe('stepReached', () => {
  const steps = ['held', 'pending_approval', 'confirmed', 'in_use', 'completed'];
  it('ticks an outcome itself and marks a state under way as current', () => {
    expect(stepReached(steps, 'held')).toBe(0);
    expect(stepReached(steps, 'pending_approval')).toBe(1);
    expect(stepReached(steps, 'confirmed')).toBe(3);
    expect(stepReached(steps, 'in_use')).toBe(3);
    expect(stepReached(steps, 'completed')).toBe(5);
    expect(stepReached(steps, 'cancelled')).toBe(-1);
  });
});
