import { beforeAll, describe, expect, it } from 'vitest';
import { bearer, expectProblem, login, testClock, useSeededApp } from '../support/app.ts';
import { allowManyHolds, orgOf, USERS } from '../support/scenario.ts';

/** Recurring series: wall-clock expansion across DST, all-or-nothing vs skip, confirm and cancel. */
const clock = testClock(new Date('2026-11-26T02:00:00Z'));
const t = useSeededApp({ clock });

let sme: string;
let sme2: string;
let lab: string;
let shanghai: string; // a one-unit instrument of the demo lab (Asia/Shanghai)
let newYork: string; // a one-unit instrument at a site in America/New_York

interface View {
  id: string;
  status: string;
  start: string;
  end: string;
  cancellationFee: { amount: number } | null;
  seriesId: string | null;
}
interface Created {
  series: { id: string; rule: string; localStart: string; timeZone: string; durationMinutes: number };
  bookings: View[];
  conflicts: { start: string; end: string; code: string; message: string }[];
}

async function oneUnitInstrument(siteId: string, name: string) {
  const { rows } = await t.db.pool.query<{ id: string }>(
    `INSERT INTO instruments (lab_id, site_id, name_zh, name_en, category_code, unit_count, status,
        internal_rate_hour, external_rate_hour)
     SELECT s.lab_id, s.id, $2, $2, (SELECT code FROM instrument_categories LIMIT 1), 1, 'active', 10000, 20000
     FROM sites s WHERE s.id = $1 RETURNING id`,
    [siteId, name],
  );
  const id = rows[0]!.id;
  await t.db.pool.query(`INSERT INTO instrument_units (instrument_id, label, position) VALUES ($1, '#1', 1)`, [id]);
  // Far enough ahead to reach the March DST change.
  await t.db.pool.query(`INSERT INTO booking_policies (instrument_id, horizon_days) VALUES ($1, 200)`, [id]);
  return id;
}

beforeAll(async () => {
  const labId = await orgOf(t.db, USERS.lab);
  // Each test holds a series of its own and leaves it held; the hold limits have their own tests.
  await allowManyHolds(t.db, labId);
  const site = await t.db.pool.query<{ id: string }>('SELECT id FROM sites WHERE lab_id = $1 LIMIT 1', [labId]);
  shanghai = await oneUnitInstrument(site.rows[0]!.id, 'Series test (Suzhou)');
  const ny = await t.db.pool.query<{ id: string }>(
    `INSERT INTO sites (lab_id, name_zh, name_en, time_zone, region_code, address_zh)
     SELECT lab_id, '纽约实验室', 'New York lab', 'America/New_York', region_code, address_zh FROM sites WHERE id = $1
     RETURNING id`,
    [site.rows[0]!.id],
  );
  newYork = await oneUnitInstrument(ny.rows[0]!.id, 'Series test (New York)');
  [sme, sme2, lab] = await Promise.all([login(t.app, USERS.sme), login(t.app, USERS.sme2), login(t.app, USERS.lab)]);
});

const createSeries = (token: string, body: Record<string, unknown>) =>
  t.app.inject({ method: 'POST', url: '/v1/booking-series', headers: bearer(token), payload: body });

describe('recurring series', () => {
  it('09:00 stays 09:00 in New York across the March DST change (the UTC instant moves an hour)', async () => {
    const res = await createSeries(sme, {
      instrumentId: newYork,
      localStart: '2027-03-02T09:00',
      durationMinutes: 120,
      rule: 'FREQ=WEEKLY;BYDAY=TU;COUNT=4',
      mode: 'self',
    });
    expect(res.statusCode, res.body).toBe(201);
    const body = res.json<Created>();
    expect(body.series).toMatchObject({ timeZone: 'America/New_York', localStart: '2027-03-02T09:00' });
    expect(body.bookings.map((b) => [b.start, b.end, b.status])).toEqual([
      ['2027-03-02T14:00:00.000Z', '2027-03-02T16:00:00.000Z', 'held'],
      ['2027-03-09T14:00:00.000Z', '2027-03-09T16:00:00.000Z', 'held'],
      ['2027-03-16T13:00:00.000Z', '2027-03-16T15:00:00.000Z', 'held'],
      ['2027-03-23T13:00:00.000Z', '2027-03-23T15:00:00.000Z', 'held'],
    ]);
    expect(body.conflicts).toEqual([]);
    const { rows } = await t.db.pool.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM bookings WHERE series_id = $1',
      [body.series.id],
    );
    expect(rows[0]!.n).toBe(4);
  });

  it('all_or_nothing: one taken occurrence → 409 listing it, nothing written; skip: the rest are held', async () => {
    // sme2 already has the third Tuesday.
    const taken = await t.app.inject({
      method: 'POST',
      url: '/v1/bookings',
      headers: bearer(sme2),
      payload: { instrumentId: shanghai, start: '2026-12-15T01:00:00Z', end: '2026-12-15T03:00:00Z', mode: 'self' },
    });
    expect(taken.statusCode, taken.body).toBe(201);
    const body = {
      instrumentId: shanghai,
      localStart: '2026-12-01T09:00',
      durationMinutes: 120,
      rule: 'FREQ=WEEKLY;BYDAY=TU;COUNT=4',
      mode: 'self',
    };
    const count = async () =>
      (
        await t.db.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM bookings WHERE instrument_id = $1', [
          shanghai,
        ])
      ).rows[0]!.n;
    const seriesCount = async () =>
      (await t.db.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM booking_series')).rows[0]!.n;
    const [n, s] = [await count(), await seriesCount()];

    const refused = expectProblem(
      await createSeries(sme, { ...body, onConflict: 'all_or_nothing' }),
      409,
      'series_conflict',
    );
    expect(refused.errors).toEqual([
      {
        path: '/occurrences/2',
        code: 'slot_unavailable',
        message: expect.stringContaining('2026-12-15T01:00:00.000Z'),
      },
    ]);
    expect(await count()).toBe(n);
    expect(await seriesCount()).toBe(s);

    const res = await createSeries(sme, { ...body, onConflict: 'skip' });
    expect(res.statusCode, res.body).toBe(201);
    const created = res.json<Created>();
    expect(created.bookings.map((b) => b.start)).toEqual([
      '2026-12-01T01:00:00.000Z',
      '2026-12-08T01:00:00.000Z',
      '2026-12-22T01:00:00.000Z',
    ]);
    expect(created.conflicts).toEqual([
      {
        start: '2026-12-15T01:00:00.000Z',
        end: '2026-12-15T03:00:00.000Z',
        code: 'slot_unavailable',
        message: expect.any(String),
      },
    ]);
  });

  it('a rule broken by some occurrences is reported with its code (422 when nothing was taken)', async () => {
    const res = await createSeries(sme, {
      instrumentId: shanghai,
      localStart: '2026-12-02T12:00',
      durationMinutes: 60,
      rule: 'FREQ=DAILY;COUNT=4', // Wed, Thu, Fri, then Saturday: closed
      mode: 'self',
    });
    const problem = expectProblem(res, 422, 'series_conflict');
    expect(problem.errors?.map((e) => [e.path, e.code])).toEqual([['/occurrences/3', 'outside_opening_hours']]);
    expectProblem(
      await createSeries(sme, {
        ...{ instrumentId: shanghai, localStart: '2026-12-02T12:00', durationMinutes: 60, mode: 'self' },
        rule: 'FREQ=MONTHLY;COUNT=2',
      }),
      422,
      'invalid_rule',
    );
  });

  it('confirm holds them all; cancel this-and-following leaves the earlier ones; access is the customer and the lab', async () => {
    const res = await createSeries(sme, {
      instrumentId: shanghai,
      localStart: '2027-01-05T14:00',
      durationMinutes: 60,
      rule: 'FREQ=WEEKLY;BYDAY=TU,TH;COUNT=4',
      mode: 'self',
      onConflict: 'all_or_nothing',
    });
    expect(res.statusCode, res.body).toBe(201);
    const created = res.json<Created>();
    const id = created.series.id;
    expect(created.bookings).toHaveLength(4);
    // Each occurrence names its series, in every answer that shows a booking (我的预约 groups by it).
    expect(created.bookings.every((b) => b.seriesId === id)).toBe(true);
    const first = await t.app.inject({
      method: 'GET',
      url: `/v1/bookings/${created.bookings[0]!.id}`,
      headers: bearer(sme),
    });
    expect(first.json<View>().seriesId).toBe(id);

    expectProblem(
      await t.app.inject({ method: 'GET', url: `/v1/booking-series/${id}`, headers: bearer(sme2) }),
      404,
      'not_found',
    );
    expect(
      (await t.app.inject({ method: 'GET', url: `/v1/booking-series/${id}`, headers: bearer(lab) })).statusCode,
    ).toBe(200);
    expectProblem(
      await t.app.inject({ method: 'POST', url: `/v1/booking-series/${id}/confirm`, headers: bearer(sme2) }),
      404,
      'not_found',
    );

    const confirmed = await t.app.inject({
      method: 'POST',
      url: `/v1/booking-series/${id}/confirm`,
      headers: bearer(sme),
    });
    expect(confirmed.statusCode, confirmed.body).toBe(200);
    expect(confirmed.json<{ bookings: View[] }>().bookings.map((b) => b.status)).toEqual(
      Array(4).fill('pending_approval'),
    );

    const third = created.bookings[2]!;
    const cancelled = await t.app.inject({
      method: 'POST',
      url: `/v1/booking-series/${id}/cancel`,
      headers: bearer(sme),
      payload: { fromBookingId: third.id },
    });
    expect(cancelled.statusCode, cancelled.body).toBe(200);
    const after = cancelled.json<{ bookings: View[]; cancelled: string[] }>();
    expect(after.cancelled).toEqual([third.id, created.bookings[3]!.id]);
    expect(after.bookings.map((b) => b.status)).toEqual([
      'pending_approval',
      'pending_approval',
      'cancelled',
      'cancelled',
    ]);
    // Outside the cut-off: no fee.
    expect(after.bookings[2]!.cancellationFee?.amount).toBe(0);

    // One occurrence alone goes through the normal cancel; then the whole rest of the series.
    const one = await t.app.inject({
      method: 'POST',
      url: `/v1/bookings/${created.bookings[0]!.id}/cancel`,
      headers: bearer(sme),
    });
    expect(one.json<View>().status).toBe('cancelled');
    const rest = await t.app.inject({
      method: 'POST',
      url: `/v1/booking-series/${id}/cancel`,
      headers: bearer(lab),
    });
    expect(rest.statusCode, rest.body).toBe(200);
    expect(rest.json<{ cancelled: string[] }>().cancelled).toEqual([created.bookings[1]!.id]);
    const detail = await t.app.inject({ method: 'GET', url: `/v1/booking-series/${id}`, headers: bearer(sme) });
    expect(detail.json<{ bookings: View[] }>().bookings.every((b) => b.status === 'cancelled')).toBe(true);
  });

  it('a rescheduled occurrence stays in its series', async () => {
    const res = await createSeries(sme, {
      instrumentId: shanghai,
      localStart: '2027-01-08T10:00',
      durationMinutes: 60,
      rule: 'FREQ=WEEKLY;COUNT=2',
      mode: 'self',
    });
    expect(res.statusCode, res.body).toBe(201);
    const created = res.json<Created>();
    const moved = await t.app.inject({
      method: 'POST',
      url: `/v1/bookings/${created.bookings[0]!.id}/reschedule`,
      headers: bearer(sme),
      payload: { start: '2027-01-08T06:00:00Z', end: '2027-01-08T07:00:00Z' },
    });
    expect(moved.statusCode, moved.body).toBe(201);
    const newId = moved.json<{ booking: View }>().booking.id;
    const detail = await t.app.inject({
      method: 'GET',
      url: `/v1/booking-series/${created.series.id}`,
      headers: bearer(sme),
    });
    expect(detail.json<{ bookings: View[] }>().bookings.map((b) => [b.id, b.status])).toEqual([
      [created.bookings[0]!.id, 'cancelled'],
      [newId, 'held'],
      [created.bookings[1]!.id, 'held'],
    ]);
  });

  it('confirming a series whose holds all lapsed is 409 hold_expired', async () => {
    const res = await createSeries(sme, {
      instrumentId: shanghai,
      localStart: '2027-01-06T10:00',
      durationMinutes: 60,
      rule: 'FREQ=WEEKLY;COUNT=2',
      mode: 'self',
    });
    expect(res.statusCode, res.body).toBe(201);
    clock.advance(16 * 60_000);
    try {
      expectProblem(
        await t.app.inject({
          method: 'POST',
          url: `/v1/booking-series/${res.json<Created>().series.id}/confirm`,
          headers: bearer(sme),
        }),
        409,
        'hold_expired',
      );
    } finally {
      clock.advance(-16 * 60_000);
    }
  });
});
