import { createHash, randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { createJobHandlers } from '@qihub/api/jobs';
import { bearer, expectProblem, login, testClock, useSeededApp } from '../support/app.ts';
import { orgOf, USERS } from '../support/scenario.ts';
import { userIdsOf } from '../factories/index.ts';

/** Events: organisers, publishing, seats that are never oversold, the waitlist, attendance, reminders. */
const clock = testClock(new Date('2026-11-26T02:00:00Z')); // Thursday 10:00 in Shanghai
const t = useSeededApp({ clock });

type Who = 'sme' | 'sme2' | 'lab' | 'operator' | 'lab2' | 'admin';
const tok = {} as Record<string, string>;
const uid = {} as Record<string, string>;
let labId: string;
let platformId: string;
let smeOrg: string;

interface SessionBody {
  id: string;
  startsAt: string;
  seats: number;
  seatsTaken: number;
  seatsLeft: number;
  waitlisted: number;
  myStatus: string | null;
}
interface EventBody {
  id: string;
  status: string;
  kind: string;
  regionCode: string | null;
  fee: { amount: number; currency: string };
  organiser: { id: string };
  sessions: SessionBody[];
}
interface RegBody {
  id: string;
  status: string;
  waitlistPosition: number | null;
  session: { id: string };
  event: { id: string; status: string };
}

/** A signed-in person without going through login (40 logins would only test password hashing). */
async function person(name: string): Promise<{ token: string; id: string }> {
  const email = `${name}@events.test`;
  const { rows } = await t.db.pool.query<{ id: string }>(
    `INSERT INTO users (email, password_hash, display_name) VALUES ($1, 'x', $2) RETURNING id`,
    [email, `学员${name}`],
  );
  const token = `qhs_${randomBytes(24).toString('base64url')}`;
  await t.db.pool.query(
    `INSERT INTO sessions (token_hash, user_id, expires_at) VALUES ($1, $2, '2030-01-01T00:00:00Z')`,
    [createHash('sha256').update(token).digest('hex'), rows[0]!.id],
  );
  tok[name] = token;
  uid[name] = rows[0]!.id;
  return { token, id: rows[0]!.id };
}

async function signInAll() {
  for (const k of ['sme', 'sme2', 'lab', 'operator', 'lab2', 'admin'] as const) tok[k] = await login(t.app, USERS[k]);
}

beforeAll(async () => {
  // The demo seed has its own officers, records, requests and events: start this file from none.
  await t.db.pool.query('DELETE FROM events');
  labId = await orgOf(t.db, USERS.lab);
  platformId = await orgOf(t.db, USERS.admin);
  smeOrg = await orgOf(t.db, USERS.sme);
  await signInAll();
  Object.assign(uid, await userIdsOf(t.db, ['sme', 'sme2']));
});

const req = (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, who: Who | string | null, payload?: object) =>
  t.app.inject({ method, url, ...(who ? { headers: bearer(tok[who]!) } : {}), ...(payload ? { payload } : {}) });

const course = (overrides: Record<string, unknown> = {}) => ({
  organiserOrgId: labId,
  kind: 'course',
  titleZh: 'GB/T 10125 盐雾试验方法培训',
  titleEn: 'Salt-spray testing to GB/T 10125',
  descriptionZh: '讲解中性盐雾、乙酸盐雾和铜加速乙酸盐雾试验的操作要点。',
  venueZh: '苏州市吴中区检测所三楼培训室',
  feeFen: 50_000,
  sessions: [
    { startsAt: '2026-12-03T01:00:00Z', endsAt: '2026-12-03T05:00:00Z', seats: 10 },
    { startsAt: '2026-12-10T01:00:00Z', endsAt: '2026-12-10T05:00:00Z', seats: 2 },
  ],
  ...overrides,
});

let event: EventBody;
let sessionId: string;
let smallSessionId: string;

async function sessionState(id: string) {
  const { rows } = await t.db.pool.query<{ seats_taken: number; registered: number; waitlisted: number }>(
    `SELECT s.seats_taken,
       (SELECT count(*)::int FROM event_registrations r WHERE r.session_id = s.id AND r.status IN ('registered', 'attended')) AS registered,
       (SELECT count(*)::int FROM event_registrations r WHERE r.session_id = s.id AND r.status = 'waitlisted') AS waitlisted
     FROM event_sessions s WHERE s.id = $1`,
    [id],
  );
  return rows[0]!;
}

const runSweep = async () => {
  const handler = createJobHandlers({ db: t.db.db, dispatch: async () => {}, clock: () => clock.now }).find(
    (h) => h.name === 'events.reminders',
  )!;
  await handler.handle({}, { jobId: 'events.reminders:test' });
};

describe('organising an event', () => {
  it('a lab creates a draft that only the lab sees', async () => {
    const res = await req('POST', '/v1/events', 'lab', course());
    expect(res.statusCode, res.body).toBe(201);
    event = res.json<EventBody>();
    expect(event).toMatchObject({
      status: 'draft',
      kind: 'course',
      organiser: { id: labId },
      fee: { amount: 50_000, currency: 'CNY' },
    });
    expect(event.regionCode).toMatch(/^32/);
    expect(event.sessions.map((s) => [s.seats, s.seatsLeft, s.waitlisted])).toEqual([
      [10, 10, 0],
      [2, 2, 0],
    ]);
    sessionId = event.sessions[0]!.id;
    smallSessionId = event.sessions[1]!.id;

    expectProblem(await req('GET', `/v1/events/${event.id}`, 'sme'), 404, 'not_found');
    expectProblem(await req('GET', `/v1/events/${event.id}`, null), 404, 'not_found');
    expect((await req('GET', `/v1/events/${event.id}`, 'operator')).statusCode).toBe(200);
    const publicList = await req('GET', '/v1/events', null);
    expect(publicList.json<{ items: EventBody[] }>().items.map((e) => e.id)).not.toContain(event.id);
    const own = await req('GET', `/v1/events?organiserOrgId=${labId}`, 'lab');
    expect(own.json<{ items: EventBody[] }>().items.map((e) => e.id)).toContain(event.id);
    // Registration on a draft: the session is not there for outsiders.
    expectProblem(await req('POST', `/v1/event-sessions/${sessionId}/registrations`, 'sme'), 404, 'not_found');
  });

  it('refuses bad input and the wrong organisers', async () => {
    const bad = expectProblem(
      await req(
        'POST',
        '/v1/events',
        'lab',
        course({ sessions: [{ startsAt: '2026-12-03T05:00:00Z', endsAt: '2026-12-03T01:00:00Z', seats: 5 }] }),
      ),
      422,
      'invalid_session',
    );
    expect(bad.errors?.[0]?.path).toBe('/sessions/0/endsAt');
    expectProblem(
      await req(
        'POST',
        '/v1/events',
        'lab',
        course({ sessions: [{ startsAt: '2026-11-20T01:00:00Z', endsAt: '2026-11-20T05:00:00Z', seats: 5 }] }),
      ),
      422,
      'session_in_past',
    );
    expectProblem(await req('POST', '/v1/events', 'lab', course({ sessions: [] })), 400, 'validation_failed');
    expectProblem(await req('POST', '/v1/events', 'lab', course({ kind: 'party' })), 400, 'validation_failed');
    expectProblem(await req('POST', '/v1/events', 'lab', course({ feeFen: -1 })), 400, 'validation_failed');
    expectProblem(
      await req('POST', '/v1/events', 'lab', course({ sessions: [{ startsAt: 'x', endsAt: 'y', seats: 0 }] })),
      400,
      'validation_failed',
    );
    expectProblem(await req('POST', '/v1/events', 'operator', course()), 403, 'forbidden');
    expectProblem(await req('POST', '/v1/events', 'lab2', course()), 403, 'forbidden');
    expectProblem(await req('POST', '/v1/events', 'sme', course({ organiserOrgId: smeOrg })), 403, 'forbidden');
    expectProblem(await req('POST', '/v1/events', null, course()), 401, 'unauthenticated');
    expectProblem(await req('PATCH', `/v1/events/${event.id}`, 'lab2', { venueZh: '别处' }), 404, 'not_found');
    expectProblem(await req('PATCH', `/v1/events/${event.id}`, 'operator', { venueZh: '别处' }), 403, 'forbidden');
    expectProblem(await req('PATCH', `/v1/events/${event.id}`, 'lab', {}), 400, 'validation_failed');
    const { rows } = await t.db.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM events`);
    expect(rows[0]!.n).toBe(1);
  });

  it('the organiser edits and publishes it; then it is listed publicly with filters', async () => {
    const patched = await req('PATCH', `/v1/events/${event.id}`, 'lab', { feeFen: 0, venueZh: '线上直播' });
    expect(patched.statusCode, patched.body).toBe(200);
    expect(patched.json<EventBody>().fee.amount).toBe(0);
    const published = await req('POST', `/v1/events/${event.id}/publish`, 'lab');
    expect(published.statusCode, published.body).toBe(200);
    expect(published.json<EventBody>().status).toBe('published');
    expectProblem(await req('POST', `/v1/events/${event.id}/publish`, 'lab'), 409, 'illegal_transition');

    // A platform admin runs World Standards Day in Suzhou.
    const wsd = await req('POST', '/v1/events', 'admin', {
      organiserOrgId: platformId,
      kind: 'standards_day',
      titleZh: '世界标准日主题宣传活动',
      regionCode: '320200',
      sessions: [{ startsAt: '2026-12-14T06:00:00Z', endsAt: '2026-12-14T08:00:00Z', seats: 200 }],
    });
    expect(wsd.statusCode, wsd.body).toBe(201);
    expect((await req('POST', `/v1/events/${wsd.json<EventBody>().id}/publish`, 'admin')).statusCode).toBe(200);

    const ids = async (q: string) =>
      (await req('GET', `/v1/events${q}`, null)).json<{ items: EventBody[] }>().items.map((e) => e.id);
    expect(await ids('')).toEqual([event.id, wsd.json<EventBody>().id]);
    expect(await ids('?kind=standards_day')).toEqual([wsd.json<EventBody>().id]);
    expect(await ids('?region=320200')).toEqual([wsd.json<EventBody>().id]);
    expect(await ids('?region=110000')).toEqual([]);
    expect(await ids('?from=2026-12-04&to=2026-12-10')).toEqual([event.id]);
    expect(await ids('?from=2026-12-11')).toEqual([wsd.json<EventBody>().id]);
    expectProblem(await req('GET', '/v1/events?from=tomorrow', null), 400, 'validation_failed');
    const one = await req('GET', `/v1/events/${event.id}`, null);
    expect(one.json<EventBody>().sessions[0]).toMatchObject({ seatsLeft: 10, myStatus: null });
  });
});

describe('registration', () => {
  it('40 people registering at once for 10 seats: exactly 10 registered, 30 waitlisted in order', async () => {
    const people = [];
    for (let i = 0; i < 40; i++) people.push(await person(`p${i}`));
    const results = await Promise.all(
      people.map((p) =>
        t.app.inject({
          method: 'POST',
          url: `/v1/event-sessions/${sessionId}/registrations`,
          headers: bearer(p.token),
        }),
      ),
    );
    expect(results.map((r) => r.statusCode)).toEqual(Array(40).fill(201));
    const regs = results.map((r) => r.json<RegBody>());
    expect(regs.filter((r) => r.status === 'registered')).toHaveLength(10);
    const waiting = regs.filter((r) => r.status === 'waitlisted');
    expect(waiting).toHaveLength(30);
    // Every registration saw its own place: 1…30, each once.
    expect(waiting.map((r) => r.waitlistPosition).sort((a, b) => a! - b!)).toEqual(
      Array.from({ length: 30 }, (_, i) => i + 1),
    );
    expect(await sessionState(sessionId)).toEqual({ seats_taken: 10, registered: 10, waitlisted: 30 });
    // Each was told which it is, once.
    const { rows: told } = await t.db.pool.query<{ title_zh: string }>(
      `SELECT title_zh FROM notifications WHERE kind = 'event_registration'`,
    );
    expect(told.filter((n) => n.title_zh.startsWith('报名成功'))).toHaveLength(10);
    expect(told.filter((n) => n.title_zh.startsWith('已进入候补'))).toHaveLength(30);

    const seen = await req('GET', `/v1/events/${event.id}`, 'p0');
    const s = seen.json<EventBody>().sessions[0]!;
    expect(s).toMatchObject({ seatsTaken: 10, seatsLeft: 0, waitlisted: 30 });
    expect(['registered', 'waitlisted']).toContain(s.myStatus);
  });

  it('refuses a second registration by the same person, and anonymous ones', async () => {
    expectProblem(await req('POST', `/v1/event-sessions/${sessionId}/registrations`, 'p0'), 409, 'already_registered');
    expectProblem(await req('POST', `/v1/event-sessions/${sessionId}/registrations`, null), 401, 'unauthenticated');
    expectProblem(
      await req('POST', `/v1/event-sessions/00000000-0000-4000-8000-000000000000/registrations`, 'sme'),
      404,
      'not_found',
    );
    expectProblem(await req('POST', `/v1/event-sessions/nope/registrations`, 'sme'), 400, 'validation_failed');
  });

  it('a cancellation hands the seat to the first waitlisted, who is told; a waitlisted cancellation does not', async () => {
    const list = await req('GET', `/v1/event-sessions/${sessionId}/registrations`, 'lab');
    expect(list.statusCode, list.body).toBe(200);
    const items = list.json<{ items: { user: { id: string }; status: string; waitlistPosition: number | null }[] }>()
      .items;
    const registered = items.filter((i) => i.status === 'registered');
    const waitlist = items.filter((i) => i.status === 'waitlisted');
    expect(waitlist.map((w) => w.waitlistPosition)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    const name = (id: string) => Object.keys(uid).find((k) => uid[k] === id)!;

    const leaver = name(registered[0]!.user.id);
    const first = name(waitlist[0]!.user.id);
    const cancelled = await req('DELETE', `/v1/event-sessions/${sessionId}/registrations/me`, leaver);
    expect(cancelled.statusCode, cancelled.body).toBe(200);
    expect(cancelled.json<RegBody>().status).toBe('cancelled');
    expect(await sessionState(sessionId)).toEqual({ seats_taken: 10, registered: 10, waitlisted: 29 });
    const mine = await req('GET', '/v1/me/registrations', first);
    expect(mine.json<{ items: RegBody[] }>().items).toEqual([
      expect.objectContaining({ status: 'registered', waitlistPosition: null }),
    ]);
    const { rows: notes } = await t.db.pool.query<{ user_id: string; title_zh: string; title_en: string }>(
      `SELECT user_id, title_zh, title_en FROM notifications WHERE kind = 'event_promoted'`,
    );
    expect(notes).toEqual([expect.objectContaining({ user_id: uid[first] })]);
    expect(notes[0]!.title_zh).toContain('候补成功');

    // The next in line moved up.
    const second = name(waitlist[1]!.user.id);
    const secondMine = await req('GET', '/v1/me/registrations', second);
    expect(secondMine.json<{ items: RegBody[] }>().items[0]).toMatchObject({
      status: 'waitlisted',
      waitlistPosition: 1,
    });
    // A waitlisted person leaving frees no seat.
    expect((await req('DELETE', `/v1/event-sessions/${sessionId}/registrations/me`, second)).statusCode).toBe(200);
    expect(await sessionState(sessionId)).toEqual({ seats_taken: 10, registered: 10, waitlisted: 28 });
    // Cancelling twice: nothing left to cancel. Coming back joins the end of the waitlist.
    expectProblem(await req('DELETE', `/v1/event-sessions/${sessionId}/registrations/me`, second), 404, 'not_found');
    const back = await req('POST', `/v1/event-sessions/${sessionId}/registrations`, leaver);
    expect(back.json<RegBody>()).toMatchObject({ status: 'waitlisted', waitlistPosition: 29 });
  });

  it('concurrent cancellations and registrations keep the count exact', async () => {
    const list = await req('GET', `/v1/event-sessions/${sessionId}/registrations`, 'lab');
    const items = list.json<{ items: { user: { id: string }; status: string }[] }>().items;
    const name = (id: string) => Object.keys(uid).find((k) => uid[k] === id)!;
    const leavers = items
      .filter((i) => i.status === 'registered')
      .slice(0, 5)
      .map((i) => name(i.user.id));
    const newcomers = [];
    for (let i = 0; i < 5; i++) newcomers.push((await person(`late${i}`)).token);
    const results = await Promise.all([
      ...leavers.map((who) => req('DELETE', `/v1/event-sessions/${sessionId}/registrations/me`, who)),
      ...newcomers.map((token) =>
        t.app.inject({ method: 'POST', url: `/v1/event-sessions/${sessionId}/registrations`, headers: bearer(token) }),
      ),
    ]);
    expect(results.map((r) => r.statusCode).sort()).toEqual([...Array(5).fill(200), ...Array(5).fill(201)]);
    // Five seats freed went to the waitlist (which was long enough), newcomers wait.
    expect(await sessionState(sessionId)).toEqual({ seats_taken: 10, registered: 10, waitlisted: 29 });
    const { rows } = await t.db.pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM notifications WHERE kind = 'event_promoted'`,
    );
    expect(rows[0]!.n).toBe(6);
  });

  it('the organiser’s list is the organiser’s alone', async () => {
    expectProblem(await req('GET', `/v1/event-sessions/${sessionId}/registrations`, 'sme'), 404, 'not_found');
    expectProblem(await req('GET', `/v1/event-sessions/${sessionId}/registrations`, 'lab2'), 404, 'not_found');
    expectProblem(await req('GET', `/v1/event-sessions/${sessionId}/registrations`, 'admin'), 404, 'not_found');
  });
});

describe('reminders and attendance', () => {
  it('the day before, registered people are reminded once, even by two sweeps at once', async () => {
    await runSweep(); // a week early: nothing
    let { rows } = await t.db.pool.query(`SELECT 1 FROM notifications WHERE kind = 'event_reminder'`);
    expect(rows).toHaveLength(0);
    clock.now = new Date('2026-12-02T02:00:00Z'); // 23 h before the session
    await Promise.all([runSweep(), runSweep()]);
    await runSweep();
    ({ rows } = await t.db.pool.query<{ user_id: string; title_zh: string }>(
      `SELECT user_id, title_zh FROM notifications WHERE kind = 'event_reminder'`,
    ));
    expect(rows).toHaveLength(10);
    expect((rows[0] as { title_zh: string }).title_zh).toContain('2026-12-03 09:00');
    const registered = await t.db.pool.query<{ user_id: string }>(
      `SELECT user_id FROM event_registrations WHERE session_id = $1 AND status = 'registered'`,
      [sessionId],
    );
    expect(rows.map((r) => (r as { user_id: string }).user_id).sort()).toEqual(
      registered.rows.map((r) => r.user_id).sort(),
    );
  });

  it('attendance is taken once the session has started, by the organiser, for seat holders', async () => {
    await signInAll();
    const list = await req('GET', `/v1/event-sessions/${sessionId}/registrations`, 'lab');
    const items = list.json<{ items: { user: { id: string }; status: string }[] }>().items;
    const holder = items.find((i) => i.status === 'registered')!.user.id;
    const waiting = items.find((i) => i.status === 'waitlisted')!.user.id;
    const url = `/v1/event-sessions/${sessionId}/attendance`;
    expectProblem(await req('POST', url, 'lab', { userId: holder, attended: true }), 409, 'session_not_started');
    clock.now = new Date('2026-12-03T01:30:00Z');
    await signInAll();
    expectProblem(await req('POST', url, 'operator', { userId: holder, attended: true }), 403, 'forbidden');
    expectProblem(await req('POST', url, 'sme', { userId: holder, attended: true }), 404, 'not_found');
    expectProblem(await req('POST', url, 'lab', { userId: waiting, attended: true }), 409, 'not_registered');
    expectProblem(await req('POST', url, 'lab', { userId: holder }), 400, 'validation_failed');
    const ok = await req('POST', url, 'lab', { userId: holder, attended: true });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json<RegBody>().status).toBe('attended');
    expect(await sessionState(sessionId)).toMatchObject({ seats_taken: 10, registered: 10 });
    const absent = await req('POST', url, 'lab', { userId: holder, attended: false });
    expect(absent.json<RegBody>().status).toBe('absent');
    expect((await sessionState(sessionId)).seats_taken).toBe(9);
    // Registration and cancellation are over once it started.
    expectProblem(
      await req('POST', `/v1/event-sessions/${sessionId}/registrations`, 'sme'),
      409,
      'registration_closed',
    );
    const name = Object.keys(uid).find((k) => uid[k] === items.filter((i) => i.status === 'registered')[1]!.user.id)!;
    expectProblem(
      await req('DELETE', `/v1/event-sessions/${sessionId}/registrations/me`, name),
      409,
      'session_started',
    );
  });
});

describe('changing sessions', () => {
  it('more seats go to the waitlist at once; fewer than taken is refused; a new time is announced', async () => {
    const url = `/v1/event-sessions/${smallSessionId}`;
    for (const who of ['sme', 'sme2', 'p1', 'p2']) {
      expect((await req('POST', `${url}/registrations`, who)).statusCode).toBe(201);
    }
    expect(await sessionState(smallSessionId)).toEqual({ seats_taken: 2, registered: 2, waitlisted: 2 });
    expectProblem(await req('PATCH', url, 'sme', { seats: 3 }), 403, 'forbidden');
    expectProblem(await req('PATCH', url, 'lab2', { seats: 3 }), 403, 'forbidden');
    expectProblem(await req('PATCH', url, 'lab', {}), 400, 'validation_failed');
    const more = await req('PATCH', url, 'lab', { seats: 3 });
    expect(more.statusCode, more.body).toBe(200);
    expect(more.json<EventBody>().sessions.find((x) => x.id === smallSessionId)).toMatchObject({
      seats: 3,
      seatsTaken: 3,
      waitlisted: 1,
    });
    const p1 = (await req('GET', '/v1/me/registrations', 'p1')).json<{ items: RegBody[] }>().items;
    expect(p1.find((r) => r.session.id === smallSessionId)?.status).toBe('registered');
    const fewer = expectProblem(await req('PATCH', url, 'lab', { seats: 2 }), 422, 'seats_below_taken');
    expect(fewer.errors?.[0]?.path).toBe('/seats');
    expectProblem(await req('PATCH', url, 'lab', { startsAt: '2026-12-10T06:00:00Z' }), 422, 'invalid_session');

    const moved = await req('PATCH', url, 'lab', { startsAt: '2026-12-11T01:00:00Z', endsAt: '2026-12-11T05:00:00Z' });
    expect(moved.statusCode, moved.body).toBe(200);
    const { rows } = await t.db.pool.query<{ user_id: string }>(
      `SELECT user_id FROM notifications WHERE kind = 'event_rescheduled'`,
    );
    expect(rows.map((r) => r.user_id).sort()).toEqual([uid.sme, uid.sme2, uid.p1, uid.p2].sort());

    const added = await req('POST', `/v1/events/${event.id}/sessions`, 'lab', {
      startsAt: '2026-12-17T01:00:00Z',
      endsAt: '2026-12-17T05:00:00Z',
      seats: 20,
    });
    expect(added.statusCode, added.body).toBe(201);
    expect(added.json<EventBody>().sessions).toHaveLength(3);
    expectProblem(
      await req('POST', `/v1/events/${event.id}/sessions`, 'lab', {
        startsAt: '2026-12-01T01:00:00Z',
        endsAt: '2026-12-01T05:00:00Z',
        seats: 20,
      }),
      422,
      'session_in_past',
    );
    // The first session has started: it is fixed now.
    expectProblem(await req('PATCH', `/v1/event-sessions/${sessionId}`, 'lab', { seats: 50 }), 409, 'session_started');
  });

  it('removing a session before it starts tells its registrants and credits billed seats; an event keeps one', async () => {
    // A paid event for this one, so the seat is billed.
    expect((await req('PATCH', `/v1/events/${event.id}`, 'lab', { feeFen: 50_000 })).statusCode).toBe(200);
    const added = await req('POST', `/v1/events/${event.id}/sessions`, 'lab', {
      startsAt: '2026-12-24T01:00:00Z',
      endsAt: '2026-12-24T05:00:00Z',
      seats: 1,
    });
    expect(added.statusCode, added.body).toBe(201);
    const gone = added.json<EventBody>().sessions.find((x) => x.startsAt === '2026-12-24T01:00:00.000Z')!.id;
    const seat = await req('POST', `/v1/event-sessions/${gone}/registrations`, 'sme');
    expect(seat.json<RegBody>().status).toBe('registered');
    expect((await req('POST', `/v1/event-sessions/${gone}/registrations`, 'p2')).json<RegBody>().status).toBe(
      'waitlisted',
    );
    const url = `/v1/event-sessions/${gone}`;
    expectProblem(await req('DELETE', url, 'sme'), 403, 'forbidden');
    expectProblem(await req('DELETE', url, 'lab2'), 403, 'forbidden');
    expectProblem(await req('DELETE', url, null), 401, 'unauthenticated');

    const removed = await req('DELETE', url, 'lab');
    expect(removed.statusCode, removed.body).toBe(200);
    expect(removed.json<EventBody>().sessions.map((x) => x.id)).not.toContain(gone);
    const { rows: told } = await t.db.pool.query<{ user_id: string }>(
      `SELECT user_id FROM notifications WHERE kind = 'event_session_cancelled'`,
    );
    expect(told.map((r) => r.user_id).sort()).toEqual([uid.sme, uid.p2].sort());
    // The seat billed to the enterprise is credited back in full.
    const { rows: lines } = await t.db.pool.query<{ charge: string; amount: number }>(
      `SELECT charge, amount_fen AS amount FROM invoice_lines WHERE source_id = $1 ORDER BY charge`,
      [seat.json<RegBody>().id],
    );
    expect(lines.map((l) => l.charge)).toEqual(['registration', 'registration_cancelled']);
    expect(lines.reduce((sum, l) => sum + Number(l.amount), 0)).toBe(0);
    const mine = (await req('GET', '/v1/me/registrations', 'sme')).json<{ items: RegBody[] }>().items;
    expect(mine.map((r) => r.session.id)).not.toContain(gone);
    const { rows: audit } = await t.db.pool.query<{ before: { registrations: unknown[] } }>(
      `SELECT before FROM audit_log WHERE action = 'event.session_removed' AND entity_id = $1`,
      [event.id],
    );
    expect(audit[0]!.before.registrations).toHaveLength(2);
    expectProblem(await req('DELETE', url, 'lab'), 404, 'not_found');
    // A session that has started stays, and an event's only session is the event's to cancel.
    expectProblem(await req('DELETE', `/v1/event-sessions/${sessionId}`, 'lab'), 409, 'session_started');
    const single = await req('POST', '/v1/events', 'lab', course({ sessions: [course().sessions[1]] }));
    expect(single.statusCode, single.body).toBe(201);
    const only = single.json<EventBody>().sessions[0]!.id;
    expectProblem(await req('DELETE', `/v1/event-sessions/${only}`, 'lab'), 409, 'last_session');
    expect((await req('PATCH', `/v1/events/${event.id}`, 'lab', { feeFen: 0 })).statusCode).toBe(200);
  });
});

describe('cancelling an event', () => {
  it('tells everyone registered or waiting, and closes registration', async () => {
    expectProblem(await req('POST', `/v1/events/${event.id}/cancel`, 'sme'), 403, 'forbidden');
    const cancelled = await req('POST', `/v1/events/${event.id}/cancel`, 'lab');
    expect(cancelled.statusCode, cancelled.body).toBe(200);
    expect(cancelled.json<EventBody>().status).toBe('cancelled');
    const { rows } = await t.db.pool.query<{ user_id: string; title_en: string }>(
      `SELECT user_id, title_en FROM notifications WHERE kind = 'event_cancelled'`,
    );
    // Everyone on any session's list, once each.
    expect(new Set(rows.map((r) => r.user_id)).size).toBe(rows.length);
    expect(rows.map((r) => r.user_id)).toEqual(expect.arrayContaining([uid.sme, uid.sme2, uid.p1, uid.p2]));
    expectProblem(await req('POST', `/v1/events/${event.id}/cancel`, 'lab'), 409, 'illegal_transition');
    expectProblem(await req('PATCH', `/v1/events/${event.id}`, 'lab', { venueZh: '改期' }), 409, 'illegal_transition');
    expectProblem(
      await req('POST', `/v1/event-sessions/${smallSessionId}/registrations`, 'lab2'),
      409,
      'event_not_open',
    );
    const mine = await req('GET', '/v1/me/registrations', 'sme');
    expect(mine.json<{ items: RegBody[] }>().items[0]!.event.status).toBe('cancelled');
    const publicList = await req('GET', '/v1/events', null);
    expect(publicList.json<{ items: EventBody[] }>().items.map((e) => e.id)).not.toContain(event.id);
  });
});

describe('seat invariant', () => {
  it('any sequence of registrations and cancellations keeps seats_taken exact, never over, the waitlist only when full', async () => {
    await signInAll();
    const crowd: string[] = [];
    for (let i = 0; i < 6; i++) crowd.push((await person(`q${i}`)).token);
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 4 }),
        fc.array(fc.record({ who: fc.integer({ min: 0, max: 5 }), leave: fc.boolean() }), { maxLength: 20 }),
        async (seats, steps) => {
          const created = await req(
            'POST',
            '/v1/events',
            'lab',
            course({ sessions: [{ startsAt: '2027-03-01T01:00:00Z', endsAt: '2027-03-01T03:00:00Z', seats }] }),
          );
          const ev = created.json<EventBody>();
          await req('POST', `/v1/events/${ev.id}/publish`, 'lab');
          const sid = ev.sessions[0]!.id;
          for (const step of steps) {
            const res = await t.app.inject({
              method: step.leave ? 'DELETE' : 'POST',
              url: step.leave
                ? `/v1/event-sessions/${sid}/registrations/me`
                : `/v1/event-sessions/${sid}/registrations`,
              headers: bearer(crowd[step.who]!),
            });
            expect([200, 201, 404, 409]).toContain(res.statusCode);
            const state = await sessionState(sid);
            expect(state.seats_taken).toBe(state.registered);
            expect(state.registered).toBeLessThanOrEqual(seats);
            if (state.waitlisted > 0) expect(state.registered).toBe(seats);
          }
        },
      ),
      { numRuns: 8 },
    );
  });
});
