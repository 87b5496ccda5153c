import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { creditCodeCheckCharacter } from '@qihub/api/lib/credit-code';
import { encodeCursor } from '@qihub/api/lib/cursor';
import { relayOutbox, returnToOutbox, startInlineRunner } from '@qihub/api/jobs';
import { runMigrations } from '@qihub/db';
import { bearer, buildTestApp, DEMO_PASSWORD, expectProblem, login, useSeededApp } from '../support/app.ts';
import { createTestDatabase } from '../support/db.ts';
import { aServiceOf, aSiteOf, anInstrumentOf, newInstrumentBody, orgOf, USERS } from '../support/scenario.ts';

/** Regressions for defects found in review: each test failed before its fix. */
const t = useSeededApp();

async function applyAsLab(email: string, body17: string) {
  const res = await t.app.inject({
    method: 'POST',
    url: '/v1/auth/register',
    payload: {
      kind: 'lab',
      email,
      password: 'a-long-enough-password',
      displayName: '申请人',
      organisation: {
        nameZh: '待审核实验室',
        creditCode: body17 + creditCodeCheckCharacter(body17),
        regionCode: '320500',
        labType: 'materials',
      },
    },
  });
  expect(res.statusCode, res.body).toBe(201);
  const body = res.json<{ token: string; user: { memberships: { orgId: string }[] } }>();
  return { token: body.token, labId: body.user.memberships[0]!.orgId };
}

describe('catalogue entries of labs that are not admitted', () => {
  it('are hidden from the public by id until the platform admits the lab', async () => {
    const { token, labId } = await applyAsLab('pending.lab@example.cn', '12320500466000009');
    const site = await t.app.inject({
      method: 'POST',
      url: `/v1/labs/${labId}/services`,
      headers: bearer(token),
      payload: { kind: 'training', nameZh: '未审核的培训', priceModel: 'fixed', priceAmount: 100 },
    });
    expect(site.statusCode, site.body).toBe(201);
    const serviceId = site.json<{ id: string }>().id;
    expectProblem(await t.app.inject({ method: 'GET', url: `/v1/services/${serviceId}` }), 404, 'not_found');
    expect(
      (await t.app.inject({ method: 'GET', url: `/v1/services/${serviceId}`, headers: bearer(token) })).statusCode,
    ).toBe(200);
    const admin = await login(t.app, USERS.admin);
    expect(
      (await t.app.inject({ method: 'POST', url: `/v1/admin/labs/${labId}/admit`, headers: bearer(admin) })).statusCode,
    ).toBe(200);
    expect((await t.app.inject({ method: 'GET', url: `/v1/services/${serviceId}` })).statusCode).toBe(200);
  });

  it("another lab's retired instrument is not found rather than forbidden", async () => {
    const labId = await orgOf(t.db, USERS.lab);
    const manager = await login(t.app, USERS.lab);
    const created = await t.app.inject({
      method: 'POST',
      url: `/v1/labs/${labId}/instruments`,
      headers: bearer(manager),
      payload: newInstrumentBody(await aSiteOf(t.db, labId)),
    });
    const id = created.json<{ id: string }>().id;
    await t.app.inject({ method: 'POST', url: `/v1/instruments/${id}/retire`, headers: bearer(manager) });
    const other = await login(t.app, USERS.lab2);
    expectProblem(
      await t.app.inject({
        method: 'PATCH',
        url: `/v1/instruments/${id}`,
        headers: bearer(other),
        payload: { nameEn: 'x' },
      }),
      404,
      'not_found',
    );
  });
});

describe('API tokens', () => {
  it('stop working when the manager who minted them leaves the lab or is disabled', async () => {
    const labId = await orgOf(t.db, USERS.lab);
    const manager = await login(t.app, USERS.lab);
    const mint = async (name: string) =>
      (
        await t.app.inject({
          method: 'POST',
          url: `/v1/orgs/${labId}/api-tokens`,
          headers: bearer(manager),
          payload: { name, role: 'manager' },
        })
      ).json<{ token: string }>().token;
    const first = await mint('LIMS');
    const second = await mint('Instrument PC');
    const instrument = await anInstrumentOf(t.db, labId);
    const touch = (token: string) =>
      t.app.inject({
        method: 'PATCH',
        url: `/v1/instruments/${instrument.id}`,
        headers: bearer(token),
        payload: { descriptionEn: 'ping' },
      });
    expect((await touch(first)).statusCode).toBe(200);

    await t.db.pool.query(
      "UPDATE memberships SET role = 'staff' WHERE user_id = (SELECT id FROM users WHERE email = $1)",
      [USERS.lab],
    );
    expectProblem(await touch(first), 401, 'unauthenticated');
    await t.db.pool.query(
      "UPDATE memberships SET role = 'manager' WHERE user_id = (SELECT id FROM users WHERE email = $1)",
      [USERS.lab],
    );
    expect((await touch(second)).statusCode).toBe(200);
    await t.db.pool.query('UPDATE users SET disabled_at = now() WHERE email = $1', [USERS.lab]);
    expectProblem(await touch(second), 401, 'unauthenticated');
    await t.db.pool.query('UPDATE users SET disabled_at = NULL WHERE email = $1', [USERS.lab]);
  });
});

describe('lists and cursors', () => {
  it('answer a tampered cursor with 400, never 500', async () => {
    const bad = [
      encodeCursor('price_asc', 'abc', '00000000-0000-4000-8000-000000000000'),
      encodeCursor('name', 'x', '------------------------------------'),
      encodeCursor('newest', 'yesterday', '00000000-0000-4000-8000-000000000000'),
      encodeCursor('relevance', 'high', '00000000-0000-4000-8000-000000000000'),
    ];
    for (const [i, cursor] of bad.entries()) {
      const sort = ['price_asc', 'name', 'newest', 'relevance'][i]!;
      for (const path of ['/v1/instruments', '/v1/services']) {
        expectProblem(
          await t.app.inject({ method: 'GET', url: `${path}?sort=${sort}&q=sem&cursor=${cursor}` }),
          400,
          'invalid_cursor',
        );
      }
    }
  });

  it('page the platform admin list of labs', async () => {
    const admin = await login(t.app, USERS.admin);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const url: string = `/v1/admin/labs?limit=2${cursor ? `&cursor=${cursor}` : ''}`;
      const res = await t.app.inject({
        method: 'GET',
        url,
        headers: bearer(admin),
      });
      expect(res.statusCode, res.body).toBe(200);
      const page: { items: { id: string }[]; nextCursor: string | null } = res.json();
      seen.push(...page.items.map((l) => l.id));
      cursor = page.nextCursor;
    } while (cursor);
    const { rows } = await t.db.pool.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM organisations WHERE kind = 'lab' AND region_code LIKE '32%'",
    );
    expect(seen.length).toBe(rows[0]!.n);
    expect(new Set(seen).size).toBe(seen.length);
  });
});

describe('concurrency', () => {
  it('concurrent price edits of one service never produce a 500 or a price that breaks its model', async () => {
    const labId = await orgOf(t.db, USERS.lab);
    const manager = await login(t.app, USERS.lab);
    const { id } = await aServiceOf(t.db, labId);
    const edits = Array.from({ length: 30 }, (_, i) =>
      t.app.inject({
        method: 'PATCH',
        url: `/v1/services/${id}`,
        headers: bearer(manager),
        payload: i % 2 === 0 ? { priceModel: 'on_quote', priceAmount: null } : { priceAmount: 555 + i },
      }),
    );
    const statuses = (await Promise.all(edits)).map((r) => r.statusCode);
    expect(statuses.every((s) => s === 200 || s === 400)).toBe(true);
    const { rows } = await t.db.pool.query<{ price_model: string; price_amount: number | null }>(
      'SELECT price_model, price_amount FROM services WHERE id = $1',
      [id],
    );
    expect((rows[0]!.price_model === 'on_quote') === (rows[0]!.price_amount === null)).toBe(true);
  });

  it('replicas that migrate one fresh database at the same time both succeed', async () => {
    const fresh = await createTestDatabase({ empty: true });
    const other = await createTestDatabase({ empty: true });
    await other.drop();
    try {
      const { createDb } = await import('@qihub/db');
      const second = createDb(fresh.url, { max: 2 });
      await Promise.all([runMigrations(fresh.db), runMigrations(second.db), runMigrations(fresh.db)]);
      await second.close();
      const { rows } = await fresh.pool.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM drizzle.__drizzle_migrations',
      );
      expect(rows[0]!.n).toBeGreaterThan(0);
    } finally {
      await fresh.drop();
    }
  });
});

describe('jobs that cannot be delivered', () => {
  it('an unknown job is parked as a dead letter instead of retried for ever', async () => {
    await t.db.pool.query("INSERT INTO outbox (topic, payload, dedupe_key) VALUES ('no.such-job', '{}', 'dead:test')");
    const inline = startInlineRunner(t.db.db, { intervalMs: 60_000 });
    await inline.tick();
    await inline.stop();
    const { rows } = await t.db.pool.query<{ relayed_at: Date | null; last_error: string }>(
      "SELECT relayed_at, last_error FROM outbox WHERE dedupe_key = 'dead:test'",
    );
    expect(rows[0]!.relayed_at).not.toBeNull();
    expect(rows[0]!.last_error).toMatch(/^dead: /);
  });

  it('a job out of retries goes back to the outbox for a later sweep', async () => {
    await t.db.pool.query(
      "INSERT INTO outbox (topic, payload, dedupe_key, relayed_at) VALUES ('notify.welcome', '{}', 'welcome:retry-me', now())",
    );
    expect(await returnToOutbox(t.db.db, 'welcome_retry-me', 'smtp down', 0)).toBe(true);
    const dispatched: string[] = [];
    await relayOutbox(t.db.db, async (_topic, _payload, jobId) => {
      dispatched.push(jobId);
    });
    expect(dispatched).toContain('welcome:retry-me');
  });
});

describe('Redis outages', () => {
  it('keep a login limit: each process counts on its own while Redis is down', async () => {
    const dead = new Redis('redis://127.0.0.1:1', {
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      lazyConnect: true,
    });
    dead.on('error', () => undefined);
    const app = await buildTestApp(t.db, { redis: dead, env: { AUTH_RATE_LIMIT_MAX: '3' } });
    try {
      const attempt = () =>
        app.inject({ method: 'POST', url: '/v1/auth/login', payload: { email: USERS.sme2, password: 'nope-nope' } });
      for (let i = 0; i < 3; i++) expect((await attempt()).statusCode).toBe(401);
      expectProblem(await attempt(), 429, 'rate_limited');
    } finally {
      await app.close();
      dead.disconnect();
    }
  });

  it('do not hang logins: rate limiting pauses and the request is answered', async () => {
    const dead = new Redis('redis://127.0.0.1:1', {
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      lazyConnect: true,
    });
    dead.on('error', () => undefined);
    const app = await buildTestApp(t.db, { redis: dead });
    try {
      const res = await app.inject({
        method: 'POST',
        url: '/v1/auth/login',
        payload: { email: USERS.sme, password: DEMO_PASSWORD },
      });
      expect(res.statusCode).toBe(200);
      const ready = await app.inject({ method: 'GET', url: '/readyz' });
      expect(ready.statusCode).toBe(503);
    } finally {
      await app.close();
      dead.disconnect();
    }
  });
});
