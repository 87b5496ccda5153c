import { beforeAll, describe, expect, it } from 'vitest';
import { bearer, expectProblem, testClock, useSeededApp } from '../support/app.ts';
import {
  atTime,
  bookingDesk,
  orgOf,
  rentableInstruments,
  signIn,
  useDefaultBookingPolicies,
  userIdsOf,
  USERS,
} from '../factories/index.ts';

/**
 * Holds: a held slot is no commitment (cancelling it is free), only the customer turns it into one
 * (the lab approves or rejects), a customer may hold only a few slots at once (per instrument and
 * per lab, the lab's policy), and a hold whose time ran out never blocks anyone, swept or not.
 *
 * Thursday 2026-11-26 10:00 in Shanghai; the demo lab opens Mon–Fri 08:30–17:30 (00:30–09:30 UTC).
 * Default policy: lead time 24 h, holds of 15 minutes, cut-off 24 h, fee 50 %, approval required.
 */
const clock = testClock(new Date('2026-11-26T02:00:00Z'));
const t = useSeededApp({ clock });

let labId: string;
let pool: string[];
let otherLabInstrument: string;
let tok: Record<'sme' | 'sme2' | 'lab' | 'operator', string>;
let uid: Record<'sme' | 'sme2', string>;

interface View {
  id: string;
  status: string;
  unitId: string;
  holdExpiresAt: string | null;
  cancellationFee: { amount: number } | null;
}

beforeAll(async () => {
  labId = await orgOf(t.db, USERS.lab);
  pool = await rentableInstruments(t.db, labId);
  expect(pool.length).toBeGreaterThanOrEqual(8);
  // Policies as the defaults, whatever the seed set.
  await useDefaultBookingPolicies(t.db, pool);
  [otherLabInstrument] = (await rentableInstruments(t.db, await orgOf(t.db, USERS.lab2), { bothRates: false })) as [
    string,
  ];
  await useDefaultBookingPolicies(t.db, [otherLabInstrument]);
  tok = await signIn(t.app, ['sme', 'sme2', 'lab', 'operator']);
  uid = await userIdsOf(t.db, ['sme', 'sme2']);
});

const { book, booked: held, act, view: get } = bookingDesk<View>(t, () => tok.lab);

async function strikesOf(userId: string) {
  const { rows } = await t.db.pool.query<{ n: number }>(
    'SELECT count(*)::int AS n FROM booking_violations WHERE user_id = $1',
    [userId],
  );
  return rows[0]!.n;
}

/** Live holds of a user at the demo lab, straight from the database. */
async function liveHolds(userId: string) {
  const { rows } = await t.db.pool.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM bookings
     WHERE user_id = $1 AND lab_id = $2 AND status = 'held' AND hold_expires_at > $3`,
    [userId, labId, clock.now.toISOString()],
  );
  return rows[0]!.n;
}

const bookingCount = async () =>
  (await t.db.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM bookings')).rows[0]!.n;

/** Moves the clock past every hold made so far (15-minute holds), so a test starts with none live. */
const letHoldsLapse = () => clock.advance(16 * 60_000);

const at = <T>(iso: string, fn: () => Promise<T>) => atTime(clock, iso, fn);

/** The n-th free hour on Monday 7 December 2026 (08:30 + n hours, Shanghai), n = 0…8. */
const hourOn7Dec = (n: number) => {
  const start = new Date(Date.parse('2026-12-07T00:30:00Z') + n * 3600_000);
  return [start.toISOString(), new Date(start.getTime() + 3600_000).toISOString()] as const;
};

describe('cancelling a hold', () => {
  it('is free and strike-free even inside the cut-off; a confirmed booking cancelled there still pays', async () => {
    letHoldsLapse();
    const instrument = pool[0]!;
    // Friday 27 November 10:00: inside the 24 h cut-off once the clock reaches the evening before.
    const hold = await held(tok.sme, instrument, '2026-11-27T02:30:00Z', '2026-11-27T03:30:00Z');
    const committed = await held(tok.sme, instrument, '2026-11-27T04:00:00Z', '2026-11-27T05:00:00Z');
    expect((await act(tok.sme, committed.id, 'confirm')).json<View>().status).toBe('pending_approval');
    const strikes = await strikesOf(uid.sme);
    await at('2026-11-26T14:00:00Z', async () => {
      // The hold lapses at 02:30 + 15 min; keep it live by extending it in the database.
      await t.db.pool.query(`UPDATE bookings SET hold_expires_at = '2026-11-26T14:10:00Z' WHERE id = $1`, [hold.id]);
      const cancelled = await act(tok.sme, hold.id, 'cancel');
      expect(cancelled.statusCode, cancelled.body).toBe(200);
      expect(cancelled.json<View>().cancellationFee!.amount).toBe(0);
      expect(await strikesOf(uid.sme)).toBe(strikes);
      const paid = await act(tok.sme, committed.id, 'cancel');
      expect(paid.json<View>().cancellationFee!.amount).toBeGreaterThan(0);
      expect(await strikesOf(uid.sme)).toBe(strikes + 1);
    });
  });

  it('cancelling the held occurrences of a series inside the cut-off is free too', async () => {
    letHoldsLapse();
    const res = await t.app.inject({
      method: 'POST',
      url: '/v1/booking-series',
      headers: bearer(tok.sme2),
      payload: {
        instrumentId: pool[1]!,
        localStart: '2026-11-27T11:00',
        durationMinutes: 60,
        rule: 'FREQ=DAILY;COUNT=1',
        mode: 'self',
      },
    });
    expect(res.statusCode, res.body).toBe(201);
    const series = res.json<{ series: { id: string }; bookings: View[] }>();
    await t.db.pool.query(`UPDATE bookings SET hold_expires_at = '2026-11-26T14:10:00Z' WHERE series_id = $1`, [
      series.series.id,
    ]);
    const strikes = await strikesOf(uid.sme2);
    await at('2026-11-26T14:00:00Z', async () => {
      const cancelled = await t.app.inject({
        method: 'POST',
        url: `/v1/booking-series/${series.series.id}/cancel`,
        headers: bearer(tok.sme2),
      });
      expect(cancelled.statusCode, cancelled.body).toBe(200);
      expect(cancelled.json<{ bookings: View[] }>().bookings.map((b) => b.cancellationFee?.amount)).toEqual([0]);
    });
    expect(await strikesOf(uid.sme2)).toBe(strikes);
  });
});

describe('who confirms a hold', () => {
  it("only the customer: the lab's confirm is 403 forbidden and changes nothing; the customer's goes through", async () => {
    letHoldsLapse();
    const hold = await held(tok.sme, pool[2]!, '2026-12-01T02:00:00Z', '2026-12-01T03:00:00Z');
    const before = await get(hold.id);
    const audits = async () =>
      (
        await t.db.pool.query<{ n: number }>(
          "SELECT count(*)::int AS n FROM audit_log WHERE entity_id = $1 AND action = 'booking.confirm'",
          [hold.id],
        )
      ).rows[0]!.n;
    expectProblem(await act(tok.lab, hold.id, 'confirm'), 403, 'forbidden');
    expectProblem(await act(tok.operator, hold.id, 'confirm'), 403, 'forbidden');
    expect(await get(hold.id)).toEqual(before);
    expect(await audits()).toBe(0);
    const confirmed = await act(tok.sme, hold.id, 'confirm');
    expect(confirmed.json<View>().status).toBe('pending_approval');
    expect((await act(tok.lab, hold.id, 'approve')).json<View>().status).toBe('confirmed');
  });

  it("a lab member's own internal hold is confirmed by that member", async () => {
    const hold = await held(tok.lab, pool[2]!, '2026-12-01T04:00:00Z', '2026-12-01T05:00:00Z');
    expect((await act(tok.lab, hold.id, 'confirm')).statusCode).toBe(200);
  });

  it('a series: the lab cannot confirm it, the customer can', async () => {
    letHoldsLapse();
    const res = await t.app.inject({
      method: 'POST',
      url: '/v1/booking-series',
      headers: bearer(tok.sme),
      payload: {
        instrumentId: pool[2]!,
        localStart: '2026-12-02T10:00',
        durationMinutes: 60,
        rule: 'FREQ=WEEKLY;COUNT=2',
        mode: 'self',
      },
    });
    expect(res.statusCode, res.body).toBe(201);
    const id = res.json<{ series: { id: string } }>().series.id;
    const confirm = (token: string) =>
      t.app.inject({ method: 'POST', url: `/v1/booking-series/${id}/confirm`, headers: bearer(token) });
    expectProblem(await confirm(tok.lab), 403, 'forbidden');
    const { rows } = await t.db.pool.query<{ status: string }>('SELECT status FROM bookings WHERE series_id = $1', [
      id,
    ]);
    expect(rows.map((r) => r.status)).toEqual(['held', 'held']);
    const ok = await confirm(tok.sme);
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json<{ bookings: View[] }>().bookings.map((b) => b.status)).toEqual([
      'pending_approval',
      'pending_approval',
    ]);
  });
});

describe('hold limits', () => {
  it('by default 2 live holds per instrument and 5 at a lab per person; the next is 422 hold_limit_reached and writes nothing', async () => {
    letHoldsLapse();
    const [a, b, c, d] = [pool[3]!, pool[4]!, pool[5]!, pool[6]!];
    const first = await held(tok.sme, a, ...hourOn7Dec(0));
    await held(tok.sme, a, ...hourOn7Dec(1));
    const n = await bookingCount();
    expectProblem(await book(tok.sme, a, ...hourOn7Dec(2)), 422, 'hold_limit_reached');
    // The same through the transactional path (with an Idempotency-Key).
    expectProblem(
      await book(tok.sme, a, ...hourOn7Dec(2), { headers: { 'idempotency-key': 'limit-test-0001' } }),
      422,
      'hold_limit_reached',
    );
    expect(await bookingCount()).toBe(n);
    // Per person: a colleague holds on.
    await held(tok.sme2, a, ...hourOn7Dec(2));
    // Confirming a hold makes room: a commitment is not a hold.
    expect((await act(tok.sme, first.id, 'confirm')).statusCode).toBe(200);
    await held(tok.sme, a, ...hourOn7Dec(3));
    // A series counts as one hold, however many occurrences it has.
    const series = await t.app.inject({
      method: 'POST',
      url: '/v1/booking-series',
      headers: bearer(tok.sme),
      payload: {
        instrumentId: b,
        localStart: '2026-12-08T09:00',
        durationMinutes: 60,
        rule: 'FREQ=DAILY;COUNT=3',
        mode: 'self',
      },
    });
    expect(series.statusCode, series.body).toBe(201);
    await held(tok.sme, b, ...hourOn7Dec(4));
    // Five live holds at the lab (two on a, series + one on b, one on c): the sixth is refused on any instrument.
    await held(tok.sme, c, ...hourOn7Dec(5));
    expect(await liveHolds(uid.sme)).toBe(7); // the series' three occurrences count once
    const refused = expectProblem(await book(tok.sme, d, ...hourOn7Dec(6)), 422, 'hold_limit_reached');
    expect(refused).toBeDefined();
    const seriesRefused = await t.app.inject({
      method: 'POST',
      url: '/v1/booking-series',
      headers: bearer(tok.sme),
      payload: {
        instrumentId: d,
        localStart: '2026-12-09T09:00',
        durationMinutes: 60,
        rule: 'FREQ=DAILY;COUNT=2',
        mode: 'self',
      },
    });
    expectProblem(seriesRefused, 422, 'hold_limit_reached');
    // Another lab's limits are its own.
    await held(tok.sme, otherLabInstrument, '2026-12-07T02:00:00Z', '2026-12-07T03:00:00Z');
    // Lapsed holds do not count.
    letHoldsLapse();
    await held(tok.sme, d, ...hourOn7Dec(6));
  });

  it('the lab sets its own limits in its booking settings; values that make no sense are 422 and change nothing', async () => {
    letHoldsLapse();
    const url = `/v1/labs/${labId}/booking-settings`;
    const read = await t.app.inject({ method: 'GET', url, headers: bearer(tok.lab) });
    expect(read.json()).toMatchObject({ maxHoldsPerInstrument: 2, maxHoldsPerLab: 5 });
    const put = (body: Record<string, number>) =>
      t.app.inject({
        method: 'PUT',
        url,
        headers: bearer(tok.lab),
        payload: { violationThreshold: 3, violationWindowDays: 365, ...body },
      });
    expectProblem(await put({ maxHoldsPerInstrument: 0, maxHoldsPerLab: 5 }), 422, 'invalid_settings');
    expectProblem(await put({ maxHoldsPerInstrument: 4, maxHoldsPerLab: 3 }), 422, 'invalid_settings');
    expect((await t.app.inject({ method: 'GET', url, headers: bearer(tok.lab) })).json()).toMatchObject({
      maxHoldsPerInstrument: 2,
      maxHoldsPerLab: 5,
    });
    const saved = await put({ maxHoldsPerInstrument: 3, maxHoldsPerLab: 3 });
    expect(saved.statusCode, saved.body).toBe(200);
    expect(saved.json()).toMatchObject({ maxHoldsPerInstrument: 3, maxHoldsPerLab: 3 });
    try {
      const e = pool[7]!;
      for (const n of [0, 1, 2]) await held(tok.sme2, e, ...hourOn7Dec(n));
      expectProblem(await book(tok.sme2, e, ...hourOn7Dec(3)), 422, 'hold_limit_reached');
      expectProblem(await book(tok.sme2, pool[3]!, ...hourOn7Dec(7)), 422, 'hold_limit_reached');
      // Another customer's booking settings update is not theirs to make.
      expectProblem(
        await t.app.inject({
          method: 'PUT',
          url,
          headers: bearer(tok.sme2),
          payload: { violationThreshold: 3, violationWindowDays: 365, maxHoldsPerInstrument: 9, maxHoldsPerLab: 9 },
        }),
        404,
        'not_found',
      );
    } finally {
      expect((await put({ maxHoldsPerInstrument: 2, maxHoldsPerLab: 5 })).statusCode).toBe(200);
    }
  });

  it('simultaneous holds cannot slip under the limit together: exactly the limit wins, the rest are 422', async () => {
    letHoldsLapse();
    const instrument = pool[8] ?? pool[0]!;
    // Nine requests at once for nine free hours on one instrument, half of them with an Idempotency-Key.
    const results = await Promise.all(
      Array.from({ length: 9 }, (_, i) =>
        book(tok.sme, instrument, ...hourOn7Dec(i), {
          headers: i % 2 ? { 'idempotency-key': `limit-race-${i}-x` } : {},
        }),
      ),
    );
    const statuses = results.map((r) => r.statusCode).sort();
    expect(statuses, results.map((r) => r.body).join('\n')).toEqual([201, 201, 422, 422, 422, 422, 422, 422, 422]);
    for (const r of results.filter((x) => x.statusCode === 422)) expectProblem(r, 422, 'hold_limit_reached');
    expect(await liveHolds(uid.sme)).toBe(2);

    // Across the lab: ten at once on five instruments (two each) → exactly five.
    letHoldsLapse();
    const five = [pool[0]!, pool[1]!, pool[2]!, pool[3]!, pool[4]!];
    const spread = await Promise.all(
      Array.from({ length: 10 }, (_, i) => book(tok.sme2, five[i % 5]!, ...hourOn7Dec(8 - Math.floor(i / 5)))),
    );
    expect(spread.filter((r) => r.statusCode === 201)).toHaveLength(5);
    expect(
      spread.filter((r) => r.statusCode !== 201).every((r) => r.json<{ code: string }>().code === 'hold_limit_reached'),
    ).toBe(true);
    expect(await liveHolds(uid.sme2)).toBe(5);
  });
});

describe('a lapsed hold', () => {
  async function freeStarts(instrumentId: string) {
    const res = await t.app.inject({
      method: 'GET',
      url: `/v1/instruments/${instrumentId}/availability?from=2026-12-10T00:00:00Z&to=2026-12-10T10:00:00Z&durationMinutes=60`,
    });
    expect(res.statusCode, res.body).toBe(200);
    return res.json<{ slots: { start: string }[] }>().slots.map((s) => s.start);
  }

  async function oneUnit(instrumentId: string) {
    await t.db.pool.query('UPDATE instruments SET unit_count = 1 WHERE id = $1', [instrumentId]);
    await t.db.pool.query('UPDATE instrument_units SET active = position = 1 WHERE instrument_id = $1', [instrumentId]);
  }

  async function statusOf(id: string) {
    return (await t.db.pool.query<{ status: string }>('SELECT status FROM bookings WHERE id = $1', [id])).rows[0]!
      .status;
  }

  it('is offered as free by availability, and a booking that meets it expires it and wins, unswept', async () => {
    letHoldsLapse();
    const instrument = pool[5]!;
    await oneUnit(instrument);
    const slot = ['2026-12-10T02:00:00Z', '2026-12-10T03:00:00Z'] as const;
    const lapsing = await held(tok.sme, instrument, ...slot);
    expect(await freeStarts(instrument)).not.toContain('2026-12-10T02:00:00.000Z');
    clock.advance(16 * 60_000); // the hold lapses; no sweep runs
    expect(await freeStarts(instrument)).toContain('2026-12-10T02:00:00.000Z');

    const winner = await held(tok.sme2, instrument, ...slot);
    expect(await statusOf(lapsing.id)).toBe('expired');
    const { rows: audit } = await t.db.pool.query(
      "SELECT 1 FROM audit_log WHERE entity_id = $1 AND action = 'booking.expired'",
      [lapsing.id],
    );
    expect(audit).toHaveLength(1);
    // The constraint still holds: one active booking on the unit for that time.
    const { rows } = await t.db.pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM bookings WHERE unit_id = $1 AND status IN ('held', 'pending_approval', 'confirmed', 'in_use')
         AND occupied && tstzrange($2, $3)`,
      [winner.unitId, slot[0], slot[1]],
    );
    expect(rows[0]!.n).toBe(1);
    expectProblem(await act(tok.sme, lapsing.id, 'confirm'), 409, 'illegal_transition');
  });

  it('the transactional paths (Idempotency-Key, series) expire a lapsed hold they meet too', async () => {
    letHoldsLapse();
    const instrument = pool[6]!;
    await oneUnit(instrument);
    const a = await held(tok.sme, instrument, '2026-12-10T04:00:00Z', '2026-12-10T05:00:00Z');
    const b = await held(tok.sme, instrument, '2026-12-10T06:00:00Z', '2026-12-10T07:00:00Z');
    clock.advance(16 * 60_000);
    const keyed = await book(tok.sme2, instrument, '2026-12-10T04:00:00Z', '2026-12-10T05:00:00Z', {
      headers: { 'idempotency-key': 'lapsed-hold-0001' },
    });
    expect(keyed.statusCode, keyed.body).toBe(201);
    expect(await statusOf(a.id)).toBe('expired');
    const series = await t.app.inject({
      method: 'POST',
      url: '/v1/booking-series',
      headers: bearer(tok.sme2),
      payload: {
        instrumentId: instrument,
        localStart: '2026-12-10T14:00',
        durationMinutes: 60,
        rule: 'FREQ=DAILY;COUNT=1',
        mode: 'self',
      },
    });
    expect(series.statusCode, series.body).toBe(201);
    expect(await statusOf(b.id)).toBe('expired');
  });

  it("the expiry sweep's filter and the hold count are served by indexes, not a scan of all bookings", async () => {
    const client = await t.db.pool.connect();
    try {
      await client.query('BEGIN');
      // A table of realistic shape, rolled back after: 20,000 bookings, one in ten held, their holds
      // running out over a fortnight around now (one an hour on a unit, so none overlap).
      const { rows } = await client.query<{ unit_id: string; lab_id: string; org_id: string }>(
        `SELECT u.id AS unit_id, i.lab_id, (SELECT org_id FROM memberships WHERE user_id = $2 LIMIT 1) AS org_id
         FROM instruments i JOIN instrument_units u ON u.instrument_id = i.id WHERE i.id = $1 LIMIT 1`,
        [pool[7]!, uid.sme],
      );
      const { unit_id, lab_id, org_id } = rows[0]!;
      await client.query(
        `INSERT INTO bookings (instrument_id, unit_id, lab_id, customer_org_id, user_id, mode, status, starts_at,
           ends_at, occupied, hold_expires_at, rate_tier, price_amount, policy)
         SELECT $1, $2, $3, $4, $5, 'self', CASE WHEN g % 10 = 0 THEN 'held' ELSE 'completed' END::booking_status,
           s, s + interval '1 hour', tstzrange(s, s + interval '1 hour'),
           CASE WHEN g % 10 = 0 THEN $6::timestamptz + make_interval(mins => g - 10000) END,
           'external', 1000, '{}'::jsonb
         FROM generate_series(1, 20000) g, LATERAL (SELECT '2031-01-01T00:00:00Z'::timestamptz + make_interval(hours => g) AS s) x`,
        [pool[7]!, unit_id, lab_id, org_id, uid.sme, clock.now.toISOString()],
      );
      await client.query('ANALYZE bookings');
      const plan = async (query: string) =>
        (await client.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${query}`)).rows.map((r) => r['QUERY PLAN']).join('\n');
      const now = clock.now.toISOString();
      const sweep = await plan(`SELECT id FROM bookings WHERE status = 'held' AND hold_expires_at <= '${now}'`);
      expect(sweep).toMatch(/bookings_hold_expiry_idx/);
      expect(sweep).not.toMatch(/Seq Scan/);
      const count = await plan(
        `SELECT count(*) FROM bookings WHERE user_id = '${uid.sme}' AND lab_id = '${lab_id}' AND status = 'held'
           AND hold_expires_at > '${now}'`,
      );
      expect(count).toMatch(/bookings_(user_holds|hold_expiry)_idx/);
      expect(count).not.toMatch(/Seq Scan/);
    } finally {
      await client.query('ROLLBACK');
      client.release();
    }
  });
});
