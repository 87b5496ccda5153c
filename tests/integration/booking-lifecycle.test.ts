import { describe, expect, it } from 'vitest';
import { bearer, expectProblem, login, testClock, useSeededApp } from '../support/app.ts';
import { anInstrumentOf, orgOf, USERS } from '../support/scenario.ts';

/** A booking from hold to completion, with each refusal on the way. */
const clock = testClock(new Date('2026-11-26T02:00:00Z'));
const t = useSeededApp({ clock });

async function hold(token: string, instrumentId: string, start: string, end: string) {
  const res = await t.app.inject({
    method: 'POST',
    url: '/v1/bookings',
    headers: bearer(token),
    payload: { instrumentId, start, end, mode: 'self' },
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json<{ id: string; price: { amount: number } }>();
}

const act = (token: string, id: string, verb: string, payload?: object) =>
  t.app.inject({
    method: 'POST',
    url: `/v1/bookings/${id}/${verb}`,
    headers: bearer(token),
    ...(payload ? { payload } : {}),
  });

describe('booking lifecycle', () => {
  it('held → pending_approval → confirmed → in_use → completed, billing max(booked, actual)', async () => {
    const labId = await orgOf(t.db, USERS.lab);
    const instrument = await anInstrumentOf(t.db, labId);
    const [sme, lab, operator, other] = await Promise.all([
      login(t.app, USERS.sme),
      login(t.app, USERS.lab),
      login(t.app, USERS.operator),
      login(t.app, USERS.sme2),
    ]);
    const booking = await hold(sme, instrument.id, '2026-11-30T02:00:00Z', '2026-11-30T04:00:00Z');

    expectProblem(await act(lab, booking.id, 'approve'), 409, 'illegal_transition');
    expectProblem(await act(other, booking.id, 'confirm'), 404, 'not_found');
    const confirmed = await act(sme, booking.id, 'confirm');
    expect(confirmed.json<{ status: string }>().status).toBe('pending_approval');
    expectProblem(await act(sme, booking.id, 'approve'), 403, 'forbidden');
    expect((await act(lab, booking.id, 'approve')).json<{ status: string }>().status).toBe('confirmed');

    expectProblem(await act(operator, booking.id, 'check-in'), 409, 'outside_check_in_window');
    clock.advance(96 * 3600_000 - 10 * 60_000); // ten minutes before the start
    const inUse = await act(operator, booking.id, 'check-in');
    expect(inUse.json<{ status: string; actualStart: string }>()).toMatchObject({
      status: 'in_use',
      actualStart: '2026-11-30T01:50:00.000Z',
    });

    clock.advance(2 * 3600_000 + 45 * 60_000); // used 2 h 45 min: past the 10-minute grace
    const done = await act(operator, booking.id, 'check-out');
    const body = done.json<{ status: string; billableMinutes: number; billed: { amount: number } }>();
    expect(body.status).toBe('completed');
    expect(body.billableMinutes).toBe(180);
    expect(body.billed.amount).toBe(Math.floor((booking.price.amount / 2) * 3));
    expectProblem(await act(sme, booking.id, 'cancel'), 409, 'illegal_transition');
    clock.advance(-(96 * 3600_000 - 10 * 60_000) - (2 * 3600_000 + 45 * 60_000));

    const { rows } = await t.db.pool.query<{ action: string }>(
      "SELECT action FROM audit_log WHERE entity_id = $1 AND entity_type = 'booking' ORDER BY id",
      [booking.id],
    );
    expect(rows.map((r) => r.action)).toEqual([
      'booking.held',
      'booking.confirm',
      'booking.approve',
      'booking.check-in',
      'booking.check-out',
    ]);
  });

  it('the lab rejects with a reason, which frees the slot', async () => {
    const labId = await orgOf(t.db, USERS.lab);
    const instrument = await anInstrumentOf(t.db, labId);
    const [sme, lab] = await Promise.all([login(t.app, USERS.sme), login(t.app, USERS.lab)]);
    const booking = await hold(sme, instrument.id, '2026-12-01T02:00:00Z', '2026-12-01T03:00:00Z');
    await act(sme, booking.id, 'confirm');
    expectProblem(await act(lab, booking.id, 'reject', {}), 400, 'validation_failed');
    const rejected = await act(lab, booking.id, 'reject', { reason: '该时段仪器需校准' });
    expect(rejected.json<{ status: string; rejectionReason: string }>()).toMatchObject({
      status: 'rejected',
      rejectionReason: '该时段仪器需校准',
    });
    await hold(sme, instrument.id, '2026-12-01T02:00:00Z', '2026-12-01T03:00:00Z');
  });

  it('an expired hold cannot be confirmed', async () => {
    const labId = await orgOf(t.db, USERS.lab);
    const instrument = await anInstrumentOf(t.db, labId);
    const sme = await login(t.app, USERS.sme);
    const booking = await hold(sme, instrument.id, '2026-12-02T02:00:00Z', '2026-12-02T03:00:00Z');
    clock.advance(16 * 60_000);
    try {
      expectProblem(await act(sme, booking.id, 'confirm'), 409, 'hold_expired');
    } finally {
      clock.advance(-16 * 60_000);
    }
  });
});
