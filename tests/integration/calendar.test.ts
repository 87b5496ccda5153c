import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { LightMyRequestResponse } from 'fastify';
import { beforeAll, describe, expect, it } from 'vitest';
import { CALENDAR_STATUS } from '@qihub/api/modules/calendar/index';
import { runMigrations } from '@qihub/db';
import { bearer, buildTestApp, expectProblem, login, testClock, useSeededApp } from '../support/app.ts';
import { aSingleUnitInstrument, bookTo } from '../support/booking-jobs.ts';
import { createTestDatabase, migrateBefore } from '../support/db.ts';
import { orgOf, USERS } from '../support/scenario.ts';

/** Calendars: a booking's .ics file and each person's secret iCal feed, parsed back and checked. */
const clock = testClock(new Date('2026-11-26T02:00:00Z'));
const t = useSeededApp({
  clock,
  env: { PUBLIC_API_URL: 'https://api.qihub.test', PUBLIC_WEB_URL: 'https://qihub.test' },
});

interface Prop {
  name: string;
  params: string;
  value: string;
}
type Component = Prop[];

/** RFC 5545 §3.1: a CRLF followed by one space or tab continues the previous line. */
const unfold = (text: string) => text.replace(/\r\n[ \t]/g, '');
const unescapeText = (v: string) => v.replace(/\\([\\;,nN])/g, (_m, c: string) => (c === 'n' || c === 'N' ? '\n' : c));

/** A tiny parser: the calendar's own properties and each VEVENT's, TEXT values unescaped. */
function parseIcs(text: string): { calendar: Component; events: Component[] } {
  expect(text.endsWith('\r\n')).toBe(true);
  expect(text.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/); // every line ends in CRLF
  for (const line of text.split('\r\n')) expect(Buffer.byteLength(line, 'utf8')).toBeLessThanOrEqual(75);
  const lines = unfold(text).split('\r\n').filter(Boolean);
  expect(lines[0]).toBe('BEGIN:VCALENDAR');
  expect(lines.at(-1)).toBe('END:VCALENDAR');
  const calendar: Component = [];
  const events: Component[] = [];
  let event: Component | null = null;
  for (const line of lines.slice(1, -1)) {
    const m = /^([A-Z-]+)((?:;[^:]*)?):(.*)$/.exec(line);
    expect(m, line).not.toBeNull();
    const prop = { name: m![1]!, params: m![2]!, value: unescapeText(m![3]!) };
    if (prop.name === 'BEGIN' && prop.value === 'VEVENT') event = [];
    else if (prop.name === 'END' && prop.value === 'VEVENT') {
      events.push(event!);
      event = null;
    } else (event ?? calendar).push(prop);
  }
  return { calendar, events };
}
const get = (c: Component, name: string) => c.find((p) => p.name === name)?.value;

let labId: string;
let sem: { id: string; nameZh: string; addressZh: string };
let tokens: { customer: string; lab: string };
let confirmed: string;
let cancelled: string;

beforeAll(async () => {
  labId = await orgOf(t.db, USERS.lab);
  sem = await aSingleUnitInstrument(t.db, labId, 0);
  // A name with the characters iCalendar must escape, long enough to be folded mid-Chinese.
  sem.nameZh = '场发射扫描电子显微镜, 高分辨率; 能谱联用\\测试专用（苏州工业园区共享平台，第一台）';
  await t.db.pool.query('UPDATE instruments SET name_zh = $2 WHERE id = $1', [sem.id, sem.nameZh]);
  tokens = { customer: await login(t.app, USERS.sme), lab: await login(t.app, USERS.lab) };
  confirmed = await bookTo(t, tokens, sem.id, '2026-11-30T02:00:00Z', '2026-11-30T04:00:00Z', 'confirmed', clock.now);
  cancelled = await bookTo(t, tokens, sem.id, '2026-12-01T02:00:00Z', '2026-12-01T03:00:00Z', 'cancelled', clock.now);
});

const ics = (id: string, token: string) =>
  t.app.inject({ method: 'GET', url: `/v1/bookings/${id}/ics`, headers: bearer(token) });

/** Each physical line of the raw bytes is whole UTF-8: folding never cut a character in two. */
function expectWholeCharacters(raw: Buffer) {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let from = 0;
  for (let at = raw.indexOf('\r\n'); at !== -1; at = raw.indexOf('\r\n', from)) {
    expect(at - from).toBeLessThanOrEqual(75);
    expect(() => decoder.decode(raw.subarray(from, at))).not.toThrow();
    from = at + 2;
  }
  expect(from).toBe(raw.length);
}

function expectCalendar(res: LightMyRequestResponse) {
  expect(res.statusCode, res.body).toBe(200);
  expectWholeCharacters(res.rawPayload);
  expect(res.headers['content-type']).toBe('text/calendar; charset=utf-8');
  expect(res.headers['cache-control']).toBe('private, no-store');
  return parseIcs(res.body);
}

describe('GET /v1/bookings/{id}/ics', () => {
  it('is one VEVENT with the booking in UTC, the Chinese name intact through folding and escaping', async () => {
    const res = await ics(confirmed, tokens.customer);
    const { calendar, events } = expectCalendar(res);
    expect(res.headers['content-disposition']).toBe(`attachment; filename="booking-${confirmed}.ics"`);
    expect(get(calendar, 'VERSION')).toBe('2.0');
    expect(get(calendar, 'PRODID')).toBeTruthy();
    expect(events).toHaveLength(1);
    const e = events[0]!;
    expect(get(e, 'UID')).toBe(`${confirmed}@qihub`);
    expect(get(e, 'DTSTART')).toBe('20261130T020000Z');
    expect(get(e, 'DTEND')).toBe('20261130T040000Z');
    expect(get(e, 'DTSTAMP')).toBe('20261126T020000Z');
    expect(get(e, 'SUMMARY')).toBe(`仪器预约：${sem.nameZh}`);
    expect(get(e, 'LOCATION')).toContain(sem.addressZh);
    expect(get(e, 'STATUS')).toBe('CONFIRMED');
    // Held, confirmed by the customer, approved by the lab: two changes after creation.
    expect(get(e, 'SEQUENCE')).toBe('2');
    const description = get(e, 'DESCRIPTION')!;
    expect(description).toContain('已确认 confirmed');
    expect(description).toContain('2026-11-30 10:00–12:00 (Asia/Shanghai)');
    expect(description).toContain(`https://qihub.test/bookings/${confirmed}`);
    expect(description.split('\n').length).toBeGreaterThan(2);
    // The raw SUMMARY line was folded, and its escapes are there before unescaping.
    const rawSummary = unfold(res.body)
      .split('\r\n')
      .find((l) => l.startsWith('SUMMARY:'))!;
    expect(rawSummary).toContain('显微镜\\, 高分辨率\\; 能谱联用\\\\测试');
    expect(rawSummary).toContain('共享平台，第一台'); // a full-width comma is plain text
    expect(res.body.split('\r\n').filter((l) => l.startsWith(' ')).length).toBeGreaterThan(0);
  });

  it('marks a cancelled booking CANCELLED, and the lab sees it too', async () => {
    const { events } = expectCalendar(await ics(cancelled, tokens.lab));
    expect(get(events[0]!, 'STATUS')).toBe('CANCELLED');
    expect(get(events[0]!, 'DESCRIPTION')).toContain('已取消 cancelled');
  });

  it('says each state in the booking pages’ own words: 待审核 while the lab decides, 待确认 while held, both TENTATIVE', async () => {
    const pending = await bookTo(
      t,
      tokens,
      sem.id,
      '2026-12-02T02:00:00Z',
      '2026-12-02T03:00:00Z',
      'pending_approval',
      clock.now,
    );
    const held = await bookTo(t, tokens, sem.id, '2026-12-03T02:00:00Z', '2026-12-03T03:00:00Z', 'held', clock.now);
    for (const [id, status, word] of [
      [pending, 'pending_approval', '待审核'],
      [held, 'held', '待确认'],
    ] as const) {
      const { events } = expectCalendar(await ics(id, tokens.customer));
      expect(get(events[0]!, 'STATUS')).toBe('TENTATIVE');
      expect(get(events[0]!, 'DESCRIPTION')).toContain(`状态 Status：${word} ${status}`);
    }
    // Every state, not only those above: the calendar's word is the one 我的预约 and the lab console show.
    const read = (file: string) =>
      JSON.parse(readFileSync(new URL(`../../web/messages/${file}`, import.meta.url), 'utf8'));
    const calendarWords = Object.fromEntries(Object.entries(CALENDAR_STATUS).map(([status, s]) => [status, s.zh]));
    expect(calendarWords).toEqual(read('bookings.zh-CN.json').myBookings.status);
    expect(calendarWords).toEqual(read('lab-console.zh-CN.json').labBookings.status);
  });

  it('is 404 for another organisation, 401 without a session', async () => {
    const other = await login(t.app, USERS.sme2);
    expectProblem(await ics(confirmed, other), 404, 'not_found');
    expectProblem(await ics(confirmed, await login(t.app, USERS.lab2)), 404, 'not_found');
    expectProblem(await t.app.inject({ method: 'GET', url: `/v1/bookings/${confirmed}/ics` }), 401, 'unauthenticated');
    expectProblem(await ics('5d9f3a70-0000-4000-8000-000000000000', tokens.customer), 404, 'not_found');
  });
});

describe('the secret iCal feed', () => {
  const feed = (token: string, method: 'GET' | 'POST' = 'GET') =>
    t.app.inject({ method, url: '/v1/calendar/feed', headers: bearer(token) });
  const path = (url: string) => new URL(url).pathname;

  it('is off until made; made, it lists the person’s bookings; rotating it revokes the old URL', async () => {
    const none = await feed(tokens.customer);
    expect(none.statusCode).toBe(200);
    expect(none.json()).toEqual({ active: false, createdAt: null });

    const made = await feed(tokens.customer, 'POST');
    expect(made.statusCode, made.body).toBe(200);
    const url = made.json<{ url: string }>().url;
    expect(url).toMatch(/^https:\/\/api\.qihub\.test\/v1\/calendar\/feeds\/[A-Za-z0-9_-]{43}\.ics$/);
    expect(made.json()).toEqual({ url, active: true, createdAt: clock.now.toISOString() });
    // The URL is shown once, when it is made: afterwards only that a feed is on.
    expect((await feed(tokens.customer)).json()).toEqual({ active: true, createdAt: clock.now.toISOString() });

    // No session needed: the token is the key.
    const res = await t.app.inject({ method: 'GET', url: path(url) });
    const { calendar, events } = expectCalendar(res);
    expect(get(calendar, 'X-WR-CALNAME')).toContain('QIHub');
    const byUid = new Map(events.map((e) => [get(e, 'UID'), e]));
    expect(get(byUid.get(`${confirmed}@qihub`)!, 'STATUS')).toBe('CONFIRMED');
    expect(get(byUid.get(`${cancelled}@qihub`)!, 'STATUS')).toBe('CANCELLED');
    expect(get(byUid.get(`${confirmed}@qihub`)!, 'SUMMARY')).toBe(`仪器预约：${sem.nameZh}`);

    // Someone else's feed does not list these bookings.
    const otherUrl = (await feed(await login(t.app, USERS.sme2), 'POST')).json<{ url: string }>().url;
    const others = expectCalendar(await t.app.inject({ method: 'GET', url: path(otherUrl) }));
    expect(others.events.map((e) => get(e, 'UID'))).not.toContain(`${confirmed}@qihub`);

    const rotated = (await feed(tokens.customer, 'POST')).json<{ url: string }>().url;
    expect(rotated).not.toBe(url);
    expectProblem(await t.app.inject({ method: 'GET', url: path(url) }), 404, 'not_found');
    expect((await t.app.inject({ method: 'GET', url: path(rotated) })).statusCode).toBe(200);
  });

  it('is stored as a hash only: the database never holds the secret of the URL', async () => {
    const url = (await feed(tokens.customer, 'POST')).json<{ url: string }>().url;
    const secret = /\/feeds\/([A-Za-z0-9_-]{43})\.ics$/.exec(url)![1]!;
    const { rows } = await t.db.pool.query<Record<string, unknown>>(
      'SELECT f.* FROM calendar_feeds f JOIN users u ON u.id = f.user_id WHERE u.email = $1',
      [USERS.sme],
    );
    expect(rows).toHaveLength(1);
    expect(JSON.stringify(rows[0])).not.toContain(secret);
    expect(rows[0]!.token_hash).toBe(createHash('sha256').update(secret).digest('hex'));
    expect((await t.app.inject({ method: 'GET', url: path(url) })).statusCode).toBe(200);
  });

  it('the owner turns the feed off: its URL is 404 from then on, until a new one is made', async () => {
    const url = (await feed(tokens.customer, 'POST')).json<{ url: string }>().url;
    const revoke = (token?: string) =>
      t.app.inject({
        method: 'POST',
        url: '/v1/calendar/feed/revoke',
        ...(token ? { headers: bearer(token) } : {}),
      });
    expectProblem(await revoke(), 401, 'unauthenticated');
    // Someone else turning their own feed off leaves this one alone.
    expect((await revoke(await login(t.app, USERS.sme2))).statusCode).toBe(200);
    expect((await t.app.inject({ method: 'GET', url: path(url) })).statusCode).toBe(200);

    const off = await revoke(tokens.customer);
    expect(off.statusCode, off.body).toBe(200);
    expect(off.json()).toEqual({ active: false, createdAt: null });
    expect((await feed(tokens.customer)).json()).toEqual({ active: false, createdAt: null });
    expectProblem(await t.app.inject({ method: 'GET', url: path(url) }), 404, 'not_found');
    const { rows } = await t.db.pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM calendar_feeds f JOIN users u ON u.id = f.user_id WHERE u.email = $1`,
      [USERS.sme],
    );
    expect(rows[0]!.n).toBe(0);
    const audit = await t.db.pool.query<{ action: string }>(
      `SELECT action FROM audit_log WHERE entity_type = 'calendar_feed'
         AND entity_id = (SELECT id::text FROM users WHERE email = $1) ORDER BY id DESC LIMIT 1`,
      [USERS.sme],
    );
    expect(audit.rows[0]!.action).toBe('calendar_feed.revoked');
    // Turning off a feed that is off changes nothing and writes nothing.
    const auditCount = async () => (await t.db.pool.query('SELECT count(*)::int AS n FROM audit_log')).rows[0].n;
    const before = await auditCount();
    expect((await revoke(tokens.customer)).json()).toEqual({ active: false, createdAt: null });
    expect(await auditCount()).toBe(before);

    const again = (await feed(tokens.customer, 'POST')).json<{ url: string }>().url;
    expect(again).not.toBe(url);
    expect((await t.app.inject({ method: 'GET', url: path(again) })).statusCode).toBe(200);
  });

  it('is 404 for an unknown or malformed token, and needs a session to manage', async () => {
    const unknown = 'A'.repeat(43);
    expectProblem(await t.app.inject({ method: 'GET', url: `/v1/calendar/feeds/${unknown}.ics` }), 404, 'not_found');
    expectProblem(await t.app.inject({ method: 'GET', url: '/v1/calendar/feeds/nope.ics' }), 404, 'not_found');
    expectProblem(await t.app.inject({ method: 'GET', url: '/v1/calendar/feed' }), 401, 'unauthenticated');
    expectProblem(await t.app.inject({ method: 'POST', url: '/v1/calendar/feed' }), 401, 'unauthenticated');
  });

  it('leaves out bookings that ended more than 90 days ago', async () => {
    const url = (await feed(tokens.customer, 'POST')).json<{ url: string }>().url;
    clock.advance(100 * 86_400_000);
    try {
      const { events } = expectCalendar(await t.app.inject({ method: 'GET', url: path(url) }));
      // The confirmed booking is still active (nobody ran the no-show sweep), so it stays; the cancelled one is gone.
      const uids = events.map((e) => get(e, 'UID'));
      expect(uids).toContain(`${confirmed}@qihub`);
      expect(uids).not.toContain(`${cancelled}@qihub`);
    } finally {
      clock.advance(-100 * 86_400_000);
    }
  });
});

describe('feed URLs made before feed tokens were hashed', () => {
  it('keep working after the migration that hashes them, and no plain token is left', async () => {
    const db = await createTestDatabase({ empty: true });
    let app: Awaited<ReturnType<typeof buildTestApp>> | undefined;
    try {
      await migrateBefore(db, '_calendar_feed_token_hash');
      const secret = 'Q'.repeat(18) + '_old-feed-url-still-works'; // 43 characters, as minted
      const { rows } = await db.pool.query<{ id: string }>(
        "INSERT INTO users (email, password_hash, display_name) VALUES ('feed@old.test', 'x', '老订阅') RETURNING id",
      );
      await db.pool.query('INSERT INTO calendar_feeds (user_id, token) VALUES ($1, $2)', [rows[0]!.id, secret]);

      await runMigrations(db.db);
      const columns = await db.pool.query<{ column_name: string }>(
        "SELECT column_name FROM information_schema.columns WHERE table_name = 'calendar_feeds' ORDER BY 1",
      );
      expect(columns.rows.map((c) => c.column_name)).toEqual(['created_at', 'token_hash', 'user_id']);
      const stored = await db.pool.query<{ token_hash: string }>('SELECT token_hash FROM calendar_feeds');
      expect(stored.rows).toEqual([{ token_hash: createHash('sha256').update(secret).digest('hex') }]);

      app = await buildTestApp(db);
      const { calendar } = expectCalendar(await app.inject({ method: 'GET', url: `/v1/calendar/feeds/${secret}.ics` }));
      expect(get(calendar, 'X-WR-CALNAME')).toContain('老订阅');
    } finally {
      await app?.close();
      await db.drop();
    }
  }, 120_000); // it runs every migration on an empty database
});
