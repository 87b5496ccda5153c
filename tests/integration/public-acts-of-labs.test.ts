import { beforeAll, describe, expect, it } from 'vitest';
import { creditCodeCheckCharacter } from '@qihub/api/lib/credit-code';
import { admitThroughNotice } from '../support/admission.ts';
import { bearer, expectProblem, login, testClock, useSeededApp } from '../support/app.ts';
import { databaseDigest } from '../support/db.ts';
import { newInstrumentBody, orgOf, USERS } from '../support/scenario.ts';

/**
 * A lab acts in public — organises events, takes bookings, is sent as an expert, sees anyone's
 * personal data — only once the platform has admitted it, and while it stays active: the same gate
 * that keeps a pending lab's instruments and services out of the catalogue.
 */
const clock = testClock(new Date('2026-11-26T02:00:00Z')); // Thursday 10:00 in Shanghai
const t = useSeededApp({ clock });

const tok = {} as Record<'admin' | 'sme' | 'sme2' | 'lab', string>;
let pending: { token: string; labId: string; userId: string; instrumentId: string; serviceId: string };

const call = (method: 'GET' | 'POST' | 'PATCH', url: string, token: string | null, payload?: object) =>
  t.app.inject({ method, url, ...(token ? { headers: bearer(token) } : {}), ...(payload ? { payload } : {}) });

const course = (organiserOrgId: string) => ({
  organiserOrgId,
  kind: 'course',
  titleZh: '实验室开放日',
  sessions: [{ startsAt: '2026-12-03T01:00:00Z', endsAt: '2026-12-03T05:00:00Z', seats: 10 }],
});

/** A published event with one session and one registrant, put in the database directly. */
async function publishedEventOf(orgId: string) {
  const { rows: e } = await t.db.pool.query<{ id: string }>(
    `INSERT INTO events (organiser_org_id, kind, title_zh, region_code, status)
     VALUES ($1, 'open_day', '未经准入的开放日', '320500', 'published') RETURNING id`,
    [orgId],
  );
  const { rows: s } = await t.db.pool.query<{ id: string }>(
    `INSERT INTO event_sessions (event_id, starts_at, ends_at, seats, seats_taken)
     VALUES ($1, '2026-12-04T01:00:00Z', '2026-12-04T05:00:00Z', 10, 1) RETURNING id`,
    [e[0]!.id],
  );
  await t.db.pool.query(
    `INSERT INTO event_registrations (session_id, user_id, org_id, status)
     SELECT $1, u.id, m.org_id, 'registered' FROM users u JOIN memberships m ON m.user_id = u.id WHERE u.email = $2`,
    [s[0]!.id, USERS.sme2],
  );
  return { eventId: e[0]!.id, sessionId: s[0]!.id };
}

beforeAll(async () => {
  for (const k of ['admin', 'sme', 'sme2', 'lab'] as const) tok[k] = await login(t.app, USERS[k]);
  const body17 = '12320500466000043';
  const registered = await call('POST', '/v1/auth/register', null, {
    kind: 'lab',
    email: 'not.yet@lab.example.cn',
    password: 'a-long-enough-password',
    displayName: '未准入主任',
    organisation: {
      nameZh: '尚未准入的检测中心',
      creditCode: body17 + creditCodeCheckCharacter(body17),
      regionCode: '320500',
      labType: 'materials',
    },
  });
  expect(registered.statusCode, registered.body).toBe(201);
  const reg = registered.json<{ token: string; user: { id: string; memberships: { orgId: string }[] } }>();
  const labId = reg.user.memberships[0]!.orgId;
  const { rows: sites } = await t.db.pool.query<{ id: string }>(
    `INSERT INTO sites (lab_id, name_zh, region_code, address_zh) VALUES ($1, '主楼', '320500', '苏州') RETURNING id`,
    [labId],
  );
  const instrument = await call('POST', `/v1/labs/${labId}/instruments`, reg.token, newInstrumentBody(sites[0]!.id));
  expect(instrument.statusCode, instrument.body).toBe(201);
  const service = await call('POST', `/v1/labs/${labId}/services`, reg.token, {
    kind: 'commissioned_test',
    nameZh: '未准入的检测服务',
    priceModel: 'fixed',
    priceAmount: 10_000,
  });
  expect(service.statusCode, service.body).toBe(201);
  pending = {
    token: reg.token,
    labId,
    userId: reg.user.id,
    instrumentId: instrument.json<{ id: string }>().id,
    serviceId: service.json<{ id: string }>().id,
  };
});

describe('a lab the platform has not admitted', () => {
  it('organises no event: creating or publishing is refused and writes nothing', async () => {
    const before = await databaseDigest(t.db, ['events', 'event_sessions', 'audit_log']);
    expectProblem(await call('POST', '/v1/events', pending.token, course(pending.labId)), 403, 'not_admitted');
    expect(await databaseDigest(t.db, ['events', 'event_sessions', 'audit_log'])).toEqual(before);
    // A draft that exists anyway (made before the rule) cannot be published.
    const { rows } = await t.db.pool.query<{ id: string }>(
      `INSERT INTO events (organiser_org_id, kind, title_zh, region_code) VALUES ($1, 'course', '草稿', '320500') RETURNING id`,
      [pending.labId],
    );
    await t.db.pool.query(
      `INSERT INTO event_sessions (event_id, starts_at, ends_at, seats) VALUES ($1, '2026-12-05T01:00:00Z', '2026-12-05T02:00:00Z', 5)`,
      [rows[0]!.id],
    );
    expectProblem(await call('POST', `/v1/events/${rows[0]!.id}/publish`, pending.token), 403, 'not_admitted');
    expect((await t.db.pool.query('SELECT status FROM events WHERE id = $1', [rows[0]!.id])).rows[0].status).toBe(
      'draft',
    );
  });

  it('shows no event to anyone, takes no registration, and sees no registrant', async () => {
    const { eventId, sessionId } = await publishedEventOf(pending.labId);
    for (const token of [null, tok.sme, tok.lab]) {
      expectProblem(await call('GET', `/v1/events/${eventId}`, token), 404, 'not_found');
      const list = (await call('GET', '/v1/events', token)).json<{ items: { id: string }[] }>();
      expect(list.items.map((e) => e.id)).not.toContain(eventId);
    }
    const before = await databaseDigest(t.db, ['event_registrations', 'event_sessions', 'notifications']);
    expectProblem(await call('POST', `/v1/event-sessions/${sessionId}/registrations`, tok.sme), 404, 'not_found');
    expect(await databaseDigest(t.db, ['event_registrations', 'event_sessions', 'notifications'])).toEqual(before);
    // Its own manager still finds it, but not the registrants' names, emails and phones.
    expect((await call('GET', `/v1/events/${eventId}`, pending.token)).statusCode).toBe(200);
    const people = await call('GET', `/v1/event-sessions/${sessionId}/registrations`, pending.token);
    expectProblem(people, 403, 'not_admitted');
    expect(people.body).not.toContain(USERS.sme2);
  });

  it('takes no booking and shows no availability, even to someone who has the instrument id', async () => {
    const before = await databaseDigest(t.db, ['bookings', 'waitlist_entries', 'audit_log']);
    const slot = { instrumentId: pending.instrumentId, start: '2026-12-01T02:00:00Z', end: '2026-12-01T03:00:00Z' };
    expectProblem(await call('POST', '/v1/bookings', tok.sme, { ...slot, mode: 'self' }), 404, 'not_found');
    expectProblem(await call('POST', '/v1/waitlist', tok.sme, { ...slot, mode: 'self' }), 404, 'not_found');
    const availability = `/v1/instruments/${pending.instrumentId}/availability?from=2026-11-30T00:00:00Z&to=2026-12-05T00:00:00Z&durationMinutes=60`;
    expectProblem(await call('GET', availability, null), 404, 'not_found');
    expectProblem(await call('GET', availability, tok.sme), 404, 'not_found');
    expect(await databaseDigest(t.db, ['bookings', 'waitlist_entries', 'audit_log'])).toEqual(before);
    // The lab itself sees its own calendar while it prepares.
    expect((await call('GET', availability, pending.token)).statusCode).toBe(200);
  });

  it('takes no order', async () => {
    expectProblem(
      await call('POST', '/v1/orders', tok.sme, {
        labId: pending.labId,
        requestNotes: '想委托检测',
        lines: [{ serviceId: pending.serviceId, quantity: 1 }],
      }),
      422,
      'lab_not_active',
    );
  });

  it('is not sent to an enterprise as an expert', async () => {
    const asked = await call('POST', '/v1/assistance-requests', tok.sme, {
      titleZh: '盐雾试验不合格整改',
      problemZh: '镀锌件中性盐雾 48 h 出现红锈。',
      trigger: 'spot_check_failure',
    });
    expect(asked.statusCode, asked.body).toBe(201);
    const url = `/v1/assistance-requests/${asked.json<{ id: string }>().id}/assign`;
    expectProblem(await call('POST', url, tok.admin, { expertUserId: pending.userId }), 422, 'unknown_expert');
  });

  it('once admitted, organises events and sees who registered', async () => {
    await admitThroughNotice(t.app, t.db, pending, tok.admin, '261100000001');
    // A new sign-in carries the lab's new status.
    const token = await login(t.app, 'not.yet@lab.example.cn', 'a-long-enough-password');
    const created = await call('POST', '/v1/events', token, course(pending.labId));
    expect(created.statusCode, created.body).toBe(201);
    const event = created.json<{ id: string; sessions: { id: string }[] }>();
    expect((await call('POST', `/v1/events/${event.id}/publish`, token)).statusCode).toBe(200);
    expect((await call('GET', `/v1/events/${event.id}`, null)).statusCode).toBe(200);
    expect((await call('POST', `/v1/event-sessions/${event.sessions[0]!.id}/registrations`, tok.sme)).statusCode).toBe(
      201,
    );
    const people = await call('GET', `/v1/event-sessions/${event.sessions[0]!.id}/registrations`, token);
    expect(people.statusCode, people.body).toBe(200);
    expect(people.body).toContain(USERS.sme);
  });
});

describe('a lab the platform suspends', () => {
  it('drops out of public view with its events, and its members see no registrant', async () => {
    const lab2 = await orgOf(t.db, USERS.lab2);
    const { eventId, sessionId } = await publishedEventOf(lab2);
    const manager = await login(t.app, USERS.lab2);
    expect((await call('GET', `/v1/events/${eventId}`, null)).statusCode).toBe(200);
    await t.db.pool.query("UPDATE organisations SET status = 'suspended' WHERE id = $1", [lab2]);
    try {
      expectProblem(await call('GET', `/v1/events/${eventId}`, null), 404, 'not_found');
      const list = (await call('GET', '/v1/events', tok.sme)).json<{ items: { id: string }[] }>();
      expect(list.items.map((e) => e.id)).not.toContain(eventId);
      expectProblem(await call('GET', `/v1/event-sessions/${sessionId}/registrations`, manager), 403, 'not_admitted');
      expectProblem(await call('POST', '/v1/events', manager, course(lab2)), 403, 'not_admitted');
    } finally {
      await t.db.pool.query("UPDATE organisations SET status = 'active' WHERE id = $1", [lab2]);
    }
  });
});
