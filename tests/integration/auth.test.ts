import type { FastifyInstance } from 'fastify';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, buildTestApp, DEMO_PASSWORD, expectProblem, login, testClock } from '../support/app.ts';
import { countRows, createTestDatabase, type TestDatabase } from '../support/db.ts';
import { USERS } from '../support/scenario.ts';

let db: TestDatabase;
let app: FastifyInstance;
const clock = testClock();

beforeAll(async () => {
  db = await createTestDatabase();
  app = await buildTestApp(db, { clock, env: { SESSION_TTL_MINUTES: '60' } });
});
afterAll(async () => {
  await app.close();
  await db.drop();
});

describe('login', () => {
  it('sets an httpOnly SameSite cookie and returns a bearer token that both work', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/v1/auth/login',
      payload: { email: USERS.sme, password: DEMO_PASSWORD },
    });
    expect(res.statusCode).toBe(200);
    const body = res.json<{
      token: string;
      user: { email: string; memberships: { orgKind: string; role: string }[] };
    }>();
    expect(body.user.email).toBe(USERS.sme);
    expect(body.user.memberships).toEqual([expect.objectContaining({ orgKind: 'enterprise', role: 'owner' })]);
    const cookie = String(res.headers['set-cookie']);
    expect(cookie).toMatch(/qihub_session=/);
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);

    const viaBearer = await app.inject({ method: 'GET', url: '/v1/auth/me', headers: bearer(body.token) });
    expect(viaBearer.json<{ email: string }>().email).toBe(USERS.sme);
    const viaCookie = await app.inject({ method: 'GET', url: '/v1/auth/me', cookies: { qihub_session: body.token } });
    expect(viaCookie.json<{ email: string }>().email).toBe(USERS.sme);
  });

  it('accepts the email in any case', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/v1/auth/login',
      payload: { email: 'SME@Demo.QIHub.test', password: DEMO_PASSWORD },
    });
    expect(res.statusCode).toBe(200);
  });

  it('refuses a wrong password and an unknown email with the same answer', async () => {
    const sessionsBefore = await countRows(db, 'sessions');
    expectProblem(
      await app.inject({
        method: 'POST',
        url: '/v1/auth/login',
        payload: { email: USERS.sme, password: 'wrong-password' },
      }),
      401,
      'invalid_credentials',
    );
    expectProblem(
      await app.inject({
        method: 'POST',
        url: '/v1/auth/login',
        payload: { email: 'nobody@demo.qihub.test', password: DEMO_PASSWORD },
      }),
      401,
      'invalid_credentials',
    );
    expect(await countRows(db, 'sessions')).toBe(sessionsBefore);
  });

  it('stores passwords as argon2id at or above the OWASP minimum', async () => {
    const { rows } = await db.pool.query<{ password_hash: string }>(
      'SELECT password_hash FROM users WHERE email = $1',
      [USERS.sme],
    );
    const match = /^\$argon2id\$v=19\$m=(\d+),t=(\d+),p=(\d+)\$/.exec(rows[0]!.password_hash);
    expect(match).not.toBeNull();
    expect(Number(match![1])).toBeGreaterThanOrEqual(19456);
    expect(Number(match![2])).toBeGreaterThanOrEqual(2);
  });

  it('expires sessions after their lifetime and on logout', async () => {
    const token = await login(app, USERS.sme2);
    expect((await app.inject({ method: 'GET', url: '/v1/auth/me', headers: bearer(token) })).statusCode).toBe(200);
    clock.advance(61 * 60_000);
    expectProblem(
      await app.inject({ method: 'GET', url: '/v1/auth/me', headers: bearer(token) }),
      401,
      'unauthenticated',
    );

    const second = await login(app, USERS.sme2);
    const out = await app.inject({ method: 'POST', url: '/v1/auth/logout', headers: bearer(second) });
    expect(out.statusCode).toBe(204);
    expectProblem(
      await app.inject({ method: 'GET', url: '/v1/auth/me', headers: bearer(second) }),
      401,
      'unauthenticated',
    );
  });

  it('ignores a forged or malformed token', async () => {
    expectProblem(
      await app.inject({ method: 'GET', url: '/v1/auth/me', headers: bearer('qhs_forged') }),
      401,
      'unauthenticated',
    );
    expectProblem(
      await app.inject({ method: 'GET', url: '/v1/auth/me', headers: { authorization: 'Basic abc' } }),
      401,
      'unauthenticated',
    );
  });
});

describe('rate limiting', () => {
  it('answers 429 problem+json after too many login attempts', async () => {
    const limited = await buildTestApp(db, { env: { AUTH_RATE_LIMIT_MAX: '3' } });
    try {
      const attempt = () =>
        limited.inject({ method: 'POST', url: '/v1/auth/login', payload: { email: USERS.sme, password: 'nope-nope' } });
      for (let i = 0; i < 3; i++) expect((await attempt()).statusCode).toBe(401);
      expectProblem(await attempt(), 429, 'rate_limited');
      // A correct password does not get through either while limited.
      expectProblem(
        await limited.inject({
          method: 'POST',
          url: '/v1/auth/login',
          payload: { email: USERS.sme, password: DEMO_PASSWORD },
        }),
        429,
        'rate_limited',
      );
    } finally {
      await limited.close();
    }
  });
});

describe('rate limiting per account and per address', () => {
  const from = (address: string, email: string, password: string) => ({
    method: 'POST' as const,
    url: '/v1/auth/login',
    // The web server beside the API passes the browser's address on (TRUST_PROXY=loopback).
    headers: { 'x-forwarded-for': address },
    payload: { email, password },
  });

  it('holds an account after its failed sign-ins from many addresses, and only that account', async () => {
    const limited = await buildTestApp(db, { env: { AUTH_ACCOUNT_FAILURES_MAX: '3' } });
    try {
      for (let i = 1; i <= 3; i++) {
        expectProblem(await limited.inject(from(`203.0.113.${i}`, USERS.sme, 'nope-nope')), 401, 'invalid_credentials');
      }
      // A fourth address, even with the right password, is held for the window.
      const held = await limited.inject(from('203.0.113.9', USERS.sme.toUpperCase(), DEMO_PASSWORD));
      expectProblem(held, 429, 'rate_limited');
      expect(Number(held.headers['retry-after'])).toBeGreaterThan(0);
      // Another person behind the same addresses signs in.
      expect((await limited.inject(from('203.0.113.1', USERS.sme2, DEMO_PASSWORD))).statusCode).toBe(200);
    } finally {
      await limited.close();
    }
  });

  it('counts only failures against the account: people who sign in correctly are never held', async () => {
    const limited = await buildTestApp(db, { env: { AUTH_ACCOUNT_FAILURES_MAX: '2' } });
    try {
      for (let i = 0; i < 5; i++) {
        expect((await limited.inject(from(`198.51.100.${i}`, USERS.lab, DEMO_PASSWORD))).statusCode).toBe(200);
      }
    } finally {
      await limited.close();
    }
  });

  it('limits each address on its own: one client guessing does not hold another address', async () => {
    const limited = await buildTestApp(db, { env: { AUTH_RATE_LIMIT_MAX: '3', AUTH_ACCOUNT_FAILURES_MAX: '100' } });
    try {
      for (let i = 0; i < 3; i++) {
        expect((await limited.inject(from('192.0.2.7', `nobody${i}@example.cn`, 'nope-nope'))).statusCode).toBe(401);
      }
      expectProblem(await limited.inject(from('192.0.2.7', USERS.sme, DEMO_PASSWORD)), 429, 'rate_limited');
      expect((await limited.inject(from('192.0.2.8', USERS.sme, DEMO_PASSWORD))).statusCode).toBe(200);
    } finally {
      await limited.close();
    }
  });
});

describe('registration', () => {
  const enterprise = {
    kind: 'enterprise',
    email: 'new.owner@example.cn',
    password: 'a-long-password',
    displayName: '陈工',
    organisation: {
      nameZh: '苏州测试精密部件有限公司',
      nameEn: 'Suzhou Test Precision Parts Co., Ltd.',
      creditCode: '91320594MA1MBKQ15M',
      regionCode: '320500',
    },
  };

  it('rejects an invalid credit code with a field error and writes nothing', async () => {
    const before = [
      await countRows(db, 'organisations'),
      await countRows(db, 'users'),
      await countRows(db, 'audit_log'),
    ];
    const bad = {
      ...enterprise,
      organisation: { ...enterprise.organisation, creditCode: '91320594MA1MBKQ15A' /* check character should be M */ },
    };
    const body = expectProblem(
      await app.inject({ method: 'POST', url: '/v1/auth/register', payload: bad }),
      400,
      'validation_failed',
    );
    expect(body.errors).toEqual([
      expect.objectContaining({ path: '/organisation/creditCode', code: 'invalid_credit_code' }),
    ]);
    expect([
      await countRows(db, 'organisations'),
      await countRows(db, 'users'),
      await countRows(db, 'audit_log'),
    ]).toEqual(before);
  });

  it('registers an enterprise, signs its owner in, audits it and queues a welcome', async () => {
    const { rows: codes } = await db.pool.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM organisations WHERE credit_code = $1',
      [enterprise.organisation.creditCode],
    );
    expect(codes[0]!.n).toBe(0);
    const res = await app.inject({ method: 'POST', url: '/v1/auth/register', payload: enterprise });
    expect(res.statusCode, res.body).toBe(201);
    const body = res.json<{ token: string; user: { memberships: { role: string; orgStatus: string }[] } }>();
    expect(body.user.memberships).toEqual([expect.objectContaining({ role: 'owner', orgStatus: 'active' })]);
    const { rows } = await db.pool.query('SELECT action FROM audit_log WHERE action = $1', ['enterprise.registered']);
    expect(rows.length).toBe(1);
    const { rows: outbox } = await db.pool.query('SELECT topic FROM outbox WHERE topic = $1', ['notify.welcome']);
    expect(outbox.length).toBe(1);

    expectProblem(
      await app.inject({ method: 'POST', url: '/v1/auth/register', payload: enterprise }),
      409,
      'email_taken',
    );
    const sameCode = { ...enterprise, email: 'other@example.cn' };
    expectProblem(
      await app.inject({ method: 'POST', url: '/v1/auth/register', payload: sameCode }),
      409,
      'credit_code_taken',
    );
  });

  it('takes a lab application as pending, out of the public catalogue', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/v1/auth/register',
      payload: {
        kind: 'lab',
        email: 'apply@lab.example.cn',
        password: 'another-long-password',
        displayName: '周主任',
        organisation: {
          nameZh: '无锡新材料检测中心',
          creditCode: '12320200466000000E',
          regionCode: '320200',
          labType: 'materials',
        },
      },
    });
    expect(res.statusCode, res.body).toBe(201);
    const body = res.json<{ user: { memberships: { role: string; orgStatus: string; orgId: string }[] } }>();
    expect(body.user.memberships[0]).toEqual(expect.objectContaining({ role: 'manager', orgStatus: 'pending' }));
    expectProblem(
      await app.inject({ method: 'GET', url: `/v1/labs/${body.user.memberships[0]!.orgId}` }),
      404,
      'not_found',
    );
  });

  it('asks a lab for its kind and an unknown region is a field error', async () => {
    const body = expectProblem(
      await app.inject({
        method: 'POST',
        url: '/v1/auth/register',
        payload: {
          ...enterprise,
          kind: 'lab',
          email: 'x@example.cn',
          organisation: { ...enterprise.organisation, regionCode: '999999' },
        },
      }),
      400,
      'validation_failed',
    );
    expect(body.errors!.map((e) => e.code).sort()).toEqual(['required', 'unknown_region']);
  });
});

describe('rate limiting while Redis is down', () => {
  /** A Redis client that never connects: every command fails at once. */
  function unreachableRedis(): Redis {
    const dead = new Redis('redis://127.0.0.1:1', {
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      lazyConnect: true,
    });
    dead.on('error', () => undefined);
    return dead;
  }

  it('keeps a login limit while Redis is down: each process counts on its own', async () => {
    const dead = unreachableRedis();
    const app = await buildTestApp(db, { redis: dead, env: { AUTH_RATE_LIMIT_MAX: '3' } });
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

  it('does not hang logins while Redis is down: rate limiting pauses and the request is answered', async () => {
    const dead = unreachableRedis();
    const app = await buildTestApp(db, { redis: dead });
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
