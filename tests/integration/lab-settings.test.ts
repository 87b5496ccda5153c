import { beforeAll, describe, expect, it } from 'vitest';
import { bearer, expectProblem, login, testClock, useSeededApp } from '../support/app.ts';
import { allowManyHolds, aSiteOf, anInstrumentOf, orgOf, USERS } from '../support/scenario.ts';

/** The lab console's schedule editors and resource calendar: behaviour, validation, access, audit. */
const clock = testClock(new Date('2026-11-26T02:00:00Z'));
const t = useSeededApp({ clock });

let labId: string;
let otherLabId: string;
let instrumentId: string;
let siteId: string;
let tokens: Record<'lab' | 'operator' | 'lab2' | 'sme', string>;

beforeAll(async () => {
  labId = await orgOf(t.db, USERS.lab);
  otherLabId = await orgOf(t.db, USERS.lab2);
  instrumentId = (await anInstrumentOf(t.db, labId)).id;
  siteId = await aSiteOf(t.db, labId);
  tokens = {
    lab: await login(t.app, USERS.lab),
    operator: await login(t.app, USERS.operator),
    lab2: await login(t.app, USERS.lab2),
    sme: await login(t.app, USERS.sme),
  };
});

type Who = keyof typeof tokens;
const call = (who: Who | null, method: 'GET' | 'PUT' | 'POST' | 'DELETE', url: string, payload?: unknown) =>
  t.app.inject({
    method,
    url,
    headers: who ? bearer(tokens[who]) : {},
    ...(payload === undefined ? {} : { payload: payload as object }),
  });

async function auditActions(entityId: string) {
  const { rows } = await t.db.pool.query<{ action: string }>(
    'SELECT action FROM audit_log WHERE entity_id = $1 ORDER BY id',
    [entityId],
  );
  return rows.map((r) => r.action);
}

async function slotsOn(id: string, from: string, to: string, duration = 60) {
  const res = await t.app.inject({
    method: 'GET',
    url: `/v1/instruments/${id}/availability?from=${from}&to=${to}&durationMinutes=${duration}`,
  });
  expect(res.statusCode, res.body).toBe(200);
  return res.json<{ slots: { start: string; end: string; unitsFree: number }[] }>().slots;
}

const POLICY = {
  slotMinutes: 30,
  minMinutes: 30,
  maxMinutes: 240,
  leadMinutes: 60,
  horizonDays: 30,
  setupMinutes: 15,
  cleanupMinutes: 15,
  modes: ['self'],
  requiresApproval: false,
  holdMinutes: 10,
  cancellationCutoffMinutes: 720,
  cancellationFeeBasisPoints: 2500,
  qualificationRequired: false,
  noShowGraceMinutes: 10,
  lateVoidMinutes: 30,
  quotaMinutesPerWeek: 600,
};

describe('opening hours', () => {
  it('inherit from the site, are replaced atomically, and drive availability', async () => {
    const initial = await call('lab', 'GET', `/v1/instruments/${instrumentId}/opening-hours`);
    expect(initial.statusCode, initial.body).toBe(200);
    expect(initial.json()).toMatchObject({ inherited: true, timeZone: 'Asia/Shanghai' });
    expect(initial.json<{ rows: unknown[] }>().rows.length).toBeGreaterThan(0);

    const put = await call('lab', 'PUT', `/v1/instruments/${instrumentId}/opening-hours`, {
      rows: [
        { weekday: 1, opensAt: '13:00', closesAt: '15:00' },
        { weekday: 1, opensAt: '09:00', closesAt: '11:00' },
      ],
    });
    expect(put.statusCode, put.body).toBe(200);
    expect(put.json()).toEqual({
      inherited: false,
      timeZone: 'Asia/Shanghai',
      rows: [
        { weekday: 1, opensAt: '09:00', closesAt: '11:00' },
        { weekday: 1, opensAt: '13:00', closesAt: '15:00' },
      ],
    });
    // Monday 30 November: 09:00–11:00 and 13:00–15:00 Shanghai; Tuesday closed.
    const monday = await slotsOn(instrumentId, '2026-11-30T00:00:00Z', '2026-11-30T12:00:00Z');
    expect(monday.map((s) => s.start)).toEqual([
      '2026-11-30T01:00:00.000Z',
      '2026-11-30T01:30:00.000Z',
      '2026-11-30T02:00:00.000Z',
      '2026-11-30T05:00:00.000Z',
      '2026-11-30T05:30:00.000Z',
      '2026-11-30T06:00:00.000Z',
    ]);
    expect(await slotsOn(instrumentId, '2026-12-01T00:00:00Z', '2026-12-01T12:00:00Z')).toEqual([]);
    expect(await auditActions(instrumentId)).toContain('opening_hours.replaced');

    // [] goes back to the site's hours.
    const reset = await call('lab', 'PUT', `/v1/instruments/${instrumentId}/opening-hours`, { rows: [] });
    expect(reset.json()).toMatchObject({ inherited: true });
    expect((await slotsOn(instrumentId, '2026-12-01T00:00:00Z', '2026-12-01T12:00:00Z')).length).toBeGreaterThan(0);
  });

  it('refuses overlapping, reversed and malformed rows with 422 codes, changing nothing', async () => {
    const bad = async (rows: unknown[], code: string) => {
      const body = expectProblem(
        await call('lab', 'PUT', `/v1/instruments/${instrumentId}/opening-hours`, { rows }),
        422,
        'invalid_opening_hours',
      );
      expect(body.errors!.map((e) => e.code)).toContain(code);
    };
    await bad(
      [
        { weekday: 2, opensAt: '08:00', closesAt: '12:00' },
        { weekday: 2, opensAt: '11:00', closesAt: '16:00' },
      ],
      'overlapping_rows',
    );
    await bad(
      [
        { weekday: 2, opensAt: '08:00', closesAt: '12:00' },
        { weekday: 2, opensAt: '12:00', closesAt: '16:00' },
      ],
      'overlapping_rows',
    );
    await bad([{ weekday: 3, opensAt: '17:00', closesAt: '09:00' }], 'closes_before_opens');
    await bad([{ weekday: 8, opensAt: '09:00', closesAt: '17:00' }], 'invalid_weekday');
    await bad([{ weekday: 1, opensAt: '9:00', closesAt: '24:00' }], 'invalid_time');
    const after = await call('lab', 'GET', `/v1/instruments/${instrumentId}/opening-hours`);
    expect(after.json()).toMatchObject({ inherited: true });
  });

  it('for a site: default week when empty, editable by the lab, invisible to others', async () => {
    const got = await call('operator', 'GET', `/v1/sites/${siteId}/opening-hours`);
    expect(got.statusCode, got.body).toBe(200);
    expect(got.json<{ inherited: boolean; rows: { weekday: number }[] }>().rows.map((r) => r.weekday)).toEqual([
      1, 2, 3, 4, 5,
    ]);
    const rows = [1, 2, 3, 4, 5, 6].map((weekday) => ({ weekday, opensAt: '09:00', closesAt: '18:00' }));
    const put = await call('lab', 'PUT', `/v1/sites/${siteId}/opening-hours`, { rows });
    expect(put.statusCode, put.body).toBe(200);
    expect(put.json()).toMatchObject({ inherited: false, rows });
    expect(await auditActions(siteId)).toContain('opening_hours.replaced');
    // Saturday 5 December (not a holiday) now opens at the site.
    const saturday = await slotsOn(instrumentId, '2026-12-05T00:00:00Z', '2026-12-05T12:00:00Z');
    expect(saturday[0]!.start).toBe('2026-12-05T01:00:00.000Z');

    expectProblem(await call('operator', 'PUT', `/v1/sites/${siteId}/opening-hours`, { rows: [] }), 403, 'forbidden');
    expectProblem(await call('lab2', 'GET', `/v1/sites/${siteId}/opening-hours`), 404, 'not_found');
    expectProblem(await call('sme', 'PUT', `/v1/sites/${siteId}/opening-hours`, { rows: [] }), 404, 'not_found');
    expectProblem(await call(null, 'GET', `/v1/sites/${siteId}/opening-hours`), 401, 'unauthenticated');
    await call('lab', 'PUT', `/v1/sites/${siteId}/opening-hours`, { rows: [] });
  });
});

describe('access', () => {
  it('members read, managers and staff write, operators are refused, other organisations see nothing', async () => {
    // A staff member of the demo lab (same password as the demo accounts).
    await t.db.pool.query(
      `INSERT INTO users (email, password_hash, display_name)
       SELECT 'staff@demo.qihub.test', password_hash, '实验室职员' FROM users WHERE email = $1`,
      [USERS.lab],
    );
    await t.db.pool.query(
      `INSERT INTO memberships (user_id, org_id, role)
       SELECT id, $1, 'staff' FROM users WHERE email = 'staff@demo.qihub.test'`,
      [labId],
    );
    const staff = await login(t.app, 'staff@demo.qihub.test');
    const url = `/v1/instruments/${instrumentId}/opening-hours`;
    const rows = [{ weekday: 2, opensAt: '10:00', closesAt: '16:00' }];
    const byStaff = await t.app.inject({ method: 'PUT', url, headers: bearer(staff), payload: { rows } });
    expect(byStaff.statusCode, byStaff.body).toBe(200);
    expect((await call('operator', 'GET', url)).json()).toMatchObject({ inherited: false, rows });
    expectProblem(await call('operator', 'PUT', url, { rows: [] }), 403, 'forbidden');
    expectProblem(await call('lab2', 'PUT', url, { rows: [] }), 404, 'not_found');
    expectProblem(await call('sme', 'PUT', url, { rows: [] }), 404, 'not_found');
    expectProblem(await call('lab2', 'GET', url), 404, 'not_found');
    expectProblem(await call('sme', 'GET', url), 404, 'not_found');
    expectProblem(await call(null, 'PUT', url, { rows: [] }), 401, 'unauthenticated');
    expectProblem(
      await call('lab', 'GET', '/v1/instruments/00000000-0000-4000-8000-000000000000/opening-hours'),
      404,
      'not_found',
    );
    const settings = await t.app.inject({
      method: 'PUT',
      url: `/v1/labs/${labId}/booking-settings`,
      headers: bearer(staff),
      payload: { violationThreshold: 3, violationWindowDays: 365 },
    });
    expect(settings.statusCode, settings.body).toBe(200);
    const reset = await call('lab', 'PUT', url, { rows: [] });
    expect(reset.statusCode).toBe(200);
  });
});

describe('closures', () => {
  it('a whole-lab closure hides availability, lists the bookings it overlaps, and can be removed', async () => {
    const sme = tokens.sme;
    const booked = await t.app.inject({
      method: 'POST',
      url: '/v1/bookings',
      headers: bearer(sme),
      payload: { instrumentId, start: '2026-12-02T02:00:00Z', end: '2026-12-02T03:00:00Z', mode: 'self' },
    });
    expect(booked.statusCode, booked.body).toBe(201);
    const bookingId = booked.json<{ id: string }>().id;

    const created = await call('lab', 'POST', `/v1/labs/${labId}/closures`, {
      start: '2026-12-02T00:00:00Z',
      end: '2026-12-02T05:00:00Z',
      reason: '年度内审',
    });
    expect(created.statusCode, created.body).toBe(201);
    const body = created.json<{
      closure: { id: string; scope: string };
      affectedBookings: { id: string; customer: { nameZh: string }; user: { displayName: string } }[];
    }>();
    expect(body.closure.scope).toBe('lab');
    expect(body.affectedBookings.map((b) => b.id)).toEqual([bookingId]);
    expect(body.affectedBookings[0]!.customer.nameZh).not.toBe('');
    // The booking stays; new slots in the closed span are gone.
    const still = await t.app.inject({ method: 'GET', url: `/v1/bookings/${bookingId}`, headers: bearer(sme) });
    expect(still.json<{ status: string }>().status).toBe('held');
    const slots = await slotsOn(instrumentId, '2026-12-02T00:00:00Z', '2026-12-02T12:00:00Z');
    expect(slots.length).toBeGreaterThan(0);
    expect(slots.every((s) => s.start >= '2026-12-02T05:00:00.000Z')).toBe(true);

    const list = await call(
      'operator',
      'GET',
      `/v1/labs/${labId}/closures?from=2026-12-01T00:00:00Z&to=2026-12-03T00:00:00Z`,
    );
    expect(list.json<{ items: { id: string }[] }>().items.map((c) => c.id)).toContain(body.closure.id);
    expectProblem(await call('lab2', 'GET', `/v1/labs/${labId}/closures`), 404, 'not_found');
    expectProblem(await call('operator', 'DELETE', `/v1/closures/${body.closure.id}`), 403, 'forbidden');
    expectProblem(await call('lab2', 'DELETE', `/v1/closures/${body.closure.id}`), 404, 'not_found');
    expectProblem(await call('sme', 'DELETE', `/v1/closures/${body.closure.id}`), 404, 'not_found');

    const removed = await call('lab', 'DELETE', `/v1/closures/${body.closure.id}`);
    expect(removed.statusCode, removed.body).toBe(204);
    expect(await auditActions(body.closure.id)).toEqual(['closure.created', 'closure.deleted']);
    const reopened = await slotsOn(instrumentId, '2026-12-02T00:00:00Z', '2026-12-02T12:00:00Z');
    expect(reopened.some((s) => s.start < '2026-12-02T05:00:00.000Z')).toBe(true);
  });

  it('maintenance of one unit leaves the other units bookable', async () => {
    const { rows } = await t.db.pool.query<{ id: string; instrument_id: string }>(
      `SELECT u.id, u.instrument_id FROM instrument_units u JOIN instruments i ON i.id = u.instrument_id
       WHERE i.lab_id = $1 AND i.status = 'active' AND u.active
         AND (SELECT count(*) FROM instrument_units x WHERE x.instrument_id = i.id AND x.active) >= 2
       ORDER BY i.name_zh, u.position LIMIT 1`,
      [labId],
    );
    let unitId = rows[0]?.id;
    let multi = rows[0]?.instrument_id;
    if (!unitId) {
      multi = instrumentId;
      await t.db.pool.query("INSERT INTO instrument_units (instrument_id, label, position) VALUES ($1, 'B', 99)", [
        multi,
      ]);
      unitId = (
        await t.db.pool.query<{ id: string }>(
          'SELECT id FROM instrument_units WHERE instrument_id = $1 ORDER BY position LIMIT 1',
          [multi],
        )
      ).rows[0]!.id;
    }
    const before = await slotsOn(multi!, '2026-12-03T00:00:00Z', '2026-12-03T12:00:00Z');
    const created = await call('lab', 'POST', `/v1/labs/${labId}/closures`, {
      start: '2026-12-03T00:00:00Z',
      end: '2026-12-03T12:00:00Z',
      reason: '真空泵维护',
      unitId,
    });
    expect(created.statusCode, created.body).toBe(201);
    expect(created.json()).toMatchObject({ closure: { scope: 'unit', instrumentId: multi, unitId } });
    const after = await slotsOn(multi!, '2026-12-03T00:00:00Z', '2026-12-03T12:00:00Z');
    expect(after.map((s) => s.start)).toEqual(before.map((s) => s.start));
    expect(after.every((s, i) => s.unitsFree === before[i]!.unitsFree - 1)).toBe(true);

    const whole = await call('lab', 'POST', `/v1/labs/${labId}/closures`, {
      start: '2026-12-03T00:00:00Z',
      end: '2026-12-03T12:00:00Z',
      reason: '整机维护',
      instrumentId: multi,
    });
    expect(whole.json()).toMatchObject({ closure: { scope: 'instrument' } });
    expect(await slotsOn(multi!, '2026-12-03T00:00:00Z', '2026-12-03T12:00:00Z')).toEqual([]);
  });

  it('validates the span and the scope, and only managers and staff may close', async () => {
    const otherInstrument = (await anInstrumentOf(t.db, otherLabId)).id;
    const base = { start: '2026-12-10T00:00:00Z', end: '2026-12-11T00:00:00Z', reason: 'x' };
    expectProblem(
      await call('lab', 'POST', `/v1/labs/${labId}/closures`, { ...base, end: '2026-12-09T00:00:00Z' }),
      422,
      'invalid_span',
    );
    expectProblem(
      await call('lab', 'POST', `/v1/labs/${labId}/closures`, { ...base, instrumentId: otherInstrument }),
      422,
      'unknown_instrument',
    );
    expectProblem(
      await call('lab', 'POST', `/v1/labs/${labId}/closures`, {
        ...base,
        unitId: '00000000-0000-4000-8000-000000000000',
      }),
      422,
      'unknown_unit',
    );
    expectProblem(await call('operator', 'POST', `/v1/labs/${labId}/closures`, base), 403, 'forbidden');
    expectProblem(await call('lab2', 'POST', `/v1/labs/${labId}/closures`, base), 404, 'not_found');
    expectProblem(await call('sme', 'POST', `/v1/labs/${labId}/closures`, base), 404, 'not_found');
  });
});

describe('booking policy', () => {
  it('reads the defaults, upserts a validated policy that new bookings snapshot, old ones keep theirs', async () => {
    const defaults = await call('operator', 'GET', `/v1/instruments/${instrumentId}/booking-policy`);
    expect(defaults.statusCode, defaults.body).toBe(200);
    expect(defaults.json()).toMatchObject({ isDefault: true, leadMinutes: 1440, requiresApproval: true });

    const old = await t.app.inject({
      method: 'POST',
      url: '/v1/bookings',
      headers: bearer(tokens.sme),
      payload: { instrumentId, start: '2026-12-04T06:00:00Z', end: '2026-12-04T07:00:00Z', mode: 'self' },
    });
    expect(old.statusCode, old.body).toBe(201);

    const put = await call('lab', 'PUT', `/v1/instruments/${instrumentId}/booking-policy`, POLICY);
    expect(put.statusCode, put.body).toBe(200);
    expect(put.json()).toEqual({ ...POLICY, isDefault: false });
    expect(await auditActions(instrumentId)).toContain('booking_policy.updated');
    const { rows } = await t.db.pool.query<{ policy: { leadMinutes: number } }>(
      'SELECT policy FROM bookings WHERE id = $1',
      [old.json<{ id: string }>().id],
    );
    expect(rows[0]!.policy.leadMinutes).toBe(1440);
    // One hour lead time now: tomorrow morning is bookable by a new booking.
    const soon = await slotsOn(instrumentId, '2026-11-26T03:00:00Z', '2026-11-26T09:30:00Z');
    expect(soon[0]!.start).toBe('2026-11-26T03:00:00.000Z');
    // Setup/clean-up buffers of 15 minutes around the 06:00–07:00 booking keep 05:30–06:00 and 07:00–07:30 closed.
    const around = (await slotsOn(instrumentId, '2026-12-04T04:00:00Z', '2026-12-04T09:30:00Z', 30)).map(
      (s) => s.start,
    );
    expect(around).not.toContain('2026-12-04T05:30:00.000Z');
    expect(around).not.toContain('2026-12-04T07:00:00.000Z');
    expect(around).toContain('2026-12-04T05:00:00.000Z');
    expect(around).toContain('2026-12-04T07:30:00.000Z');

    await call('lab', 'PUT', `/v1/instruments/${instrumentId}/booking-policy`, {
      ...POLICY,
      leadMinutes: 1440,
      setupMinutes: 0,
      cleanupMinutes: 0,
      modes: ['self', 'assisted'],
      requiresApproval: true,
    });
  });

  it('answers every broken rule with 422 before the table constraints could, and guards access', async () => {
    const broken: [Partial<typeof POLICY> | Record<string, unknown>, string][] = [
      [{ slotMinutes: 0 }, 'out_of_range'],
      [{ minMinutes: 120, maxMinutes: 60 }, 'max_below_min'],
      [{ minMinutes: 45 }, 'off_grid'],
      [{ cancellationFeeBasisPoints: 10001 }, 'out_of_range'],
      [{ noShowGraceMinutes: 30, lateVoidMinutes: 10 }, 'void_before_grace'],
      [{ quotaMinutesPerWeek: 0 }, 'out_of_range'],
      [{ modes: [] }, 'invalid_modes'],
      [{ modes: ['self', 'self'] }, 'invalid_modes'],
      [{ horizonDays: 5_000_000_000 }, 'out_of_range'],
      [{ setupMinutes: -5 }, 'out_of_range'],
    ];
    for (const [patch, code] of broken) {
      const body = expectProblem(
        await call('lab', 'PUT', `/v1/instruments/${instrumentId}/booking-policy`, { ...POLICY, ...patch }),
        422,
        'invalid_policy',
      );
      expect(
        body.errors!.map((e) => e.code),
        JSON.stringify(patch),
      ).toContain(code);
    }
    expectProblem(
      await call('operator', 'PUT', `/v1/instruments/${instrumentId}/booking-policy`, POLICY),
      403,
      'forbidden',
    );
    expectProblem(
      await call('lab2', 'PUT', `/v1/instruments/${instrumentId}/booking-policy`, POLICY),
      404,
      'not_found',
    );
    // The rules are public where the instrument is: a customer reads what it books under.
    const seen = await call('sme', 'GET', `/v1/instruments/${instrumentId}/booking-policy`);
    expect(seen.statusCode, seen.body).toBe(200);
    expect(seen.json<{ leadMinutes: number }>().leadMinutes).toBe(1440);
    // A retired instrument's rules are for its lab only.
    await t.db.pool.query(`UPDATE instruments SET status = 'retired' WHERE id = $1`, [instrumentId]);
    try {
      expectProblem(await call('sme', 'GET', `/v1/instruments/${instrumentId}/booking-policy`), 404, 'not_found');
      expect((await call('operator', 'GET', `/v1/instruments/${instrumentId}/booking-policy`)).statusCode).toBe(200);
    } finally {
      await t.db.pool.query(`UPDATE instruments SET status = 'active' WHERE id = $1`, [instrumentId]);
    }
  });
});

describe('lab booking settings', () => {
  it('default to 3 in 365 days (and 2 holds per instrument, 5 per lab), are validated and audited', async () => {
    const got = await call('operator', 'GET', `/v1/labs/${labId}/booking-settings`);
    expect(got.json()).toEqual({
      violationThreshold: 3,
      violationWindowDays: 365,
      maxHoldsPerInstrument: 2,
      maxHoldsPerLab: 5,
    });
    // The hold limits may be left out: they keep their values.
    const put = await call('lab', 'PUT', `/v1/labs/${labId}/booking-settings`, {
      violationThreshold: 5,
      violationWindowDays: 180,
    });
    expect(put.statusCode, put.body).toBe(200);
    expect(put.json()).toEqual({
      violationThreshold: 5,
      violationWindowDays: 180,
      maxHoldsPerInstrument: 2,
      maxHoldsPerLab: 5,
    });
    expect(await auditActions(labId)).toContain('lab_booking_settings.updated');
    expectProblem(
      await call('lab', 'PUT', `/v1/labs/${labId}/booking-settings`, {
        violationThreshold: -1,
        violationWindowDays: 0,
      }),
      422,
      'invalid_settings',
    );
    expectProblem(
      await call('operator', 'PUT', `/v1/labs/${labId}/booking-settings`, {
        violationThreshold: 1,
        violationWindowDays: 30,
      }),
      403,
      'forbidden',
    );
    expectProblem(await call('lab2', 'GET', `/v1/labs/${labId}/booking-settings`), 404, 'not_found');
    expectProblem(
      await call('sme', 'PUT', `/v1/labs/${labId}/booking-settings`, {
        violationThreshold: 1,
        violationWindowDays: 30,
      }),
      404,
      'not_found',
    );
  });
});

describe('resource calendar', () => {
  it("shows the lab's instruments with units, opening windows, bookings and closures, to its members only", async () => {
    // Earlier tests left holds of this customer open on the instrument.
    await allowManyHolds(t.db, labId);
    const booked = await t.app.inject({
      method: 'POST',
      url: '/v1/bookings',
      headers: bearer(tokens.sme),
      payload: { instrumentId, start: '2026-12-07T02:00:00Z', end: '2026-12-07T04:00:00Z', mode: 'self' },
    });
    expect(booked.statusCode, booked.body).toBe(201);
    const closure = await call('lab', 'POST', `/v1/labs/${labId}/closures`, {
      start: '2026-12-08T00:00:00Z',
      end: '2026-12-08T04:00:00Z',
      reason: '停电',
    });
    expect(closure.statusCode).toBe(201);

    const res = await call(
      'operator',
      'GET',
      `/v1/labs/${labId}/schedule?from=2026-12-07T00:00:00Z&to=2026-12-14T00:00:00Z`,
    );
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json<{
      instruments: {
        id: string;
        units: { id: string }[];
        openingWindows: { start: string; end: string }[];
        bookings: { id: string; customer: { nameZh: string }; user: { displayName: string }; status: string }[];
      }[];
      labClosures: { reason: string }[];
    }>();
    const { rows } = await t.db.pool.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM instruments WHERE lab_id = $1 AND status <> 'retired'",
      [labId],
    );
    expect(body.instruments.length).toBe(rows[0]!.n);
    const mine = body.instruments.find((i) => i.id === instrumentId)!;
    expect(mine.units.length).toBeGreaterThan(0);
    expect(mine.openingWindows[0]).toEqual({ start: '2026-12-07T00:30:00.000Z', end: '2026-12-07T09:30:00.000Z' });
    expect(mine.openingWindows.length).toBe(5);
    expect(mine.bookings.map((b) => b.id)).toContain(booked.json<{ id: string }>().id);
    expect(body.labClosures.map((c) => c.reason)).toContain('停电');

    expectProblem(
      await call('lab', 'GET', `/v1/labs/${labId}/schedule?from=2026-12-01T00:00:00Z&to=2027-01-15T00:00:00Z`),
      422,
      'invalid_span',
    );
    expectProblem(
      await call('lab2', 'GET', `/v1/labs/${labId}/schedule?from=2026-12-07T00:00:00Z&to=2026-12-14T00:00:00Z`),
      404,
      'not_found',
    );
    expectProblem(
      await call('sme', 'GET', `/v1/labs/${labId}/schedule?from=2026-12-07T00:00:00Z&to=2026-12-14T00:00:00Z`),
      404,
      'not_found',
    );
  });
});
