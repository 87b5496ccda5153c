import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { bearer, expectProblem, login, testClock, useSeededApp } from '../support/app.ts';
import { allowManyHolds, anInstrumentOf, newInstrumentBody, orgOf, USERS } from '../support/scenario.ts';

/**
 * Availability search across instruments, assisted mode (a qualified operator must be free),
 * DST and holiday cases, and the promise that every slot offered can actually be booked.
 */
const START = new Date('2026-11-26T02:00:00Z');
const clock = testClock(START);
const t = useSeededApp({ clock });

interface Slot {
  start: string;
  end: string;
  unitsFree: number;
}
interface SearchItem {
  id: string;
  nameZh: string;
  lab: { id: string; nameZh: string };
  site: { cityZh: string | null; timeZone: string };
  externalHourlyRate: { amount: number; currency: string } | null;
  slots: Slot[];
}

let labId: string;
let smeToken: string;
let labToken: string;

beforeAll(async () => {
  labId = await orgOf(t.db, USERS.lab);
  // The property below books many of the slots it is offered, as one person.
  await allowManyHolds(t.db, labId);
  smeToken = await login(t.app, USERS.sme);
  labToken = await login(t.app, USERS.lab);
});

async function availability(id: string, from: string, to: string, durationMinutes: number, mode = 'self') {
  const res = await t.app.inject({
    method: 'GET',
    url: `/v1/instruments/${id}/availability?from=${from}&to=${to}&durationMinutes=${durationMinutes}&mode=${mode}`,
  });
  expect(res.statusCode, res.body).toBe(200);
  return res.json<{ timeZone: string; slots: Slot[] }>().slots;
}

async function search(params: Record<string, string | number>) {
  const qs = new URLSearchParams(Object.entries(params).map(([k, v]): [string, string] => [k, String(v)])).toString();
  const res = await t.app.inject({ method: 'GET', url: `/v1/availability/search?${qs}` });
  expect(res.statusCode, res.body).toBe(200);
  return res.json<{ items: SearchItem[]; considered: number; truncated: boolean }>();
}

async function book(instrumentId: string, start: string, end: string, mode = 'self') {
  return t.app.inject({
    method: 'POST',
    url: '/v1/bookings',
    headers: bearer(smeToken),
    payload: { instrumentId, start, end, mode },
  });
}

async function userId(email: string) {
  const { rows } = await t.db.pool.query<{ id: string }>('SELECT id FROM users WHERE email = $1', [email]);
  return rows[0]!.id;
}

async function expectAgreement(items: SearchItem[], from: string, to: string, duration: number, mode = 'self') {
  for (const item of items) {
    const own = await availability(item.id, from, to, duration, mode);
    expect(item.slots, item.nameZh).toEqual(own.slice(0, 3));
  }
  const firsts = items.map((i) => i.slots[0]!.start);
  expect([...firsts].sort()).toEqual(firsts);
}

describe('availability search', () => {
  it('finds the SEMs in a region free for two hours, earliest first, agreeing with each instrument', async () => {
    const from = '2026-11-30T00:00:00Z';
    const to = '2026-12-07T00:00:00Z';
    const jiangsu = await search({ category: 'sem', region: '320000', from, to, durationMinutes: 120 });
    const { rows } = await t.db.pool.query<{ id: string }>(
      `SELECT i.id FROM instruments i JOIN sites st ON st.id = i.site_id JOIN organisations o ON o.id = i.lab_id
       WHERE i.category_code = 'sem' AND st.region_code LIKE '32%' AND i.status = 'active' AND o.status = 'active'
         AND i.external_rate_hour IS NOT NULL`,
    );
    expect(rows.length).toBeGreaterThan(1);
    expect(jiangsu.items.map((i) => i.id).sort()).toEqual(rows.map((r) => r.id).sort());
    expect(jiangsu.truncated).toBe(false);
    for (const item of jiangsu.items) {
      expect(item.slots.length).toBe(3);
      expect(item.site.timeZone).toBe('Asia/Shanghai');
      expect(item.externalHourlyRate!.amount).toBeGreaterThan(0);
    }
    await expectAgreement(jiangsu.items, from, to, 120);

    const suzhou = await search({ category: 'sem', region: '320500', from, to, durationMinutes: 120 });
    expect(suzhou.items.length).toBeGreaterThan(0);
    expect(suzhou.items.every((i) => i.site.cityZh === '苏州市')).toBe(true);
    const limited = await search({ category: 'sem', region: '320000', from, to, durationMinutes: 120, limit: 1 });
    expect(limited.items).toEqual(jiangsu.items.slice(0, 1));
    const byWord = await search({ q: 'SEM', region: '320500', from, to, durationMinutes: 120 });
    expect(byWord.items.map((i) => i.id)).toEqual(expect.arrayContaining(suzhou.items.map((i) => i.id)));
  });

  it('drops a booked slot at once and still agrees with the instrument endpoint', async () => {
    const from = '2026-11-30T00:00:00Z';
    const to = '2026-12-04T00:00:00Z';
    const before = await search({ region: '320500', from, to, durationMinutes: 60, limit: 50 });
    expect(before.items.length).toBeGreaterThan(2);
    await expectAgreement(before.items, from, to, 60);
    const target = before.items.find((i) => i.lab.id === labId)!;
    const first = target.slots[0]!;
    const res = await book(target.id, first.start, first.end);
    expect(res.statusCode, res.body).toBe(201);
    const after = await search({ region: '320500', from, to, durationMinutes: 60, limit: 50 });
    const again = after.items.find((i) => i.id === target.id)!;
    if (first.unitsFree === 1) expect(again.slots.map((s) => s.start)).not.toContain(first.start);
    else expect(again.slots[0]).toEqual({ ...first, unitsFree: first.unitsFree - 1 });
    await expectAgreement(after.items, from, to, 60);
  });

  it('validates every parameter: spans over 31 days or reversed are 422, malformed ones 400', async () => {
    const url = (q: string) => `/v1/availability/search?${q}`;
    const ok = 'from=2026-12-01T00:00:00Z&durationMinutes=60';
    expectProblem(
      await t.app.inject({ method: 'GET', url: url(`${ok}&to=2027-01-02T00:00:01Z`) }),
      422,
      'invalid_span',
    );
    expectProblem(
      await t.app.inject({ method: 'GET', url: url(`${ok}&to=2026-11-30T00:00:00Z`) }),
      422,
      'invalid_span',
    );
    for (const bad of [
      `${ok}&to=2026-12-02T00:00:00Z&durationMinutes=3`,
      `${ok}&to=2026-12-02T00:00:00Z&region=32`,
      `${ok}&to=2026-12-02T00:00:00Z&mode=remote`,
      `${ok}&to=2026-12-02T00:00:00Z&limit=0`,
      `${ok}&to=2026-12-02T00:00:00Z&limit=51`,
      `${ok}&to=yesterday`,
      'to=2026-12-02T00:00:00Z&durationMinutes=60',
    ]) {
      expectProblem(await t.app.inject({ method: 'GET', url: url(bad) }), 400, 'validation_failed');
    }
    // Exactly 31 days is fine.
    await search({ from: '2026-12-01T00:00:00Z', to: '2027-01-01T00:00:00Z', durationMinutes: 60, category: 'sem' });
  });
});

describe('availability search, earliest spans first', () => {
  it('looks further when the first free spans of an instrument hold no slot on its grid', async () => {
    const site = await t.db.pool.query<{ id: string }>(
      "SELECT id FROM sites WHERE lab_id = $1 AND time_zone = 'Asia/Shanghai' LIMIT 1",
      [labId],
    );
    const created = await t.app.inject({
      method: 'POST',
      url: `/v1/labs/${labId}/instruments`,
      headers: bearer(labToken),
      payload: newInstrumentBody(site.rows[0]!.id, { nameZh: '网格测试电镜', nameEn: 'Grid SEM', unitCount: 1 }),
    });
    expect(created.statusCode, created.body).toBe(201);
    const id = created.json<{ id: string }>().id;
    await t.db.pool.query(
      `INSERT INTO booking_policies (instrument_id, slot_minutes, min_minutes, lead_minutes, requires_approval)
       VALUES ($1, 60, 60, 0, false)`,
      [id],
    );
    // Monday to Thursday 14–17 December: bookings leave 09:10–10:50, 11:10–12:50, 13:10–14:50 and
    // 15:10–16:50 free — long enough for an hour, but no whole hour on the grid (16 such spans).
    const smeOrg = await orgOf(t.db, USERS.sme);
    const smeUser = await userId(USERS.sme);
    const cuts = [
      ['00:30', '01:10'],
      ['02:50', '03:10'],
      ['04:50', '05:10'],
      ['06:50', '07:10'],
      ['08:50', '09:30'],
    ];
    for (const day of ['14', '15', '16', '17']) {
      for (const [a, b] of cuts) {
        const start = `2026-12-${day}T${a}:00Z`;
        const end = `2026-12-${day}T${b}:00Z`;
        await t.db.pool.query(
          `INSERT INTO bookings (instrument_id, unit_id, lab_id, customer_org_id, user_id, mode, status, starts_at, ends_at,
             occupied, rate_tier, price_amount, policy)
           SELECT $1, u.id, $2, $3, $4, 'self', 'confirmed', $5, $6, tstzrange($5, $6), 'external', 0, '{}'
           FROM instrument_units u WHERE u.instrument_id = $1`,
          [id, labId, smeOrg, smeUser, start, end],
        );
      }
    }
    const from = '2026-12-14T00:00:00Z';
    const to = '2026-12-19T00:00:00Z';
    const own = await availability(id, from, to, 60);
    expect(own.slice(0, 3).map((s) => s.start)).toEqual([
      '2026-12-18T01:00:00.000Z',
      '2026-12-18T02:00:00.000Z',
      '2026-12-18T03:00:00.000Z',
    ]);
    const found = await search({ q: '网格测试电镜', from, to, durationMinutes: 60 });
    expect(found.items.map((i) => i.id)).toEqual([id]);
    expect(found.items[0]!.slots).toEqual(own.slice(0, 3));
    // Over two weeks the search looks past the first week too.
    const later = await search({
      q: '网格测试电镜',
      from: '2026-12-14T00:00:00Z',
      to: '2026-12-28T00:00:00Z',
      durationMinutes: 60,
    });
    expect(later.items[0]!.slots).toEqual(own.slice(0, 3));
    // Nothing at all in the first week (closed, then unusable spans): found in the second pass.
    await t.db.pool.query(
      "INSERT INTO closures (lab_id, instrument_id, during, reason) VALUES ($1, $2, '[2026-12-10T00:00:00Z,2026-12-14T00:00:00Z)', '校准')",
      [labId, id],
    );
    const secondPass = await search({
      q: '网格测试电镜',
      from: '2026-12-10T00:00:00Z',
      to: '2026-12-28T00:00:00Z',
      durationMinutes: 60,
    });
    expect(secondPass.items[0]!.slots).toEqual(own.slice(0, 3));
  });
});

describe('assisted mode', () => {
  it('offers a slot only while a qualified operator of the lab is free for all of it', async () => {
    const instrument = await anInstrumentOf(t.db, labId);
    const operatorId = await userId(USERS.operator);
    const from = '2026-12-09T00:00:00Z';
    const to = '2026-12-10T00:00:00Z';
    await t.db.pool.query('DELETE FROM training_records WHERE instrument_id = $1', [instrument.id]);
    const self = await availability(instrument.id, from, to, 60, 'self');
    expect(self.length).toBeGreaterThan(0);
    // Nobody qualified: no assisted slots.
    expect(await availability(instrument.id, from, to, 60, 'assisted')).toEqual([]);

    // A qualified member of another lab does not count.
    const lab2User = await userId(USERS.lab2);
    await t.db.pool.query(
      `INSERT INTO training_records (lab_id, instrument_id, user_id, qualified_at) VALUES ($1, $2, $3, '2026-01-01Z')`,
      [labId, instrument.id, lab2User],
    );
    expect(await availability(instrument.id, from, to, 60, 'assisted')).toEqual([]);

    // The lab's operator, qualified: every self slot is offered for assisted use too.
    const { rows } = await t.db.pool.query<{ id: string }>(
      `INSERT INTO training_records (lab_id, instrument_id, user_id, qualified_at) VALUES ($1, $2, $3, '2026-01-01Z') RETURNING id`,
      [labId, instrument.id, operatorId],
    );
    const recordId = rows[0]!.id;
    expect(await availability(instrument.id, from, to, 60, 'assisted')).toEqual(self);

    // The operator is busy 02:00–04:00 UTC with an assisted booking on another instrument.
    const { rows: others } = await t.db.pool.query<{ id: string; unit_id: string }>(
      `SELECT i.id, u.id AS unit_id FROM instruments i JOIN instrument_units u ON u.instrument_id = i.id
       WHERE i.lab_id = $1 AND i.id <> $2 AND i.status = 'active' ORDER BY i.name_zh, u.position LIMIT 1`,
      [labId, instrument.id],
    );
    const smeOrg = await orgOf(t.db, USERS.sme);
    const smeUser = await userId(USERS.sme);
    const { rows: busy } = await t.db.pool.query<{ id: string }>(
      `INSERT INTO bookings (instrument_id, unit_id, lab_id, customer_org_id, user_id, mode, status, starts_at, ends_at,
         occupied, rate_tier, price_amount, policy, operator_id)
       VALUES ($1, $2, $3, $4, $5, 'assisted', 'confirmed', '2026-12-09T02:00:00Z', '2026-12-09T04:00:00Z',
         '[2026-12-09T02:00:00Z,2026-12-09T04:00:00Z)', 'external', 0, '{}', $6) RETURNING id`,
      [others[0]!.id, others[0]!.unit_id, labId, smeOrg, smeUser, operatorId],
    );
    const assisted = await availability(instrument.id, from, to, 60, 'assisted');
    const overlapsBusy = (s: Slot) => s.start < '2026-12-09T04:00:00.000Z' && s.end > '2026-12-09T02:00:00.000Z';
    expect(assisted).toEqual(self.filter((s) => !overlapsBusy(s)));
    expect(self.some(overlapsBusy)).toBe(true);
    // Search in assisted mode agrees.
    const found = await search({ q: instrument.name_zh, from, to, durationMinutes: 60, mode: 'assisted' });
    const item = found.items.find((i) => i.id === instrument.id)!;
    expect(item.slots).toEqual(assisted.slice(0, 3));

    // A cancelled booking does not keep the operator busy.
    await t.db.pool.query("UPDATE bookings SET status = 'cancelled' WHERE id = $1", [busy[0]!.id]);
    expect(await availability(instrument.id, from, to, 60, 'assisted')).toEqual(self);

    // Training that expires at 05:00 UTC: only slots ending before then.
    await t.db.pool.query("UPDATE training_records SET expires_at = '2026-12-09T05:00:00Z' WHERE id = $1", [recordId]);
    expect(await availability(instrument.id, from, to, 60, 'assisted')).toEqual(
      self.filter((s) => s.end < '2026-12-09T05:00:00.000Z'),
    );
    // Revoked: nothing.
    await t.db.pool.query('UPDATE training_records SET expires_at = NULL, revoked_at = $2 WHERE id = $1', [
      recordId,
      START,
    ]);
    expect(await availability(instrument.id, from, to, 60, 'assisted')).toEqual([]);
    await t.db.pool.query('DELETE FROM training_records WHERE instrument_id = $1', [instrument.id]);
  });
});

describe('time zones and holidays', () => {
  it('keeps wall-clock hours across a DST change for a site in Europe/Berlin', async () => {
    const { rows } = await t.db.pool.query<{ id: string }>(
      `INSERT INTO sites (lab_id, name_zh, name_en, time_zone, region_code, address_zh)
       VALUES ($1, '柏林联络点', 'Berlin liaison office', 'Europe/Berlin', '320506', 'Berlin') RETURNING id`,
      [labId],
    );
    const created = await t.app.inject({
      method: 'POST',
      url: `/v1/labs/${labId}/instruments`,
      headers: bearer(labToken),
      payload: newInstrumentBody(rows[0]!.id, { nameZh: '柏林扫描电镜', nameEn: 'Berlin SEM', unitCount: 1 }),
    });
    expect(created.statusCode, created.body).toBe(201);
    const id = created.json<{ id: string }>().id;
    await t.db.pool.query(
      'INSERT INTO booking_policies (instrument_id, lead_minutes, horizon_days, requires_approval) VALUES ($1, 0, 400, false)',
      [id],
    );
    // Europe/Berlin moves to summer time on Sunday 28 March 2027.
    const slots = await availability(id, '2027-03-26T00:00:00Z', '2027-03-30T00:00:00Z', 60);
    const friday = slots.filter((s) => s.start.startsWith('2027-03-26'));
    const monday = slots.filter((s) => s.start.startsWith('2027-03-29'));
    expect(slots.length).toBe(friday.length + monday.length);
    expect(friday[0]!.start).toBe('2027-03-26T07:30:00.000Z'); // 08:30 CET
    expect(friday.at(-1)!.end).toBe('2027-03-26T16:30:00.000Z'); // 17:30 CET
    expect(monday[0]!.start).toBe('2027-03-29T06:30:00.000Z'); // 08:30 CEST
    expect(monday.at(-1)!.end).toBe('2027-03-29T15:30:00.000Z'); // 17:30 CEST
    const found = await search({
      q: '柏林扫描电镜',
      from: '2027-03-27T00:00:00Z',
      to: '2027-03-30T00:00:00Z',
      durationMinutes: 60,
    });
    expect(found.items[0]!.site.timeZone).toBe('Europe/Berlin');
    expect(found.items[0]!.slots.map((s) => s.start)).toEqual(monday.slice(0, 3).map((s) => s.start));
    const res = await book(id, monday[0]!.start, monday[0]!.end);
    expect(res.statusCode, res.body).toBe(201);
  });

  it('closes on a 2026 public holiday and opens on a 2026 make-up working day (调休)', async () => {
    const instrument = await anInstrumentOf(t.db, labId);
    clock.now = new Date('2026-09-01T02:00:00Z');
    try {
      // National Day 1–7 October 2026; Saturday 10 October is a make-up working day.
      const golden = await availability(instrument.id, '2026-10-01T00:00:00Z', '2026-10-11T00:00:00Z', 60);
      const days = [...new Set(golden.map((s) => s.start.slice(0, 10)))];
      expect(days).toEqual(['2026-10-08', '2026-10-09', '2026-10-10']);
      expect(golden.find((s) => s.start.startsWith('2026-10-10'))!.start).toBe('2026-10-10T00:30:00.000Z');
      const res = await book(instrument.id, '2026-10-10T02:00:00Z', '2026-10-10T03:00:00Z');
      expect(res.statusCode, res.body).toBe(201);
      const holiday = await book(instrument.id, '2026-10-05T02:00:00Z', '2026-10-05T03:00:00Z');
      expectProblem(holiday, 422, 'outside_opening_hours');
      const found = await search({
        q: instrument.name_zh,
        from: '2026-10-01T00:00:00Z',
        to: '2026-10-08T00:00:00Z',
        durationMinutes: 60,
      });
      expect(found.items.find((i) => i.id === instrument.id)).toBeUndefined();
    } finally {
      clock.now = START;
    }
  });
});

describe('property: every slot offered can be booked', () => {
  it('under random policies, buffers, closures, clocks and earlier bookings', async () => {
    const siteRow = await t.db.pool.query<{ id: string }>(
      'SELECT id FROM sites WHERE lab_id = $1 AND time_zone = $2 LIMIT 1',
      [labId, 'Asia/Shanghai'],
    );
    const created = await t.app.inject({
      method: 'POST',
      url: `/v1/labs/${labId}/instruments`,
      headers: bearer(labToken),
      payload: newInstrumentBody(siteRow.rows[0]!.id, { nameZh: '性质测试电镜', nameEn: 'Property SEM', unitCount: 2 }),
    });
    expect(created.statusCode, created.body).toBe(201);
    const id = created.json<{ id: string }>().id;
    let offered = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          slot: fc.constantFrom(15, 30, 60),
          minSlots: fc.integer({ min: 1, max: 2 }),
          durationSlots: fc.integer({ min: 1, max: 6 }),
          lead: fc.constantFrom(0, 60, 24 * 60),
          setup: fc.constantFrom(0, 10, 15, 30),
          cleanup: fc.constantFrom(0, 10, 15, 30),
          clockMinutes: fc.integer({ min: 0, max: 3 * 24 * 60 }),
          dayOffset: fc.integer({ min: 0, max: 12 }),
          closure: fc.option(
            fc.record({
              startMinutes: fc.integer({ min: 0, max: 23 * 60 }),
              length: fc.integer({ min: 15, max: 240 }),
            }),
          ),
          pick: fc.nat(),
        }),
        async (p) => {
          clock.now = new Date(START.getTime() + p.clockMinutes * 60_000);
          const policy = {
            slotMinutes: p.slot,
            minMinutes: p.slot * p.minSlots,
            maxMinutes: p.slot * 8,
            leadMinutes: p.lead,
            horizonDays: 60,
            setupMinutes: p.setup,
            cleanupMinutes: p.cleanup,
            modes: ['self', 'assisted'],
            requiresApproval: true,
            holdMinutes: 15,
            cancellationCutoffMinutes: 1440,
            cancellationFeeBasisPoints: 5000,
            qualificationRequired: false,
            noShowGraceMinutes: 15,
            lateVoidMinutes: 60,
            quotaMinutesPerWeek: null,
          };
          const put = await t.app.inject({
            method: 'PUT',
            url: `/v1/instruments/${id}/booking-policy`,
            headers: bearer(labToken),
            payload: policy,
          });
          expect(put.statusCode, put.body).toBe(200);
          const dayStart = Date.parse('2026-12-14T16:00:00Z') + p.dayOffset * 86_400_000; // local midnight
          if (p.closure) {
            const s = new Date(dayStart + p.closure.startMinutes * 60_000);
            const e = new Date(s.getTime() + p.closure.length * 60_000);
            await t.db.pool.query(
              'INSERT INTO closures (lab_id, instrument_id, during) VALUES ($1, $2, tstzrange($3, $4))',
              [labId, id, s, e],
            );
          }
          const from = new Date(dayStart).toISOString();
          const to = new Date(dayStart + 86_400_000).toISOString();
          const duration = p.slot * Math.max(p.minSlots, p.durationSlots);
          const slots = await availability(id, from, to, duration);
          if (slots.length === 0) return;
          offered++;
          const slot = slots[p.pick % slots.length]!;
          const res = await book(id, slot.start, slot.end);
          expect(res.statusCode, `${JSON.stringify(p)} ${slot.start} ${res.body}`).toBe(201);
        },
      ),
      { numRuns: 40 },
    );
    clock.now = START;
    expect(offered).toBeGreaterThan(10);
  });
});
