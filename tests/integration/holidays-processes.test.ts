import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aNoSampleService, anOrder, ok, type Detail } from '../factories/index.ts';
import { bearer, buildTestApp, DEMO_PASSWORD, login, testClock } from '../support/app.ts';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';
import { REDIS_URL } from '../support/env.ts';
import {
  killProcess,
  setProcessClock,
  startApiProcess,
  waitUntilReady,
  type ProductProcess,
} from '../support/processes.ts';
import { anInstrumentOf, orgOf, USERS } from '../support/scenario.ts';
import { freePort } from '../support/servers.ts';

/**
 * The holiday calendar is kept in memory by every process and checked against the database's
 * stamp before each availability or due-date computation: a year entered through one API process
 * is used by the very next computation of another (here this test's own app, and an API process
 * started the way its package starts it, on the same database), with no wait and no polling.
 * 2027 is not in the `chinese-days` package: until entered, only its statutory holidays count.
 */
const T0 = '2026-11-26T02:00:00Z';
const noRedis = process.env.QIHUB_TEST_NO_REDIS === '1';

let db: TestDatabase;
let here: FastifyInstance;
let there: ProductProcess | undefined;
let thereUrl = '';
const dir = mkdtempSync(path.join(os.tmpdir(), 'qihub-holidays-'));
const clock = testClock(new Date(T0));
const tk = { hereAdmin: '', thereAdmin: '', sme: '', lab: '' };
let instrumentId: string;
let labId: string;

async function thereCall(method: string, url: string, token: string, body?: unknown) {
  const res = await fetch(new URL(url, thereUrl), {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  return { status: res.status, text: await res.text() };
}

/** The number of 60-minute slots a whole China day offers, asked of this app or of the other process. */
async function slotsOn(where: 'here' | 'there', date: string): Promise<number> {
  const from = new Date(`${date}T00:00:00+08:00`).toISOString();
  const to = new Date(`${date}T23:59:00+08:00`).toISOString();
  const url = `/v1/instruments/${instrumentId}/availability?from=${from}&to=${to}&durationMinutes=60`;
  if (where === 'here') return ok<{ slots: unknown[] }>(await here.inject({ method: 'GET', url })).slots.length;
  const res = await fetch(new URL(url, thereUrl));
  expect(res.status).toBe(200);
  return ((await res.json()) as { slots: unknown[] }).slots.length;
}

beforeAll(async () => {
  db = await createTestDatabase();
  here = await buildTestApp(db, { clock });
  const clockFile = path.join(dir, 'now');
  setProcessClock(clockFile, T0);
  const port = await freePort();
  thereUrl = `http://127.0.0.1:${port}`;
  there = startApiProcess('api-there', {
    NODE_ENV: 'test',
    DATABASE_URL: db.url,
    ...(noRedis ? {} : { REDIS_URL, QUEUE_PREFIX: `qihub_hol_${port}` }),
    QIHUB_TEST_CLOCK_FILE: clockFile,
    FILES_DIR: path.join(dir, 'files'),
    API_PORT: String(port),
    SEED_DEMO: 'false',
    LOG_LEVEL: 'warn',
    AUTH_RATE_LIMIT_MAX: '10000',
    QIHUB_ENV_FILE: '/dev/null',
  });
  // Started as its package starts it (tsx compiles the API on the way): slow on a busy machine.
  await waitUntilReady(`${thereUrl}/readyz`, 240_000).catch((err: unknown) => {
    throw new Error(`${String(err)}\n${there?.output().slice(-3000)}`);
  });
  tk.hereAdmin = await login(here, USERS.admin);
  const res = await fetch(new URL('/v1/auth/login', thereUrl), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: USERS.admin, password: DEMO_PASSWORD }),
  });
  expect(res.status).toBe(200);
  tk.thereAdmin = ((await res.json()) as { token: string }).token;
  tk.sme = await login(here, USERS.sme);
  tk.lab = await login(here, USERS.lab);
  labId = await orgOf(db, USERS.lab);
  instrumentId = (await anInstrumentOf(db, labId)).id;
}, 300_000);

afterAll(async () => {
  await killProcess(there);
  await here?.close();
  await db?.drop();
  rmSync(dir, { recursive: true, force: true });
});

describe('a holiday year entered in one process, used by another at once', () => {
  it('availability here follows a year entered there, on the very next request', async () => {
    // Both processes have read the calendar: Saturday 9 January 2027 closed, Monday the 4th open.
    for (const where of ['here', 'there'] as const) {
      expect(await slotsOn(where, '2027-01-09')).toBe(0);
      expect(await slotsOn(where, '2027-01-04')).toBeGreaterThan(0);
    }
    const put = await thereCall('PUT', '/v1/admin/holidays/2027', tk.thereAdmin, {
      holidays: ['2027-01-01', '2027-01-02', '2027-01-03', '2027-01-04'],
      makeupWorkdays: ['2027-01-09'],
      note: '国办发明电〔2026〕测试号',
    });
    expect(put.status, put.text).toBe(200);
    expect(await slotsOn('here', '2027-01-09')).toBeGreaterThan(0);
    expect(await slotsOn('here', '2027-01-04')).toBe(0);
  });

  it('a due date promised here counts the working days of the year entered there', async () => {
    // Wednesday 30 December 2026: five working days on the entered calendar are 31 December and
    // 5–8 January (1–4 January off) → the end of Friday the 8th; on the statutory one (only
    // 1 January off) they would end on Thursday the 7th.
    clock.now = new Date('2026-12-30T02:00:00Z');
    // Sessions of a month ago have lapsed: sign in on the day.
    tk.sme = await login(here, USERS.sme);
    tk.lab = await login(here, USERS.lab);
    const serviceId = await aNoSampleService(db, labId);
    const order = anOrder({ app: here, db }, { customer: tk.sme, lab: tk.lab, labId }).ofService(serviceId, 1);
    const d: Detail = await order.accepted({ deadlineTierDays: 5 });
    expect(d.order.clockStartedAt).toBe('2026-12-30T02:00:00.000Z');
    expect(d.order.dueAt).toBe('2027-01-08T15:59:59.999Z');
  });

  it('and the other way round: a correction entered here is used there at once', async () => {
    clock.now = new Date(T0);
    const put = await here.inject({
      method: 'PUT',
      url: '/v1/admin/holidays/2027',
      headers: bearer(tk.hereAdmin),
      payload: { holidays: ['2027-01-01'], makeupWorkdays: [] },
    });
    expect(put.statusCode, put.body).toBe(200);
    expect(await slotsOn('there', '2027-01-09')).toBe(0);
    expect(await slotsOn('there', '2027-01-04')).toBeGreaterThan(0);
    expect(await slotsOn('here', '2027-01-04')).toBeGreaterThan(0);
  });
});
