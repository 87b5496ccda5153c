import { describe, expect, it } from 'vitest';
import {
  bookedMinutes,
  bookingsForTab,
  labActions,
  parseReason,
  parseTab,
  policySnapshotOf,
  statusBadge,
  upcomingWindow,
} from './bookings';

const SH = 'Asia/Shanghai';

function booking(id: string, status: string, start: string, end: string) {
  return { id, status, start, end };
}

describe('labActions', () => {
  const b = (status: string) => booking('x', status, '2026-12-01T01:00:00Z', '2026-12-01T03:00:00Z');

  it('offers approve and reject only while a booking awaits approval', () => {
    expect(labActions(b('pending_approval'), new Date('2026-11-27T00:00:00Z'))).toEqual([
      'approve',
      'reject',
      'cancel',
    ]);
    for (const s of ['held', 'confirmed', 'in_use', 'completed', 'cancelled', 'rejected', 'expired', 'no_show']) {
      expect(labActions(b(s), new Date('2026-11-27T00:00:00Z'))).not.toContain('approve');
    }
  });

  it('opens check-in 30 minutes before the start and closes it at the end', () => {
    expect(labActions(b('confirmed'), new Date('2026-12-01T00:29:00Z'))).toEqual(['cancel']);
    expect(labActions(b('confirmed'), new Date('2026-12-01T00:30:00Z'))).toEqual(['checkIn', 'cancel']);
    expect(labActions(b('confirmed'), new Date('2026-12-01T02:59:00Z'))).toEqual(['checkIn', 'cancel']);
    expect(labActions(b('confirmed'), new Date('2026-12-01T03:00:00Z'))).toEqual(['cancel']);
  });

  it('checks out a booking in use and offers nothing on a finished one', () => {
    expect(labActions(b('in_use'), new Date('2026-12-01T02:00:00Z'))).toEqual(['checkOut']);
    expect(labActions(b('completed'), new Date('2026-12-01T02:00:00Z'))).toEqual([]);
    expect(labActions(b('no_show'), new Date('2026-12-01T02:00:00Z'))).toEqual([]);
  });
});

describe('bookingsForTab', () => {
  // Today is Tuesday 1 December 2026 in Shanghai (UTC+8).
  const window = upcomingWindow('2026-12-01', SH, 7);
  const items = [
    booking('far-pending', 'pending_approval', '2027-01-10T01:00:00Z', '2027-01-10T02:00:00Z'),
    booking('next-week', 'confirmed', '2026-12-09T01:00:00Z', '2026-12-09T02:00:00Z'),
    booking('tomorrow', 'confirmed', '2026-12-02T01:00:00Z', '2026-12-02T02:00:00Z'),
    booking('today-pending', 'pending_approval', '2026-12-01T06:00:00Z', '2026-12-01T07:00:00Z'),
    booking('today-done', 'completed', '2026-12-01T01:00:00Z', '2026-12-01T02:00:00Z'),
    booking('today-cancelled', 'cancelled', '2026-12-01T03:00:00Z', '2026-12-01T04:00:00Z'),
    booking('still-running', 'in_use', '2026-11-30T08:00:00Z', '2026-11-30T09:00:00Z'),
    booking('yesterday-done', 'completed', '2026-11-30T01:00:00Z', '2026-11-30T02:00:00Z'),
    booking('yesterday-no-show', 'no_show', '2026-11-30T01:00:00Z', '2026-11-30T02:00:00Z'),
  ];

  it('covers local days in the lab zone', () => {
    expect(window.from.toISOString()).toBe('2026-11-30T16:00:00.000Z');
    expect(window.todayEnd.toISOString()).toBe('2026-12-01T16:00:00.000Z');
    expect(window.to.toISOString()).toBe('2026-12-07T16:00:00.000Z');
  });

  it('lists every booking awaiting approval, soonest first', () => {
    expect(bookingsForTab(items, 'pending', window).map((b) => b.id)).toEqual(['today-pending', 'far-pending']);
  });

  it("lists the coming week's work, today's finished bookings and anything still in use", () => {
    expect(bookingsForTab(items, 'today', window).map((b) => b.id)).toEqual([
      'still-running',
      'today-done',
      'today-pending',
      'tomorrow',
    ]);
  });

  it('filters all bookings by status, keeping the API order', () => {
    expect(bookingsForTab(items, 'all', window).map((b) => b.id)).toEqual(items.map((b) => b.id));
    expect(bookingsForTab(items, 'all', window, 'completed').map((b) => b.id)).toEqual([
      'today-done',
      'yesterday-done',
    ]);
  });
});

describe('small readers', () => {
  it('reads a reason within the API bounds', () => {
    expect(parseReason('  仪器故障  ')).toEqual({ ok: true, reason: '仪器故障' });
    expect(parseReason('')).toEqual({ ok: false, code: 'required' });
    expect(parseReason(null)).toEqual({ ok: false, code: 'required' });
    expect(parseReason('否')).toEqual({ ok: false, code: 'too_short' });
    expect(parseReason('x'.repeat(501))).toEqual({ ok: false, code: 'too_long' });
  });

  it('falls back to the pending tab and colours statuses', () => {
    expect(parseTab('today')).toBe('today');
    expect(parseTab('bogus')).toBe('pending');
    expect(statusBadge('pending_approval')).toBe('badge-warn');
    expect(statusBadge('no_show')).toBe('badge-danger');
    expect(statusBadge('expired')).toBe('badge-muted');
    expect(bookedMinutes({ start: '2026-12-01T01:00:00Z', end: '2026-12-01T02:30:00Z' })).toBe(90);
  });
});

describe('policySnapshotOf', () => {
  const policy = {
    slotMinutes: 30,
    minMinutes: 60,
    maxMinutes: 240,
    leadMinutes: 1440,
    horizonDays: 60,
    setupMinutes: 0,
    cleanupMinutes: 15,
    modes: ['self'],
    requiresApproval: true,
    holdMinutes: 15,
    cancellationCutoffMinutes: 1440,
    cancellationFeeBasisPoints: 5000,
    qualificationRequired: true,
    noShowGraceMinutes: 15,
    lateVoidMinutes: 60,
    quotaMinutesPerWeek: 600,
  };

  it('reads the snapshot a booking carries', () => {
    expect(policySnapshotOf({ id: 'b', policy })).toEqual(policy);
  });

  it("reads an older snapshot without the newer fields with the engine's defaults for them", () => {
    const { qualificationRequired, noShowGraceMinutes, lateVoidMinutes, quotaMinutesPerWeek, ...old } = policy;
    void [qualificationRequired, noShowGraceMinutes, lateVoidMinutes, quotaMinutesPerWeek];
    expect(policySnapshotOf({ policy: { ...old, cleanupMinutes: 5 } })).toMatchObject({
      cleanupMinutes: 5,
      qualificationRequired: false,
      noShowGraceMinutes: 15,
      lateVoidMinutes: 60,
      quotaMinutesPerWeek: null,
    });
  });

  it('is null when the booking has no usable snapshot', () => {
    expect(policySnapshotOf({ id: 'b' })).toBeNull();
    expect(policySnapshotOf({ policy: null })).toBeNull();
    expect(policySnapshotOf({ policy: { slotMinutes: '30' } })).toBeNull();
  });
});
