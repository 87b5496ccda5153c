import { beforeAll, describe, expect, it } from 'vitest';
import { createHash, randomBytes } from 'node:crypto';
import { creditCodeCheckCharacter } from '@qihub/api/lib/credit-code';
import { bearer, expectProblem, login, testClock, useSeededApp } from '../support/app.ts';
import { databaseDigest } from '../support/db.ts';
import { anInstrumentOf, newInstrumentBody, orgOf, USERS } from '../support/scenario.ts';

/** Training records and violations at a lab: who manages them, what they show, lifting a block. */
const clock = testClock(new Date('2026-11-26T02:00:00Z'));
const t = useSeededApp({ clock });

let labId: string;
let lab2Id: string;
let instrumentId: string;
let otherLabInstrumentId: string;
const tok = {} as Record<'sme' | 'sme2' | 'lab' | 'operator' | 'lab2', string>;
const uid = {} as Record<'sme' | 'sme2', string>;

interface RecordBody {
  id: string;
  lab: { id: string };
  instrument: { id: string; nameZh: string };
  user: { id: string; name: string; email: string };
  qualifiedAt: string;
  expiresAt: string | null;
  revokedAt: string | null;
  note: string;
  valid: boolean;
}

beforeAll(async () => {
  labId = await orgOf(t.db, USERS.lab);
  lab2Id = await orgOf(t.db, USERS.lab2);
  instrumentId = (await anInstrumentOf(t.db, labId)).id;
  otherLabInstrumentId = (await anInstrumentOf(t.db, lab2Id)).id;
  for (const k of ['sme', 'sme2', 'lab', 'operator', 'lab2'] as const) tok[k] = await login(t.app, USERS[k]);
  for (const k of ['sme', 'sme2'] as const) {
    const { rows } = await t.db.pool.query<{ id: string }>('SELECT id FROM users WHERE email = $1', [USERS[k]]);
    uid[k] = rows[0]!.id;
  }
  // A lab keeps records only of people it knows: sme2 (no order or booking with the demo lab in the
  // seed) becomes known by holding a slot on one of its instruments.
  const hold = await post('/v1/bookings', tok.sme2, {
    instrumentId,
    start: '2026-12-01T01:00:00Z',
    end: '2026-12-01T02:00:00Z',
    mode: 'assisted',
  });
  expect(hold.statusCode, hold.body).toBe(201);
});

const post = (url: string, token: string | null, payload?: object) =>
  t.app.inject({ method: 'POST', url, ...(token ? { headers: bearer(token) } : {}), ...(payload ? { payload } : {}) });
const get = (url: string, token: string | null) =>
  t.app.inject({ method: 'GET', url, ...(token ? { headers: bearer(token) } : {}) });

describe('training records', () => {
  it('the lab records one by email, lists and filters them, and the person sees it as theirs', async () => {
    const url = `/v1/labs/${labId}/training-records`;
    const body = {
      instrumentId,
      email: USERS.sme,
      qualifiedAt: '2026-11-02T02:00:00Z',
      expiresAt: '2027-11-02T02:00:00Z',
      note: '完成上机培训与安全考核',
    };
    const created = await post(url, tok.lab, body);
    expect(created.statusCode, created.body).toBe(201);
    const record = created.json<RecordBody>();
    expect(record).toMatchObject({
      lab: { id: labId },
      instrument: { id: instrumentId },
      user: { id: uid.sme, email: USERS.sme },
      qualifiedAt: '2026-11-02T02:00:00.000Z',
      expiresAt: '2027-11-02T02:00:00.000Z',
      revokedAt: null,
      note: '完成上机培训与安全考核',
      valid: true,
    });
    // Not yet valid when it starts in the future; no expiry is allowed.
    const future = await post(url, tok.lab, { instrumentId, email: USERS.sme2, qualifiedAt: '2026-12-10T00:00:00Z' });
    expect(future.json<RecordBody>()).toMatchObject({ valid: false, expiresAt: null });

    const list = await get(url, tok.lab);
    expect(list.statusCode, list.body).toBe(200);
    const items = list.json<{ items: RecordBody[] }>().items;
    expect(items.map((r) => r.id)).toEqual(expect.arrayContaining([record.id, future.json<RecordBody>().id]));
    // The seeded operator records are there too.
    expect(items.some((r) => r.user.email === USERS.operator)).toBe(true);
    const filtered = await get(`${url}?instrumentId=${otherLabInstrumentId}`, tok.lab);
    expect(filtered.json<{ items: RecordBody[] }>().items).toEqual([]);

    const mine = await get('/v1/me/training-records', tok.sme);
    expect(mine.statusCode, mine.body).toBe(200);
    expect(mine.json<{ items: RecordBody[] }>().items).toEqual([record]);
    expect((await get('/v1/me/training-records', tok.sme2)).json<{ items: RecordBody[] }>().items).toHaveLength(1);
    expectProblem(await get('/v1/me/training-records', null), 401, 'unauthenticated');

    const { rows } = await t.db.pool.query<{ action: string; org_id: string }>(
      "SELECT action, org_id FROM audit_log WHERE entity_type = 'training_record' AND entity_id = $1",
      [record.id],
    );
    expect(rows).toEqual([{ action: 'training_record.create', org_id: labId }]);
  });

  it('refuses unknown people, instruments of other labs, an expiry before qualification and unknown fields', async () => {
    const url = `/v1/labs/${labId}/training-records`;
    const base = { instrumentId, email: USERS.sme2, qualifiedAt: '2026-11-02T02:00:00Z' };
    expectProblem(await post(url, tok.lab, { ...base, email: 'nobody@demo.qihub.test' }), 404, 'not_found');
    expectProblem(await post(url, tok.lab, { ...base, instrumentId: otherLabInstrumentId }), 422, 'unknown_instrument');
    expectProblem(await post(url, tok.lab, { ...base, expiresAt: '2026-11-01T00:00:00Z' }), 422, 'invalid_expiry');
    expectProblem(await post(url, tok.lab, { ...base, userId: uid.sme2 }), 400, 'validation_failed');
    expectProblem(await post(url, tok.lab, { ...base, email: 'not-an-email' }), 400, 'validation_failed');
    expectProblem(await post(url, tok.lab, { ...base, qualifiedAt: 'yesterday' }), 400, 'validation_failed');
  });

  it("only the lab's managers and staff manage its records: operators, other labs and customers may not", async () => {
    const url = `/v1/labs/${labId}/training-records`;
    const body = { instrumentId, email: USERS.sme2, qualifiedAt: '2026-11-02T02:00:00Z' };
    for (const who of ['operator', 'lab2', 'sme'] as const) {
      expectProblem(await post(url, tok[who], body), 403, 'forbidden');
      expectProblem(await get(url, tok[who]), 403, 'forbidden');
    }
    expectProblem(await post(url, null, body), 401, 'unauthenticated');
    // lab2 manages its own lab's records, not the demo lab's instruments.
    expectProblem(
      await post(`/v1/labs/${lab2Id}/training-records`, tok.lab2, { ...body, instrumentId }),
      422,
      'unknown_instrument',
    );

    const record = (await post(url, tok.lab, body)).json<RecordBody>();
    const revoke = (token: string) => post(`/v1/training-records/${record.id}/revoke`, token);
    expectProblem(await revoke(tok.operator), 403, 'forbidden');
    expectProblem(await revoke(tok.lab2), 404, 'not_found');
    expectProblem(await revoke(tok.sme2), 404, 'not_found');
    const revoked = await revoke(tok.lab);
    expect(revoked.statusCode, revoked.body).toBe(200);
    expect(revoked.json<RecordBody>()).toMatchObject({ valid: false, revokedAt: '2026-11-26T02:00:00.000Z' });
    expectProblem(await revoke(tok.lab), 409, 'already_revoked');
    expectProblem(
      await post('/v1/training-records/00000000-0000-4000-8000-000000000000/revoke', tok.lab),
      404,
      'not_found',
    );
    const mine = (await get('/v1/me/training-records', tok.sme2)).json<{ items: RecordBody[] }>().items;
    expect(mine.find((r) => r.id === record.id)).toMatchObject({ valid: false });
  });
});

describe('violations and standing', () => {
  it('lists violations in the window with each user standing; a manager lifts a block, audited', async () => {
    // A real late cancellation: booked 25 h ahead and confirmed, cancelled 13 h before the start.
    const held = await post('/v1/bookings', tok.sme, {
      instrumentId,
      start: '2026-11-27T03:00:00Z',
      end: '2026-11-27T04:00:00Z',
      mode: 'self',
    });
    expect(held.statusCode, held.body).toBe(201);
    const bookingId = held.json<{ id: string }>().id;
    expect((await post(`/v1/bookings/${bookingId}/confirm`, tok.sme)).statusCode).toBe(200);
    clock.advance(12 * 3600_000); // the rest of this test runs at 2026-11-26T14:00Z
    try {
      await violationsAndLift(bookingId);
    } finally {
      clock.advance(-12 * 3600_000);
    }
  });

  async function violationsAndLift(bookingId: string) {
    expect((await post(`/v1/bookings/${bookingId}/cancel`, tok.sme)).statusCode).toBe(200);
    for (const days of [3, 40, 100, 500]) {
      await t.db.pool.query(
        `INSERT INTO booking_violations (lab_id, user_id, kind, occurred_at, note)
         VALUES ($1, $2, 'no_show', $4::timestamptz - make_interval(days => $3), '未到场')`,
        [labId, uid.sme, days, clock.now.toISOString()],
      );
    }

    const url = `/v1/labs/${labId}/violations`;
    const res = await get(url, tok.lab);
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json<{
      threshold: number;
      windowDays: number;
      items: { user: { email: string }; bookingId: string | null; kind: string; counted: boolean }[];
      standings: {
        user: { id: string; email: string };
        count: number;
        blocked: boolean;
        lastLiftedAt: string | null;
      }[];
    }>();
    expect(body).toMatchObject({ threshold: 3, windowDays: 365 });
    expect(body.items).toHaveLength(4); // the one 500 days ago is outside the window
    expect(body.items.filter((i) => i.kind === 'late_cancellation')).toEqual([
      expect.objectContaining({ bookingId, user: expect.objectContaining({ email: USERS.sme }), counted: true }),
    ]);
    expect(body.standings).toEqual([
      {
        user: { id: uid.sme, name: expect.any(String), email: USERS.sme },
        count: 4,
        blocked: true,
        lastLiftedAt: null,
      },
    ]);
    for (const who of ['operator', 'lab2', 'sme'] as const) expectProblem(await get(url, tok[who]), 403, 'forbidden');

    const liftUrl = `/v1/labs/${labId}/standings/${uid.sme}/lift`;
    const reason = { reason: '经沟通已整改，解除限制' };
    for (const who of ['operator', 'lab2', 'sme'] as const) {
      expectProblem(await post(liftUrl, tok[who], reason), 403, 'forbidden');
    }
    expectProblem(await post(liftUrl, tok.lab, {}), 400, 'validation_failed');
    expectProblem(
      await post(`/v1/labs/${labId}/standings/00000000-0000-4000-8000-000000000000/lift`, tok.lab, reason),
      404,
      'not_found',
    );
    const lifted = await post(liftUrl, tok.lab, reason);
    expect(lifted.statusCode, lifted.body).toBe(200);
    expect(lifted.json()).toMatchObject({ count: 0, blocked: false, lastLiftedAt: '2026-11-26T14:00:00.000Z' });

    const after = (await get(url, tok.lab)).json<typeof body>();
    expect(after.standings).toEqual([
      expect.objectContaining({ count: 0, blocked: false, lastLiftedAt: '2026-11-26T14:00:00.000Z' }),
    ]);
    expect(after.items.every((i) => !i.counted)).toBe(true);
    const { rows } = await t.db.pool.query<{ org_id: string; after: { reason: string } }>(
      "SELECT org_id, after FROM audit_log WHERE action = 'booking_block.lift' AND entity_id = $1",
      [uid.sme],
    );
    expect(rows).toEqual([{ org_id: labId, after: expect.objectContaining({ reason: reason.reason }) }]);
  }

  it("the lab's staff see violations and manage records, but only managers lift", async () => {
    await t.db.pool.query("INSERT INTO memberships (user_id, org_id, role) VALUES ($1, $2, 'staff')", [
      uid.sme2,
      labId,
    ]);
    const staff = await post('/v1/auth/login', null, { email: USERS.sme2, password: 'qihub-demo' });
    const token = staff.json<{ token: string }>().token;
    expect((await get(`/v1/labs/${labId}/violations`, token)).statusCode).toBe(200);
    expect((await get(`/v1/labs/${labId}/training-records`, token)).statusCode).toBe(200);
    expectProblem(
      await post(`/v1/labs/${labId}/standings/${uid.sme}/lift`, token, { reason: '试图解除' }),
      403,
      'forbidden',
    );
  });
});

describe('people a lab does not know', () => {
  /** A person with an account and no tie to any lab: no booking, order, registration or membership. */
  let stranger: { id: string; email: string; name: string };
  let pending: { token: string; labId: string; instrumentId: string };

  beforeAll(async () => {
    stranger = { id: '', email: 'stranger@example.cn', name: '路人甲' };
    const { rows } = await t.db.pool.query<{ id: string }>(
      `INSERT INTO users (email, password_hash, display_name, phone) VALUES ($1, 'x', $2, '13900000000') RETURNING id`,
      [stranger.email, stranger.name],
    );
    stranger.id = rows[0]!.id;
    // A lab that registered and was never admitted, with one instrument of its own.
    const body17 = '12320500466000027';
    const registered = await post('/v1/auth/register', null, {
      kind: 'lab',
      email: 'pending.manager@example.cn',
      password: 'a-long-enough-password',
      displayName: '待审核主任',
      organisation: {
        nameZh: '待审核检测中心',
        creditCode: body17 + creditCodeCheckCharacter(body17),
        regionCode: '320500',
        labType: 'materials',
      },
    });
    expect(registered.statusCode, registered.body).toBe(201);
    const reg = registered.json<{ token: string; user: { memberships: { orgId: string }[] } }>();
    const { rows: sites } = await t.db.pool.query<{ id: string }>(
      `INSERT INTO sites (lab_id, name_zh, name_en, time_zone, region_code, address_zh, address_en)
       VALUES ($1, '主楼', 'Main', 'Asia/Shanghai', '320500', '苏州', 'Suzhou') RETURNING id`,
      [reg.user.memberships[0]!.orgId],
    );
    const made = await post(
      `/v1/labs/${reg.user.memberships[0]!.orgId}/instruments`,
      reg.token,
      newInstrumentBody(sites[0]!.id),
    );
    expect(made.statusCode, made.body).toBe(201);
    pending = { token: reg.token, labId: reg.user.memberships[0]!.orgId, instrumentId: made.json<{ id: string }>().id };
  });

  const trace = () => databaseDigest(t.db, ['booking_block_lifts', 'training_records', 'audit_log']);
  /** A problem body without what differs per request. */
  const comparable = (body: string) => {
    const { requestId: _r, instance: _i, ...rest } = JSON.parse(body) as Record<string, unknown>;
    return rest;
  };

  it("lifting a stranger's block is 404 for any lab manager, tells nothing and writes nothing", async () => {
    for (const [who, token, lab] of [
      ['active lab', tok.lab, labId],
      ['pending lab', pending.token, pending.labId],
    ] as const) {
      const before = await trace();
      const res = await post(`/v1/labs/${lab}/standings/${stranger.id}/lift`, token, { reason: '想看看是谁' });
      expectProblem(res, 404, 'not_found');
      expect(res.body, who).not.toContain(stranger.email);
      expect(res.body, who).not.toContain(stranger.name);
      // Exactly what an id without an account gets.
      const none = await post(`/v1/labs/${lab}/standings/00000000-0000-4000-8000-000000000000/lift`, token, {
        reason: '想看看是谁',
      });
      expect(comparable(res.body), who).toEqual(comparable(none.body));
      expect(await trace(), who).toEqual(before);
    }
  });

  it('a training record for a stranger is 404, the same answer as for an email without an account, and writes nothing', async () => {
    for (const [who, token, lab, instrument] of [
      ['active lab', tok.lab, labId, instrumentId],
      ['pending lab', pending.token, pending.labId, pending.instrumentId],
    ] as const) {
      const before = await trace();
      const url = `/v1/labs/${lab}/training-records`;
      const body = { instrumentId: instrument, qualifiedAt: '2026-11-02T02:00:00Z' };
      const res = await post(url, token, { ...body, email: stranger.email });
      expectProblem(res, 404, 'not_found');
      expect(res.body, who).not.toContain(stranger.name);
      const none = await post(url, token, { ...body, email: 'nobody-at-all@example.cn' });
      expect(comparable(res.body), who).toEqual(comparable(none.body));
      expect(await trace(), who).toEqual(before);
    }
  });

  it('a person becomes known to a lab by registering for its event, and only to that lab', async () => {
    const created = await post('/v1/events', tok.lab, {
      organiserOrgId: labId,
      kind: 'course',
      titleZh: '扫描电镜上机培训',
      sessions: [{ startsAt: '2026-12-03T01:00:00Z', endsAt: '2026-12-03T05:00:00Z', seats: 5 }],
    });
    expect(created.statusCode, created.body).toBe(201);
    const event = created.json<{ id: string; sessions: { id: string }[] }>();
    expect((await post(`/v1/events/${event.id}/publish`, tok.lab)).statusCode).toBe(200);
    // The stranger signs in through a fresh session row (no password: the row is made directly).
    const secret = `qhs_${randomBytes(24).toString('base64url')}`;
    await t.db.pool.query(
      `INSERT INTO sessions (token_hash, user_id, expires_at) VALUES ($1, $2, '2030-01-01T00:00:00Z')`,
      [createHash('sha256').update(secret).digest('hex'), stranger.id],
    );
    const registered = await post(`/v1/event-sessions/${event.sessions[0]!.id}/registrations`, secret);
    expect(registered.statusCode, registered.body).toBe(201);

    const record = await post(`/v1/labs/${labId}/training-records`, tok.lab, {
      instrumentId,
      email: stranger.email,
      qualifiedAt: '2026-11-02T02:00:00Z',
    });
    expect(record.statusCode, record.body).toBe(201);
    expect(record.json<RecordBody>().user).toMatchObject({ id: stranger.id, email: stranger.email });
    // Another lab still does not know them.
    expectProblem(
      await post(`/v1/labs/${lab2Id}/standings/${stranger.id}/lift`, tok.lab2, { reason: '想看看是谁' }),
      404,
      'not_found',
    );
  });
});
