import { beforeAll, describe, expect, it } from 'vitest';
import { bearer, expectProblem, login, testClock, useSeededApp } from '../support/app.ts';
import { orgOf, rentableInstruments, setUnitCount, USERS } from '../factories/index.ts';

/** Rescheduling: atomic (the new slot is held before the old is released), fee-free, guarded. */
// 2026-11-26 10:00 in Shanghai (Thursday); the slots below are next week.
const clock = testClock(new Date('2026-11-26T02:00:00Z'));
const t = useSeededApp({ clock });

let instrumentId: string;
let sme: string;
let sme2: string;
let lab: string;

interface View {
  id: string;
  status: string;
  start: string;
  end: string;
  unitId: string;
  holdExpiresAt: string | null;
  cancellationFee: { amount: number } | null;
}

beforeAll(async () => {
  const labId = await orgOf(t.db, USERS.lab);
  instrumentId = (await rentableInstruments(t.db, labId, { bothRates: false, orderBy: 'name_zh' }))[0]!;
  // One unit, so any overlap is a conflict.
  await setUnitCount(t.db, instrumentId, 1);
  [sme, sme2, lab] = await Promise.all([login(t.app, USERS.sme), login(t.app, USERS.sme2), login(t.app, USERS.lab)]);
});

async function hold(token: string, start: string, end: string): Promise<View> {
  const res = await t.app.inject({
    method: 'POST',
    url: '/v1/bookings',
    headers: bearer(token),
    payload: { instrumentId, start, end, mode: 'self' },
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json<View>();
}

const act = (token: string, id: string, verb: string) =>
  t.app.inject({ method: 'POST', url: `/v1/bookings/${id}/${verb}`, headers: bearer(token) });

const reschedule = (token: string, id: string, start: string, end: string) =>
  t.app.inject({
    method: 'POST',
    url: `/v1/bookings/${id}/reschedule`,
    headers: bearer(token),
    payload: { start, end },
  });

async function get(id: string): Promise<View> {
  const res = await t.app.inject({ method: 'GET', url: `/v1/bookings/${id}`, headers: bearer(sme) });
  expect(res.statusCode, res.body).toBe(200);
  return res.json<View>();
}

describe('reschedule', () => {
  it('moves a confirmed booking: the old one is cancelled without a fee, the new one goes back to approval', async () => {
    const booking = await hold(sme, '2026-11-30T02:00:00Z', '2026-11-30T04:00:00Z');
    expect((await act(sme, booking.id, 'confirm')).json<View>().status).toBe('pending_approval');
    expect((await act(lab, booking.id, 'approve')).json<View>().status).toBe('confirmed');

    const res = await reschedule(sme, booking.id, '2026-12-01T02:00:00Z', '2026-12-01T04:00:00Z');
    expect(res.statusCode, res.body).toBe(201);
    const body = res.json<{ booking: View; previous: View & { rescheduledTo: string } }>();
    expect(body.booking).toMatchObject({
      status: 'pending_approval',
      start: '2026-12-01T02:00:00.000Z',
      end: '2026-12-01T04:00:00.000Z',
      holdExpiresAt: null,
    });
    expect(body.previous).toMatchObject({ id: booking.id, status: 'cancelled', rescheduledTo: body.booking.id });
    expect(body.previous.cancellationFee?.amount).toBe(0);
    expect((await get(booking.id)).status).toBe('cancelled');
    const { rows } = await t.db.pool.query<{ rescheduled_to: string }>(
      'SELECT rescheduled_to FROM bookings WHERE id = $1',
      [booking.id],
    );
    expect(rows[0]!.rescheduled_to).toBe(body.booking.id);
    // Both sides are audited.
    const audit = await t.db.pool.query<{ entity_id: string; action: string }>(
      "SELECT entity_id, action FROM audit_log WHERE action LIKE 'booking.rescheduled%' AND entity_id = ANY($1)",
      [[booking.id, body.booking.id]],
    );
    expect(audit.rows.map((r) => `${r.entity_id}:${r.action}`).sort()).toEqual(
      [`${booking.id}:booking.rescheduled`, `${body.booking.id}:booking.rescheduled_from`].sort(),
    );
    // The old time is free again: someone else can book it.
    await hold(sme2, '2026-11-30T02:00:00Z', '2026-11-30T04:00:00Z');
  });

  it('the new time may overlap the old one on the same unit; a held booking stays held, its hold running on', async () => {
    const booking = await hold(sme, '2026-11-30T05:00:00Z', '2026-11-30T07:00:00Z');
    clock.advance(5 * 60_000);
    try {
      const res = await reschedule(sme, booking.id, '2026-11-30T06:00:00Z', '2026-11-30T08:00:00Z');
      expect(res.statusCode, res.body).toBe(201);
      const moved = res.json<{ booking: View }>().booking;
      expect(moved).toMatchObject({ status: 'held', unitId: booking.unitId, start: '2026-11-30T06:00:00.000Z' });
      // A move is not a new hold: its time keeps running (or holds could be kept forever by moving them).
      expect(moved.holdExpiresAt).toBe(booking.holdExpiresAt);
    } finally {
      clock.advance(-5 * 60_000);
    }
  });

  it('a taken new time is 409 slot_unavailable and leaves the old booking exactly as it was', async () => {
    await hold(sme2, '2026-12-02T02:00:00Z', '2026-12-02T04:00:00Z');
    const mine = await hold(sme, '2026-12-02T05:00:00Z', '2026-12-02T06:00:00Z');
    await act(sme, mine.id, 'confirm');
    const before = await get(mine.id);
    const count = async () =>
      (await t.db.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM bookings')).rows[0]!.n;
    const n = await count();

    expectProblem(
      await reschedule(sme, mine.id, '2026-12-02T03:00:00Z', '2026-12-02T05:00:00Z'),
      409,
      'slot_unavailable',
    );
    expect(await get(mine.id)).toEqual(before);
    expect(await count()).toBe(n);
    // A broken rule is its 422 code, and nothing changes either.
    expectProblem(await reschedule(sme, mine.id, '2026-12-02T05:10:00Z', '2026-12-02T06:10:00Z'), 422, 'grid');
    expectProblem(await reschedule(sme, mine.id, '2026-11-26T06:00:00Z', '2026-11-26T07:00:00Z'), 422, 'lead_time');
    expect(await get(mine.id)).toEqual(before);
    expect(await count()).toBe(n);
  });

  it('another organisation gets 404, the lab 403; ended or cancelled bookings cannot move', async () => {
    const booking = await hold(sme, '2026-12-03T02:00:00Z', '2026-12-03T03:00:00Z');
    expectProblem(await reschedule(sme2, booking.id, '2026-12-03T04:00:00Z', '2026-12-03T05:00:00Z'), 404, 'not_found');
    expectProblem(await reschedule(lab, booking.id, '2026-12-03T04:00:00Z', '2026-12-03T05:00:00Z'), 403, 'forbidden');
    expect((await act(sme, booking.id, 'cancel')).statusCode).toBe(200);
    expectProblem(
      await reschedule(sme, booking.id, '2026-12-03T04:00:00Z', '2026-12-03T05:00:00Z'),
      409,
      'illegal_transition',
    );
  });

  it('inside the cancellation cut-off a reschedule is still allowed and free; without approval it stays confirmed', async () => {
    await t.db.pool.query(
      `INSERT INTO booking_policies (instrument_id, requires_approval) VALUES ($1, false)
       ON CONFLICT (instrument_id) DO UPDATE SET requires_approval = false`,
      [instrumentId],
    );
    try {
      const booking = await hold(sme, '2026-11-27T06:00:00Z', '2026-11-27T07:00:00Z');
      expect((await act(sme, booking.id, 'confirm')).json<View>().status).toBe('confirmed');
      clock.advance(6 * 3600_000); // 22 h before the start: inside the 24 h cut-off
      const res = await reschedule(sme, booking.id, '2026-12-04T06:00:00Z', '2026-12-04T07:00:00Z');
      expect(res.statusCode, res.body).toBe(201);
      const body = res.json<{ booking: View; previous: View }>();
      expect(body.booking.status).toBe('confirmed');
      expect(body.previous.cancellationFee?.amount).toBe(0);
    } finally {
      clock.advance(-6 * 3600_000);
      await t.db.pool.query('DELETE FROM booking_policies WHERE instrument_id = $1', [instrumentId]);
    }
  });
});
