import { beforeAll, describe, expect, it } from 'vitest';
import { markNoShow } from '@qihub/api/modules/bookings/lifecycle';
import { dueNoShows } from '@qihub/api/modules/bookings/repository';
import { feeWaiver } from '@qihub/api/modules/bookings/rules';
import { bearer, expectProblem, testClock, useSeededApp } from '../support/app.ts';
import {
  aLab,
  atTime,
  bookingDesk,
  rentableInstruments,
  setBookingPolicy,
  setUnitCount,
  signIn,
  userIdsOf,
  USERS,
} from '../factories/index.ts';

/**
 * The rules about the user (qualification, weekly quota, blacklist), operators for assisted
 * bookings, and the standing side of the lifecycle: late cancellations, fee waivers, late arrival,
 * no-shows. Thursday 2026-11-26 10:00 in Shanghai; the demo lab opens Mon–Fri 08:30–17:30 (00:30–09:30 UTC).
 */
const NOW = new Date('2026-11-26T02:00:00Z');
const clock = testClock(NOW);
const t = useSeededApp({ clock });

let labId: string;
let pool: string[];
let tok: Record<'sme' | 'sme2' | 'lab' | 'operator' | 'lab2', string>;
let uid: Record<'sme' | 'sme2' | 'lab' | 'operator', string>;

interface BookingBody {
  id: string;
  status: string;
  unitId: string;
  operatorId: string | null;
  lateArrival: boolean;
  actualStart: string | null;
  price: { amount: number };
  cancellationFee: { amount: number } | null;
  cancellationFeeWaived: { amount: number } | null;
}

beforeAll(async () => {
  // These tests leave many holds open per person; the hold limits have their own tests (holds.test.ts).
  labId = (await aLab(t).allowingManyHolds().create()).id;
  pool = await rentableInstruments(t.db, labId);
  expect(pool.length).toBeGreaterThanOrEqual(10);
  tok = await signIn(t.app, ['sme', 'sme2', 'lab', 'operator', 'lab2']);
  uid = await userIdsOf(t.db, ['sme', 'sme2', 'lab', 'operator']);
});

const setPolicy = (instrumentId: string, cols: Record<string, unknown>) => setBookingPolicy(t.db, instrumentId, cols);
const setUnits = (instrumentId: string, units: number) => setUnitCount(t.db, instrumentId, units);
const { book, booked, act, acted, view: fetchBooking } = bookingDesk<BookingBody>(t, () => tok.lab);
const at = <T>(iso: string, fn: () => Promise<T>) => atTime(clock, iso, fn);

async function train(instrumentId: string, email: string, extra: Record<string, unknown> = {}) {
  const res = await t.app.inject({
    method: 'POST',
    url: `/v1/labs/${labId}/training-records`,
    headers: bearer(tok.lab),
    payload: { instrumentId, email, qualifiedAt: '2026-11-01T00:00:00Z', ...extra },
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json<{ id: string; valid: boolean }>();
}

async function violationsOf(userId: string) {
  const { rows } = await t.db.pool.query<{ kind: string; booking_id: string | null }>(
    'SELECT kind, booking_id FROM booking_violations WHERE lab_id = $1 AND user_id = $2 ORDER BY occurred_at',
    [labId, userId],
  );
  return rows;
}

describe('qualification_required', () => {
  it('self-operation needs a training record valid for the whole slot; assisted does not; lab managers are exempt', async () => {
    const instrument = pool[0]!;
    await setPolicy(instrument, { qualification_required: true });
    expectProblem(
      await book(tok.sme, instrument, '2026-11-30T01:00:00Z', '2026-11-30T03:00:00Z'),
      422,
      'qualification_required',
    );
    // With an operator it is fine: the demo operator is trained on every instrument of the lab.
    const assisted = await booked(tok.sme, instrument, '2026-11-30T01:00:00Z', '2026-11-30T03:00:00Z', {
      mode: 'assisted',
    });
    expect(assisted.operatorId).toBe(uid.operator);
    // The lab's manager books the lab's own instrument without a record.
    await booked(tok.lab, instrument, '2026-11-30T04:00:00Z', '2026-11-30T05:00:00Z');

    // A record expiring in the middle of a slot does not cover it.
    const record = await train(instrument, USERS.sme, { expiresAt: '2026-12-01T02:30:00Z' });
    expectProblem(
      await book(tok.sme, instrument, '2026-12-01T01:00:00Z', '2026-12-01T03:00:00Z'),
      422,
      'qualification_required',
    );
    await booked(tok.sme, instrument, '2026-12-01T01:00:00Z', '2026-12-01T02:00:00Z');

    const revoked = await t.app.inject({
      method: 'POST',
      url: `/v1/training-records/${record.id}/revoke`,
      headers: bearer(tok.lab),
    });
    expect(revoked.statusCode, revoked.body).toBe(200);
    expectProblem(
      await book(tok.sme, instrument, '2026-11-30T06:00:00Z', '2026-11-30T07:00:00Z'),
      422,
      'qualification_required',
    );
  });
});

describe('quota_exceeded', () => {
  it("counts the user's active and completed minutes per ISO week on the instrument, not other users' or cancelled ones", async () => {
    const instrument = pool[1]!;
    await setPolicy(instrument, { quota_minutes_per_week: 180 });
    const monday = await booked(tok.sme, instrument, '2026-11-30T01:00:00Z', '2026-11-30T03:00:00Z');
    const over = await book(tok.sme, instrument, '2026-12-04T01:00:00Z', '2026-12-04T03:00:00Z');
    expectProblem(over, 422, 'quota_exceeded');
    expect(over.json<{ detail: string }>().detail).toMatch(/240 minutes .* 2026-W49/);
    // Exactly the quota is allowed; assisted time counts too.
    await booked(tok.sme, instrument, '2026-12-04T01:00:00Z', '2026-12-04T02:00:00Z', { mode: 'assisted' });
    expectProblem(
      await book(tok.sme, instrument, '2026-12-03T01:00:00Z', '2026-12-03T01:30:00Z'),
      422,
      'quota_exceeded',
    );
    // Another user has a quota of their own; the next week starts afresh.
    await booked(tok.sme2, instrument, '2026-12-03T01:00:00Z', '2026-12-03T04:00:00Z');
    const nextWeek = await booked(tok.sme, instrument, '2026-12-07T01:00:00Z', '2026-12-07T03:00:00Z');

    // A cancelled booking stops counting.
    await acted(tok.sme, monday.id, 'cancel');
    await booked(tok.sme, instrument, '2026-12-03T05:00:00Z', '2026-12-03T07:00:00Z');

    // Completed use counts.
    await t.db.pool.query("UPDATE bookings SET status = 'completed' WHERE id = $1", [nextWeek.id]);
    expectProblem(
      await book(tok.sme, instrument, '2026-12-08T01:00:00Z', '2026-12-08T03:00:00Z'),
      422,
      'quota_exceeded',
    );
    await booked(tok.sme, instrument, '2026-12-08T01:00:00Z', '2026-12-08T02:00:00Z');
  });
});

describe('blacklisted', () => {
  it('more violations than the threshold in the window block self-booking at the lab until a manager lifts it', async () => {
    const instrument = pool[2]!;
    const addViolation = (daysAgo: number, kind = 'no_show') =>
      t.db.pool.query(
        `INSERT INTO booking_violations (lab_id, user_id, kind, occurred_at, note)
         VALUES ($1, $2, $3, $4::timestamptz - make_interval(days => $5), 'test')`,
        [labId, uid.sme2, kind, clock.now.toISOString(), daysAgo],
      );
    expect(await violationsOf(uid.sme2)).toEqual([]);
    for (const d of [10, 20, 30]) await addViolation(d);
    for (const d of [400, 500]) await addViolation(d, 'late_cancellation'); // outside the 365-day window
    // Three is not more than three.
    await booked(tok.sme2, instrument, '2026-11-30T01:00:00Z', '2026-11-30T02:00:00Z');
    await addViolation(5);
    const blocked = await book(tok.sme2, instrument, '2026-11-30T03:00:00Z', '2026-11-30T04:00:00Z');
    expectProblem(blocked, 422, 'blacklisted');
    expect(blocked.json<{ detail: string }>().detail).toMatch(/operator/);
    // Assisted booking stays allowed.
    await booked(tok.sme2, instrument, '2026-11-30T03:00:00Z', '2026-11-30T04:00:00Z', { mode: 'assisted' });

    const lift = (token: string) =>
      t.app.inject({
        method: 'POST',
        url: `/v1/labs/${labId}/standings/${uid.sme2}/lift`,
        headers: bearer(token),
        payload: { reason: '已补充培训，解除限制' },
      });
    expectProblem(await lift(tok.operator), 403, 'forbidden');
    const lifted = await lift(tok.lab);
    expect(lifted.statusCode, lifted.body).toBe(200);
    expect(lifted.json()).toMatchObject({ count: 0, blocked: false, user: { id: uid.sme2 } });
    await booked(tok.sme2, instrument, '2026-11-30T05:00:00Z', '2026-11-30T06:00:00Z');

    // The lab's own threshold applies: with 0, one new violation after the lift blocks again.
    await t.db.pool.query(
      `INSERT INTO lab_booking_settings (lab_id, violation_threshold, violation_window_days) VALUES ($1, 0, 30)
       ON CONFLICT (lab_id) DO UPDATE SET violation_threshold = 0, violation_window_days = 30`,
      [labId],
    );
    try {
      clock.advance(60_000);
      await addViolation(0);
      expectProblem(
        await book(tok.sme2, instrument, '2026-11-30T07:00:00Z', '2026-11-30T08:00:00Z'),
        422,
        'blacklisted',
      );
    } finally {
      clock.advance(-60_000);
      await t.db.pool.query(
        'UPDATE lab_booking_settings SET violation_threshold = 3, violation_window_days = 365 WHERE lab_id = $1',
        [labId],
      );
      await t.db.pool.query("DELETE FROM booking_violations WHERE user_id = $1 AND note = 'test'", [uid.sme2]);
    }
  });
});

describe('operators for assisted bookings', () => {
  it('allocates a qualified free operator; with none free the answer is 409 operator_unavailable, distinct from slot_unavailable', async () => {
    const instrument = pool[3]!;
    await setUnits(instrument, 2);
    const first = await booked(tok.sme, instrument, '2026-12-02T01:00:00Z', '2026-12-02T03:00:00Z', {
      mode: 'assisted',
    });
    expect(first.operatorId).toBe(uid.operator);
    // A unit is free but the only qualified operator is not, for all or part of the time.
    expectProblem(
      await book(tok.sme2, instrument, '2026-12-02T01:00:00Z', '2026-12-02T03:00:00Z', { mode: 'assisted' }),
      409,
      'operator_unavailable',
    );
    expectProblem(
      await book(tok.sme2, instrument, '2026-12-02T02:00:00Z', '2026-12-02T04:00:00Z', { mode: 'assisted' }),
      409,
      'operator_unavailable',
    );
    // The operator is busy on another instrument too.
    expectProblem(
      await book(tok.sme2, pool[4]!, '2026-12-02T02:00:00Z', '2026-12-02T03:00:00Z', { mode: 'assisted' }),
      409,
      'operator_unavailable',
    );
    // Self-operation takes the second unit; then the instrument is full: slot_unavailable.
    const self = await booked(tok.sme2, instrument, '2026-12-02T01:00:00Z', '2026-12-02T03:00:00Z');
    expect(self.unitId).not.toBe(first.unitId);
    expect(self.operatorId).toBeNull();
    expectProblem(
      await book(tok.sme2, instrument, '2026-12-02T01:00:00Z', '2026-12-02T03:00:00Z', { mode: 'assisted' }),
      409,
      'slot_unavailable',
    );
    // Right after, the operator is free again.
    const later = await booked(tok.sme2, instrument, '2026-12-02T03:00:00Z', '2026-12-02T04:00:00Z', {
      mode: 'assisted',
    });
    expect(later.operatorId).toBe(uid.operator);

    // A second qualified lab member (the manager) can run it once the self booking is gone.
    await train(instrument, USERS.lab);
    await acted(tok.sme2, self.id, 'cancel');
    const second = await booked(tok.sme2, instrument, '2026-12-02T01:00:00Z', '2026-12-02T03:00:00Z', {
      mode: 'assisted',
    });
    expect(second.operatorId).toBe(uid.lab);
    // Cancelling frees the operator.
    await acted(tok.sme, first.id, 'cancel');
    await booked(tok.sme, pool[4]!, '2026-12-02T02:00:00Z', '2026-12-02T03:00:00Z', { mode: 'assisted' });
  });

  it('ten parallel assisted requests for one slot on a three-unit instrument with two operators: one booking per operator', async () => {
    const instrument = pool[5]!;
    await setUnits(instrument, 3);
    await train(instrument, USERS.lab);
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        book(i % 2 ? tok.sme : tok.sme2, instrument, '2026-12-01T01:00:00Z', '2026-12-01T03:00:00Z', {
          mode: 'assisted',
        }),
      ),
    );
    const statuses = results.map((r) => r.statusCode);
    expect(
      statuses.every((s) => s === 201 || s === 409),
      statuses.join(','),
    ).toBe(true);
    const winners = results.filter((r) => r.statusCode === 201).map((r) => r.json<BookingBody>());
    expect(winners).toHaveLength(2);
    expect(new Set(winners.map((w) => w.operatorId))).toEqual(new Set([uid.operator, uid.lab]));
    expect(new Set(winners.map((w) => w.unitId)).size).toBe(2);
    const losers = results.filter((r) => r.statusCode === 409).map((r) => r.json<{ code: string }>().code);
    expect(new Set(losers)).toEqual(new Set(['operator_unavailable']));
    const { rows } = await t.db.pool.query<{ n: number }>(`
      SELECT count(*)::int AS n FROM bookings a JOIN bookings b
        ON a.id < b.id AND a.operator_id = b.operator_id AND a.occupied && b.occupied
      WHERE a.status IN ('held', 'pending_approval', 'confirmed', 'in_use')
        AND b.status IN ('held', 'pending_approval', 'confirmed', 'in_use')`);
    expect(rows[0]!.n).toBe(0);
  });
});

describe('who approves', () => {
  it("only the lab's managers and staff approve or reject; operators check in", async () => {
    const instrument = pool[6]!;
    const b = await booked(tok.sme, instrument, '2026-12-01T01:00:00Z', '2026-12-01T02:00:00Z');
    expect((await acted(tok.sme, b.id, 'confirm')).status).toBe('pending_approval');
    expectProblem(await act(tok.operator, b.id, 'approve'), 403, 'forbidden');
    expectProblem(await act(tok.operator, b.id, 'reject', { reason: '不行' }), 403, 'forbidden');
    expectProblem(await act(tok.operator, b.id, 'cancel'), 403, 'forbidden');
    expect((await acted(tok.lab, b.id, 'approve')).status).toBe('confirmed');
  });
});

describe('late cancellation', () => {
  it('a customer cancelling inside the cut-off pays the fee and gets a violation; the lab cancelling charges nothing', async () => {
    const instrument = pool[6]!;
    const late = await booked(tok.sme2, instrument, '2026-11-27T03:00:00Z', '2026-11-27T05:00:00Z');
    const byLab = await booked(tok.sme2, instrument, '2026-11-27T06:00:00Z', '2026-11-27T07:00:00Z');
    const early = await booked(tok.sme2, instrument, '2026-11-30T06:00:00Z', '2026-11-30T07:00:00Z');
    // Commitments: a mere hold cancels free (holds.test.ts).
    for (const b of [late, byLab, early]) await acted(tok.sme2, b.id, 'confirm');
    await at('2026-11-26T14:00:00Z', async () => {
      const cancelled = await acted(tok.sme2, late.id, 'cancel');
      expect(cancelled.cancellationFee!.amount).toBe(Math.round(late.price.amount / 2));
      expect(cancelled.cancellationFee!.amount).toBeGreaterThan(0);
      expect(cancelled.cancellationFeeWaived).toEqual({ amount: 0, currency: 'CNY' });
      const labCancelled = await acted(tok.lab, byLab.id, 'cancel');
      expect(labCancelled.cancellationFee!.amount).toBe(0);
      expect((await acted(tok.sme2, early.id, 'cancel')).cancellationFee!.amount).toBe(0);
    });
    expect(await violationsOf(uid.sme2)).toEqual([{ kind: 'late_cancellation', booking_id: late.id }]);
  });
});

describe('late arrival and no-shows', () => {
  it('checks in late with the flag, refuses after the late-void time, and markNoShow voids it once', async () => {
    const instrument = pool[7]!;
    await setPolicy(instrument, { requires_approval: false });
    const late = await booked(tok.sme, instrument, '2026-11-27T02:00:00Z', '2026-11-27T04:00:00Z');
    const gone = await booked(tok.sme, instrument, '2026-11-27T05:00:00Z', '2026-11-27T07:00:00Z');
    const onTime = await booked(tok.sme, instrument, '2026-11-27T07:00:00Z', '2026-11-27T09:00:00Z');
    for (const b of [late, gone, onTime]) expect((await acted(tok.sme, b.id, 'confirm')).status).toBe('confirmed');

    const checkedIn = await at('2026-11-27T02:20:00Z', () => acted(tok.operator, late.id, 'check-in'));
    expect(checkedIn).toMatchObject({ status: 'in_use', lateArrival: true });

    await at('2026-11-27T06:00:00Z', async () => {
      expectProblem(await act(tok.operator, gone.id, 'check-in'), 409, 'late_arrival_void');
      expectProblem(await act(tok.sme, gone.id, 'check-in'), 409, 'late_arrival_void');
    });
    expect(await fetchBooking(gone.id)).toMatchObject({ status: 'confirmed', actualStart: null });

    const fine = await at('2026-11-27T07:15:00Z', () => acted(tok.sme, onTime.id, 'check-in'));
    expect(fine).toMatchObject({ status: 'in_use', lateArrival: false });

    // The sweep's step: not before start + 60 min, then once.
    const db = t.db.db;
    expect(await db.transaction((tx) => markNoShow(tx, gone.id, new Date('2026-11-27T05:59:00Z')))).toBeUndefined();
    expect(await dueNoShows(db, new Date('2026-11-27T05:59:00Z'))).not.toContain(gone.id);
    const due = await dueNoShows(db, new Date('2026-11-27T06:00:00Z'));
    expect(due).toContain(gone.id);
    expect(due).not.toContain(late.id);
    const voided = await db.transaction((tx) => markNoShow(tx, gone.id, new Date('2026-11-27T06:00:00Z')));
    expect(voided).toMatchObject({ id: gone.id, status: 'no_show' });
    expect(await db.transaction((tx) => markNoShow(tx, gone.id, new Date('2026-11-27T06:05:00Z')))).toBeUndefined();
    expect(await db.transaction((tx) => markNoShow(tx, late.id, new Date('2026-11-27T06:05:00Z')))).toBeUndefined();
    expect((await fetchBooking(late.id)).status).toBe('in_use');
    expect((await violationsOf(uid.sme)).filter((v) => v.kind === 'no_show')).toEqual([
      { kind: 'no_show', booking_id: gone.id },
    ]);
    const { rows } = await t.db.pool.query<{ actor_kind: string }>(
      "SELECT actor_kind FROM audit_log WHERE entity_id = $1 AND action = 'booking.no_show'",
      [gone.id],
    );
    expect(rows).toEqual([{ actor_kind: 'system' }]);
  });
});

describe('fee waiver when someone else books the freed time', () => {
  it('waives the cancelled fee pro rata to the overlap, never beyond it, only for another user, on confirmation', async () => {
    const instrument = pool[8]!;
    await setUnits(instrument, 1);
    await setPolicy(instrument, { requires_approval: false, lead_minutes: 0 });
    const original = await booked(tok.sme, instrument, '2026-11-27T02:00:00Z', '2026-11-27T04:00:00Z');
    await acted(tok.sme, original.id, 'confirm');
    const fee = await at('2026-11-26T14:00:00Z', async () => {
      const cancelled = await acted(tok.sme, original.id, 'cancel');
      return cancelled.cancellationFee!.amount;
    });
    expect(fee).toBeGreaterThan(0);

    await at('2026-11-26T15:00:00Z', async () => {
      // Another user holds the second hour: nothing is waived until it is confirmed.
      const half = await booked(tok.sme2, instrument, '2026-11-27T03:00:00Z', '2026-11-27T04:00:00Z');
      expect((await fetchBooking(original.id)).cancellationFeeWaived!.amount).toBe(0);
      await acted(tok.sme2, half.id, 'confirm');
    });
    const w1 = feeWaiver({ fee, alreadyWaived: 0, bookedMinutes: 120, overlapMinutes: 60 });
    expect(w1).toBe(Math.floor(fee / 2));
    expect((await fetchBooking(original.id)).cancellationFeeWaived!.amount).toBe(w1);

    // The same user rebooking their own cancelled time waives nothing.
    const own = await at('2026-11-26T15:00:00Z', async () => {
      const b = await booked(tok.sme, instrument, '2026-11-27T02:00:00Z', '2026-11-27T03:00:00Z');
      await acted(tok.sme, b.id, 'confirm');
      return acted(tok.sme, b.id, 'cancel');
    });
    expect((await fetchBooking(original.id)).cancellationFeeWaived!.amount).toBe(w1);
    expect(own.cancellationFee!.amount).toBeGreaterThan(0);

    // Through the approval path: waived when the lab approves, up to the fee and no further.
    await setPolicy(instrument, { requires_approval: true });
    await at('2026-11-26T16:00:00Z', async () => {
      const rest = await booked(tok.sme2, instrument, '2026-11-27T02:00:00Z', '2026-11-27T03:00:00Z');
      expect((await acted(tok.sme2, rest.id, 'confirm')).status).toBe('pending_approval');
      expect((await fetchBooking(original.id)).cancellationFeeWaived!.amount).toBe(w1);
      await acted(tok.lab, rest.id, 'approve');
    });
    const w2 = w1 + feeWaiver({ fee, alreadyWaived: w1, bookedMinutes: 120, overlapMinutes: 60 });
    const after = await fetchBooking(original.id);
    expect(after.cancellationFeeWaived!.amount).toBe(w2);
    expect(w2).toBeLessThanOrEqual(fee);
    expect(w2).toBeGreaterThanOrEqual(fee - 1);
    // sme's second cancelled booking was fully covered by sme2's approved hour.
    expect((await fetchBooking(own.id)).cancellationFeeWaived!.amount).toBe(own.cancellationFee!.amount);

    const { rows } = await t.db.pool.query<{ actor_kind: string; n: number }>(
      "SELECT actor_kind, count(*)::int AS n FROM audit_log WHERE action = 'booking.fee_waived' AND entity_id = ANY($1) GROUP BY 1",
      [[original.id, own.id]],
    );
    expect(rows).toEqual([{ actor_kind: 'system', n: 3 }]);
  });
});
