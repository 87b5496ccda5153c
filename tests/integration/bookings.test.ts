import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProblemCode } from '@qihub/api';
import { bearer, buildTestApp, expectProblem, login, testClock, type TestClock } from '../support/app.ts';
import { startInlineRunner } from '@qihub/api/jobs';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';
import { aLab, rentableInstruments, setUnitCount, USERS } from '../factories/index.ts';
import type { FastifyInstance } from 'fastify';

/** Holding slots: rules, the race for one slot over real HTTP, idempotency, cancellation, access. */
let db: TestDatabase;
let app: FastifyInstance;
let baseUrl: string;
let clock: TestClock;
let sme: string;
let sme2: string;
let single: { id: string };
let twin: { id: string };

// 2026-11-26 10:00 in Shanghai; slots below are on following days, so the 24 h lead time holds.
const NOW = new Date('2026-11-26T02:00:00Z');
const at = (iso: string) => new Date(iso).toISOString();

beforeAll(async () => {
  db = await createTestDatabase();
  clock = testClock(NOW);
  app = await buildTestApp(db, { clock });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  baseUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  sme = await login(app, USERS.sme);
  sme2 = await login(app, USERS.sme2);
  // The races below hold many slots per person; the hold limits have their own tests (holds.test.ts).
  const labId = (await aLab({ app, db }).allowingManyHolds().create()).id;
  const rentable = await rentableInstruments(db, labId, { bothRates: false, orderBy: 'name_zh' });
  // The n-th instrument by name, given n units.
  const pick = async (units: number) => {
    const id = rentable[units - 1]!;
    await setUnitCount(db, id, units);
    return { id };
  };
  single = await pick(1);
  twin = await pick(2);
});
afterAll(async () => {
  await app.close();
  await db.drop();
});

function book(token: string, body: Record<string, unknown>, headers: Record<string, string> = {}) {
  return fetch(`${baseUrl}/v1/bookings`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, ...headers },
    body: JSON.stringify(body),
  });
}

describe('the race for one slot, over real HTTP', () => {
  it('exactly one of many concurrent clients wins a one-unit slot; the rest get 409, none a 5xx', async () => {
    const slot = { instrumentId: single.id, start: '2026-11-30T01:00:00Z', end: '2026-11-30T03:00:00Z', mode: 'self' };
    const results = await Promise.all(Array.from({ length: 24 }, (_, i) => book(i % 2 ? sme : sme2, slot)));
    const statuses = results.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(23);
    const losers = await Promise.all(
      results.filter((r) => r.status === 409).map((r) => r.json() as Promise<{ code: string }>),
    );
    expect(new Set(losers.map((l) => l.code))).toEqual(new Set(['slot_unavailable']));
  });

  it('two units take two winners, and partly overlapping requests still never overlap on a unit', async () => {
    const requests = Array.from({ length: 30 }, (_, i) => {
      const startHour = 1 + (i % 3); // 01:00, 02:00, 03:00 UTC, two hours each: overlapping pairs
      return book(i % 2 ? sme : sme2, {
        instrumentId: twin.id,
        start: `2026-12-01T0${startHour}:00:00Z`,
        end: `2026-12-01T0${startHour + 2}:00:00Z`,
        mode: 'self',
      });
    });
    const statuses = (await Promise.all(requests)).map((r) => r.status);
    expect(statuses.every((s) => s === 201 || s === 409)).toBe(true);
    expect(statuses.filter((s) => s === 201).length).toBeGreaterThanOrEqual(2);
    // The SQL audit: no two active bookings on one unit overlap.
    const { rows } = await db.pool.query<{ n: number }>(`
      SELECT count(*)::int AS n FROM bookings a JOIN bookings b
        ON a.unit_id = b.unit_id AND a.id < b.id AND a.occupied && b.occupied
      WHERE a.status IN ('held','pending_approval','confirmed','in_use') AND b.status IN ('held','pending_approval','confirmed','in_use')`);
    expect(rows[0]!.n).toBe(0);
  });
});

describe('rules', () => {
  const base = () => ({
    instrumentId: single.id,
    start: '2026-12-02T02:00:00Z',
    end: '2026-12-02T03:00:00Z',
    mode: 'self',
  });
  it.each<[ProblemCode, Record<string, string>]>([
    ['grid', { start: '2026-12-02T02:10:00Z', end: '2026-12-02T03:10:00Z' }],
    ['duration', { end: '2026-12-02T02:15:00Z' }],
    ['duration', { end: '2026-12-02T12:30:00Z' }],
    ['lead_time', { start: '2026-11-26T08:00:00Z', end: '2026-11-26T09:00:00Z' }],
    ['horizon', { start: '2027-06-01T02:00:00Z', end: '2027-06-01T03:00:00Z' }],
    ['in_the_past', { start: '2026-11-20T02:00:00Z', end: '2026-11-20T03:00:00Z' }],
  ])('refuses with 422 %s and writes nothing', async (code, change) => {
    const before = await db.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM bookings');
    const res = await app.inject({
      method: 'POST',
      url: '/v1/bookings',
      headers: bearer(sme),
      payload: { ...base(), ...change },
    });
    expectProblem(res, 422, code);
    const after = await db.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM bookings');
    expect(after.rows[0]!.n).toBe(before.rows[0]!.n);
  });

  it('prices the hold from the external rate and snapshots the policy', async () => {
    const res = await app.inject({ method: 'POST', url: '/v1/bookings', headers: bearer(sme), payload: base() });
    expect(res.statusCode, res.body).toBe(201);
    const body = res.json<{
      id: string;
      status: string;
      price: { amount: number };
      holdExpiresAt: string;
      rateTier: string;
    }>();
    const { rows } = await db.pool.query<{ external_rate_hour: number }>(
      'SELECT external_rate_hour FROM instruments WHERE id = $1',
      [single.id],
    );
    expect(body).toMatchObject({
      status: 'held',
      rateTier: 'external',
      price: { amount: rows[0]!.external_rate_hour },
    });
    expect(at(body.holdExpiresAt)).toBe(at('2026-11-26T02:15:00Z'));
    // A later price change does not rewrite the booking.
    await db.pool.query('UPDATE instruments SET external_rate_hour = external_rate_hour * 2 WHERE id = $1', [
      single.id,
    ]);
    const again = await app.inject({ method: 'GET', url: `/v1/bookings/${body.id}`, headers: bearer(sme) });
    expect(again.json<{ price: { amount: number } }>().price.amount).toBe(rows[0]!.external_rate_hour);
    await db.pool.query('UPDATE instruments SET external_rate_hour = $2 WHERE id = $1', [
      single.id,
      rows[0]!.external_rate_hour,
    ]);
  });
});

describe('idempotency, cancellation and access', () => {
  it('a repeated Idempotency-Key returns the first answer; another body with it is 422', async () => {
    const body = { instrumentId: single.id, start: '2026-12-03T02:00:00Z', end: '2026-12-03T03:00:00Z', mode: 'self' };
    const headers = { 'idempotency-key': 'booking-key-0001' };
    const [a, b] = await Promise.all([book(sme, body, headers), book(sme, body, headers)]);
    expect([a.status, b.status]).toEqual([201, 201]);
    const [ja, jb] = (await Promise.all([a.json(), b.json()])) as { id: string }[];
    expect(ja!.id).toBe(jb!.id);
    const other = await book(sme, { ...body, start: '2026-12-03T04:00:00Z', end: '2026-12-03T05:00:00Z' }, headers);
    expect(other.status).toBe(422);
    expect(((await other.json()) as { code: string }).code).toBe('idempotency_mismatch');
  });

  it('another organisation cannot see or cancel a booking; its owner cancels it free outside the cut-off', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/v1/bookings',
      headers: bearer(sme),
      payload: { instrumentId: single.id, start: '2026-11-27T06:00:00Z', end: '2026-11-27T07:00:00Z', mode: 'self' },
    });
    expect(res.statusCode, res.body).toBe(201);
    const booking = res.json<{ id: string; price: { amount: number } }>();
    expectProblem(
      await app.inject({ method: 'GET', url: `/v1/bookings/${booking.id}`, headers: bearer(sme2) }),
      404,
      'not_found',
    );
    expectProblem(
      await app.inject({ method: 'POST', url: `/v1/bookings/${booking.id}/cancel`, headers: bearer(sme2) }),
      404,
      'not_found',
    );
    const list2 = await app.inject({ method: 'GET', url: '/v1/bookings?limit=100', headers: bearer(sme2) });
    expect(list2.json<{ items: { id: string }[] }>().items.map((b) => b.id)).not.toContain(booking.id);
    // The lab sees it.
    const lab = await login(app, USERS.lab);
    expect(
      (await app.inject({ method: 'GET', url: `/v1/bookings/${booking.id}`, headers: bearer(lab) })).statusCode,
    ).toBe(200);

    const cancelled = await app.inject({
      method: 'POST',
      url: `/v1/bookings/${booking.id}/cancel`,
      headers: bearer(sme),
    });
    expect(cancelled.statusCode, cancelled.body).toBe(200);
    // The slot starts 28 h after now: outside the 24 h cut-off, so no fee.
    expect(cancelled.json<{ status: string; cancellationFee: { amount: number } }>()).toMatchObject({
      status: 'cancelled',
      cancellationFee: { amount: 0 },
    });
    expectProblem(
      await app.inject({ method: 'POST', url: `/v1/bookings/${booking.id}/cancel`, headers: bearer(sme) }),
      409,
      'illegal_transition',
    );
    // The freed slot can be held again.
    const again = await app.inject({
      method: 'POST',
      url: '/v1/bookings',
      headers: bearer(sme2),
      payload: { instrumentId: single.id, start: '2026-11-27T06:00:00Z', end: '2026-11-27T07:00:00Z', mode: 'self' },
    });
    expect(again.statusCode).toBe(201);
  });

  it('charges the policy fee for a cancellation inside the cut-off', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/v1/bookings',
      headers: bearer(sme2),
      payload: { instrumentId: single.id, start: '2026-11-27T03:00:00Z', end: '2026-11-27T05:00:00Z', mode: 'self' },
    });
    const booking = res.json<{ id: string; price: { amount: number } }>();
    // Committed: a mere hold cancels free (holds.test.ts).
    const confirmed = await app.inject({
      method: 'POST',
      url: `/v1/bookings/${booking.id}/confirm`,
      headers: bearer(sme2),
    });
    expect(confirmed.statusCode, confirmed.body).toBe(200);
    clock.advance(12 * 3600_000); // now 13 h before the start
    try {
      const cancelled = await app.inject({
        method: 'POST',
        url: `/v1/bookings/${booking.id}/cancel`,
        headers: bearer(sme2),
      });
      expect(cancelled.json<{ cancellationFee: { amount: number } }>().cancellationFee.amount).toBe(
        Math.round(booking.price.amount / 2),
      );
    } finally {
      clock.advance(-12 * 3600_000);
    }
  });

  it('strangers and API tokens cannot book', async () => {
    expectProblem(
      await app.inject({
        method: 'POST',
        url: '/v1/bookings',
        payload: { instrumentId: single.id, start: '2026-12-04T02:00:00Z', end: '2026-12-04T03:00:00Z', mode: 'self' },
      }),
      401,
      'unauthenticated',
    );
  });
});

describe('hold expiry', () => {
  it('the sweep expires overdue holds only, frees their slot, and is harmless to repeat', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/v1/bookings',
      headers: bearer(sme),
      payload: { instrumentId: single.id, start: '2026-12-07T02:00:00Z', end: '2026-12-07T03:00:00Z', mode: 'self' },
    });
    const overdue = res.json<{ id: string }>().id;
    const fresh = await app.inject({
      method: 'POST',
      url: '/v1/bookings',
      headers: bearer(sme),
      payload: { instrumentId: single.id, start: '2026-12-08T02:00:00Z', end: '2026-12-08T03:00:00Z', mode: 'self' },
    });
    const live = fresh.json<{ id: string }>().id;
    // The sweep runs on the test clock (never the real one, nor the database's now()): put one
    // hold a minute before its now and one ten minutes after.
    const expiresAt = (minutes: number) => new Date(clock.now.getTime() + minutes * 60_000);
    await db.pool.query('UPDATE bookings SET hold_expires_at = $2 WHERE id = $1', [overdue, expiresAt(-1)]);
    await db.pool.query('UPDATE bookings SET hold_expires_at = $2 WHERE id = $1', [live, expiresAt(10)]);
    const inline = startInlineRunner(db.db, { intervalMs: 60_000, clock: () => clock.now });
    try {
      await inline.tick();
      await inline.tick();
    } finally {
      await inline.stop();
    }
    const { rows } = await db.pool.query<{ id: string; status: string }>(
      'SELECT id, status FROM bookings WHERE id = ANY($1::uuid[])',
      [[overdue, live]],
    );
    expect(Object.fromEntries(rows.map((r) => [r.id, r.status]))).toEqual({ [overdue]: 'expired', [live]: 'held' });
    const { rows: audit } = await db.pool.query(
      "SELECT 1 FROM audit_log WHERE entity_id = $1 AND action = 'booking.expired'",
      [overdue],
    );
    expect(audit).toHaveLength(1);
    const retake = await app.inject({
      method: 'POST',
      url: '/v1/bookings',
      headers: bearer(sme2),
      payload: { instrumentId: single.id, start: '2026-12-07T02:00:00Z', end: '2026-12-07T03:00:00Z', mode: 'self' },
    });
    expect(retake.statusCode).toBe(201);
  });
});
