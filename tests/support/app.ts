import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, expect } from 'vitest';
import { buildApp, loadConfig, type ProblemCode } from '@qihub/api';
import type { JobQueue } from '@qihub/api/jobs';
import type { Redis } from 'ioredis';
import { createTestDatabase, type TestDatabase } from './db.ts';
import { journeyClock } from './journey-clock.ts';

export const DEMO_PASSWORD = 'qihub-demo';

export interface TestClock {
  now: Date;
  advance(ms: number): void;
}

/** Thursday 26 November 2026, 10:00 in China: the demo seed's "today". */
export const TEST_EPOCH = new Date('2026-11-26T02:00:00Z');

/** A clock that stands still until a test advances it. */
export function testClock(start = TEST_EPOCH): TestClock {
  const clock = {
    now: start,
    advance(ms: number) {
      clock.now = new Date(clock.now.getTime() + ms);
    },
  };
  return clock;
}

export async function buildTestApp(
  db: TestDatabase,
  options: { env?: Record<string, string>; clock?: TestClock; queue?: JobQueue | null; redis?: Redis | null } = {},
): Promise<FastifyInstance> {
  const config = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    AUTH_RATE_LIMIT_MAX: '1000',
    // Each app gets its own file folder (uploads, report PDFs), removed with the OS temp folder.
    FILES_DIR: mkdtempSync(path.join(os.tmpdir(), 'qihub-files-')),
    ...options.env,
  });
  // Never the real clock: a test's outcome must not depend on the day it runs. Without a clock of
  // its own, a test runs on one that starts at the test epoch and keeps running.
  const clock = options.clock ?? journeyClock(TEST_EPOCH);
  const app = await buildApp(
    {
      config,
      db: db.db,
      clock: () => clock.now,
      queue: options.queue ?? null,
      redis: options.redis ?? null,
    },
    { logger: false },
  );
  await app.ready();
  return app;
}

export async function login(app: FastifyInstance, email: string, password = DEMO_PASSWORD): Promise<string> {
  const res = await app.inject({ method: 'POST', url: '/v1/auth/login', payload: { email, password } });
  expect(res.statusCode, res.body).toBe(200);
  return res.json<{ token: string }>().token;
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

/**
 * Asserts an RFC 9457 problem with the given status and stable code; returns the body.
 * `expectProblem(res, 'slot_unavailable')` asserts the code, and that the body's status is the
 * response's and a 4xx or 5xx, for a test that names the problem rather than its HTTP status.
 */
export function expectProblem(res: LightMyRequestResponse, code: ProblemCode): ProblemBody;
export function expectProblem(res: LightMyRequestResponse, status: number, code: ProblemCode): ProblemBody;
export function expectProblem(
  res: LightMyRequestResponse,
  statusOrCode: number | ProblemCode,
  maybeCode?: ProblemCode,
) {
  const [status, code] = typeof statusOrCode === 'number' ? [statusOrCode, maybeCode!] : [res.statusCode, statusOrCode];
  expect(res.statusCode, res.body).toBe(status);
  expect(res.statusCode, res.body).toBeGreaterThanOrEqual(400);
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  const body = res.json<ProblemBody>();
  expect(body.code, res.body).toBe(code);
  expect(body.status).toBe(status);
  return body;
}

export interface ProblemBody {
  code: string;
  status: number;
  errors?: { path: string; code: string }[];
}

/**
 * One seeded database and one app for a test file, created before its tests and dropped after.
 * Read `t.app` / `t.db` inside tests (they are set by the time a test runs).
 */
export function useSeededApp(options: { env?: Record<string, string>; clock?: TestClock } = {}) {
  const t = {} as { db: TestDatabase; app: FastifyInstance };
  beforeAll(async () => {
    t.db = await createTestDatabase();
    t.app = await buildTestApp(t.db, options);
  });
  afterAll(async () => {
    await t.app?.close();
    await t.db?.drop();
  });
  return t;
}
