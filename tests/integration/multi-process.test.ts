import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { Queue, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QUEUE_NAME, type JobName } from '@qihub/api/jobs';
import { DEMO_PASSWORD } from '../support/app.ts';
import { aSingleUnitInstrument } from '../support/booking-jobs.ts';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';
import { REDIS_URL } from '../support/env.ts';
import {
  killProcess,
  setProcessClock,
  startApiProcess,
  startWorkerProcess,
  waitUntilReady,
  type ProductProcess,
} from '../support/processes.ts';
import { allowManyHolds, orgOf, USERS } from '../support/scenario.ts';
import { freePort } from '../support/servers.ts';

/**
 * The product as it is deployed when it outgrows one process: two API processes and two workers,
 * started the way their packages start them, on one PostgreSQL database (fresh and empty) and one
 * Redis (a queue prefix of this file's own). All four read "now" from a test clock file, so the
 * bookings, the sweeps and their effects happen on fixed dates whatever today is.
 *
 * The tests run in order and share the processes: the workers wait for the schema the first API
 * migrates; bookings race for the same slots through both APIs; the sweeps run on both workers;
 * a worker is killed in the middle of its jobs and restarted; an API is stopped under load.
 */
const noRedis = process.env.QIHUB_TEST_NO_REDIS === '1';

const T0 = '2026-11-26T02:00:00Z'; // Thursday 10:00 in Shanghai: the race, the holds, the bookings
const T1 = '2026-11-29T05:00:00Z'; // Sunday 13:00: every hold has lapsed; Monday's bookings are < 24 h away
const T2 = '2026-11-30T08:00:00Z'; // Monday 16:00: the bookings that began by 05:00 had no check-in

const MINUTE = 60_000;

interface Answer {
  status: number;
  body: string;
  json<T>(): T;
}

/** One HTTP request on a connection of its own (as a load balancer's would be). */
function request(base: string, method: string, url: string, body?: unknown, token?: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    const req = http.request(
      new URL(url, base),
      {
        method,
        agent: false,
        headers: {
          ...(payload ? { 'content-type': 'application/json', 'content-length': String(payload.length) } : {}),
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          resolve({ status: res.statusCode ?? 0, body: text, json: <T>() => JSON.parse(text) as T });
        });
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

async function until<T>(what: string, probe: () => Promise<T | undefined | false>, ms = 60_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe.skipIf(noRedis)('two APIs and two workers on one database and one Redis', () => {
  const prefix = `qihub_mp_${randomBytes(4).toString('hex')}`;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'qihub-multi-'));
  const clockFile = path.join(dir, 'now');
  let db: TestDatabase;
  let redis: Redis;
  let queue: Queue;
  let env: Record<string, string>;
  const api: { a?: ProductProcess; b?: ProductProcess } = {};
  const workers: ProductProcess[] = [];
  const url = { a: '', b: '' };
  const tokens = { sme: '', sme2: '' };
  let labId: string;
  let instruments: { id: string }[] = [];
  const everyWorker: ProductProcess[] = [];

  beforeAll(async () => {
    db = await createTestDatabase({ empty: true });
    redis = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
    queue = new Queue(QUEUE_NAME, { connection: redis, prefix });
    setProcessClock(clockFile, T0);
    env = {
      NODE_ENV: 'test',
      DATABASE_URL: db.url,
      REDIS_URL,
      QUEUE_PREFIX: prefix,
      QIHUB_TEST_CLOCK_FILE: clockFile,
      FILES_DIR: path.join(dir, 'files'),
      LOG_LEVEL: 'warn',
      AUTH_RATE_LIMIT_MAX: '10000',
      // A developer's .env is not the test's business.
      QIHUB_ENV_FILE: '/dev/null',
    };
  });

  afterAll(async () => {
    await Promise.all([api.a, api.b, ...everyWorker].map((p) => killProcess(p)));
    await queue?.close();
    const keys = redis ? await redis.keys(`${prefix}:*`) : [];
    if (keys.length) await redis.del(...keys);
    redis?.disconnect();
    await db?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  const startWorker = (name: string) => {
    const w = startWorkerProcess(name, env);
    everyWorker.push(w);
    return w;
  };
  /** The name a worker process carries on the queue (a job's processedBy). */
  const queueName = (w: ProductProcess) => `${os.hostname()}:${w.child.pid}`;

  function expectNoFailedJobs() {
    for (const w of everyWorker) expect(w.output(), w.name).not.toMatch(/Failed query|failed:/);
  }

  /** Queues `count` runs of a sweep at once (as its scheduler would, many times over) and waits for them. */
  async function runSweep(name: JobName, count: number): Promise<Job[]> {
    const jobs = await queue.addBulk(Array.from({ length: count }, () => ({ name, data: {} })));
    await finished(jobs);
    return jobs;
  }

  async function finished(jobs: Job[]) {
    await until(
      `jobs ${jobs.map((j) => j.name).join(', ')}`,
      async () => {
        const states = await Promise.all(jobs.map((j) => queue.getJobState(j.id!)));
        const failed = states.indexOf('failed');
        if (failed >= 0) {
          const job = await queue.getJob(jobs[failed]!.id!);
          throw new Error(`${job?.name} failed: ${job?.failedReason}`);
        }
        return states.every((s) => s === 'completed');
      },
      90_000,
    );
  }

  it('a worker started on an empty database waits for the schema the API migrates, and then runs', async () => {
    workers.push(startWorker('worker-1'), startWorker('worker-2'));
    for (const w of workers) await w.waitForOutput(/waiting for the database schema/);
    const [portA, portB] = [await freePort(), await freePort()];
    url.a = `http://127.0.0.1:${portA}`;
    url.b = `http://127.0.0.1:${portB}`;
    // Both APIs migrate at start (one waits for the other's lock); the first seeds the demo data.
    api.a = startApiProcess('api-a', { ...env, API_PORT: String(portA), SEED_DEMO: 'true' });
    api.b = startApiProcess('api-b', {
      ...env,
      API_PORT: String(portB),
      SEED_DEMO: 'false',
      SHUTDOWN_DRAIN_MS: '5000',
    });
    await Promise.all([waitUntilReady(`${url.a}/readyz`), waitUntilReady(`${url.b}/readyz`)]);
    for (const w of workers) {
      await w.waitForOutput(/schema is up to date/);
      await w.waitForOutput(/\[worker\] processing/);
    }
    // Every sweep ran once at start (BullMQ job schedulers run at once), on the migrated schema.
    await runSweep('outbox.relay', 2);
    expectNoFailedJobs();
  }, 180_000);

  const slots = () => [
    { instrumentId: instruments[0]!.id, start: '2026-11-30T02:00:00Z', end: '2026-11-30T03:00:00Z' },
    { instrumentId: instruments[0]!.id, start: '2026-11-30T06:00:00Z', end: '2026-11-30T07:00:00Z' },
    { instrumentId: instruments[1]!.id, start: '2026-11-30T04:00:00Z', end: '2026-11-30T05:00:00Z' },
    { instrumentId: instruments[1]!.id, start: '2026-11-30T07:00:00Z', end: '2026-11-30T08:00:00Z' },
  ];
  const winners: { id: string; who: 'sme' | 'sme2' }[] = [];

  it('bookings racing for the same slots through both APIs: exactly one wins each slot', async () => {
    labId = await orgOf(db, USERS.lab);
    // The race is the subject here, not the hold limit: a customer who has already won both slots
    // of an instrument would otherwise be refused (422) before losing the race (409).
    await allowManyHolds(db, labId);
    instruments = [];
    for (let i = 0; i < 4; i++) {
      instruments.push(await aSingleUnitInstrument(db, labId, i, { leadMinutes: 60, requiresApproval: false }));
    }
    for (const who of ['sme', 'sme2'] as const) {
      const res = await request(url.a, 'POST', '/v1/auth/login', { email: USERS[who], password: DEMO_PASSWORD });
      expect(res.status, res.body).toBe(200);
      tokens[who] = res.json<{ token: string }>().token;
    }
    // Eight attempts a slot, half through each API, from two customers, all at once.
    const attempts = slots().flatMap((slot, s) =>
      Array.from({ length: 8 }, (_, k) => {
        const who = k % 4 < 2 ? ('sme' as const) : ('sme2' as const);
        return {
          s,
          who,
          call: request(k % 2 ? url.b : url.a, 'POST', '/v1/bookings', { ...slot, mode: 'self' }, tokens[who]),
        };
      }),
    );
    const answers = await Promise.all(attempts.map(async (a) => ({ ...a, res: await a.call })));
    for (let s = 0; s < slots().length; s++) {
      const mine = answers.filter((a) => a.s === s);
      const won = mine.filter((a) => a.res.status === 201);
      expect(
        won,
        `slot ${s}: ${mine.map((a) => `${a.res.status} ${a.res.body.slice(0, 80)}`).join(' | ')}`,
      ).toHaveLength(1);
      for (const lost of mine.filter((a) => a.res.status !== 201)) {
        expect(lost.res.status, lost.res.body).toBe(409);
        expect(lost.res.json<{ code: string }>().code).toBe('slot_unavailable');
      }
      winners.push({ id: won[0]!.res.json<{ id: string }>().id, who: won[0]!.who });
      const slot = slots()[s]!;
      const { rows } = await db.pool.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM bookings WHERE instrument_id = $1 AND starts_at = $2
           AND status IN ('held', 'pending_approval', 'confirmed', 'in_use')`,
        [slot.instrumentId, slot.start],
      );
      expect(rows[0]!.n).toBe(1);
    }
  }, 60_000);

  /** Bookings made at T0 on the third instrument: copies of `template`, 5 minutes apart from `from`. */
  async function manyBookings(template: string, n: number, status: 'held' | 'confirmed', from: string) {
    const instrumentId = instruments[2]!.id;
    const { rows: cols } = await db.pool.query<{ column_name: string }>(
      `SELECT column_name FROM information_schema.columns
       WHERE table_schema = 'public' AND table_name = 'bookings' AND column_name <> 'id' ORDER BY ordinal_position`,
    );
    const start = `($5::timestamptz + k * interval '5 minutes')`;
    const set: Record<string, string> = {
      instrument_id: '$2::uuid',
      unit_id: `(SELECT id FROM instrument_units WHERE instrument_id = $2::uuid AND active ORDER BY position LIMIT 1)`,
      status: '$3::booking_status',
      starts_at: start,
      ends_at: `${start} + interval '3 minutes'`,
      occupied: `tstzrange(${start}, ${start} + interval '3 minutes')`,
      hold_expires_at: `CASE WHEN $3 = 'held' THEN $4::timestamptz + interval '15 minutes' END`,
      created_at: '$4::timestamptz',
      updated_at: '$4::timestamptz',
    };
    const { rows } = await db.pool.query<{ id: string }>(
      `INSERT INTO bookings (${cols.map((c) => c.column_name).join(', ')})
       SELECT ${cols.map((c) => set[c.column_name] ?? `src.${c.column_name}`).join(', ')}
       FROM bookings src, generate_series(0, ${n - 1}) AS k WHERE src.id = $1 RETURNING id`,
      [template, instrumentId, status, T0, from],
    );
    return rows.map((r) => r.id);
  }

  const confirmed: string[] = [];
  const held: string[] = [];

  it('the hold expiry and reminder sweeps on both workers: each hold expires once, each booking is reminded once', async () => {
    // The first and third slots' winners confirm (through the other API); the other two stay held.
    for (const s of [0, 2]) {
      const w = winners[s]!;
      const res = await request(url.b, 'POST', `/v1/bookings/${w.id}/confirm`, undefined, tokens[w.who]);
      expect(res.status, res.body).toBe(200);
      expect(res.json<{ status: string }>().status).toBe('confirmed');
      confirmed.push(w.id);
    }
    held.push(winners[1]!.id, winners[3]!.id);
    // The database stamped the real time; the bookings were made at T0 on the test clock.
    await db.pool.query('UPDATE bookings SET created_at = $2 WHERE id = ANY($1)', [[...confirmed, ...held], T0]);
    // Sunday 16:00 UTC to Monday 04:25: within a day of T1, begun by T2.
    confirmed.push(...(await manyBookings(confirmed[0]!, 150, 'confirmed', '2026-11-29T16:00:00Z')));
    held.push(...(await manyBookings(confirmed[0]!, 60, 'held', '2026-11-30T09:00:00Z')));

    setProcessClock(clockFile, T1);
    // Four runs of each sweep at once, spread over both workers, then four more: nothing changes twice.
    await Promise.all([runSweep('bookings.expire-holds', 4), runSweep('bookings.send-reminders', 4)]);
    await Promise.all([runSweep('bookings.expire-holds', 4), runSweep('bookings.send-reminders', 4)]);

    const expiries = await db.pool.query<{ status: string; audits: number }>(
      `SELECT b.status::text, (SELECT count(*)::int FROM audit_log a
         WHERE a.entity_type = 'booking' AND a.entity_id = b.id::text AND a.action = 'booking.expired') AS audits
       FROM bookings b WHERE b.id = ANY($1)`,
      [held],
    );
    expect(expiries.rows).toHaveLength(62);
    expect(
      expiries.rows.every((r) => r.status === 'expired' && r.audits === 1),
      JSON.stringify(expiries.rows),
    ).toBe(true);
    const reminders = await db.pool.query<{ reminded: boolean; notes: number }>(
      `SELECT b.reminded_24h_at IS NOT NULL AS reminded, (SELECT count(*)::int FROM notifications n
         WHERE n.dedupe_key LIKE 'booking:' || b.id || ':reminder-%') AS notes
       FROM bookings b WHERE b.id = ANY($1)`,
      [confirmed],
    );
    expect(reminders.rows).toHaveLength(152);
    expect(
      reminders.rows.every((r) => r.reminded && r.notes === 1),
      JSON.stringify(reminders.rows),
    ).toBe(true);
    expectNoFailedJobs();
  }, 120_000);

  it('the no-show sweep survives a worker killed with SIGKILL in the middle of its jobs: each no-show released once', async () => {
    setProcessClock(clockFile, T2);
    const victim = workers[0]!;
    const jobs = await queue.addBulk(
      Array.from({ length: 8 }, () => ({ name: 'bookings.release-no-shows' as JobName, data: {} })),
    );
    // Catch the victim with a no-show sweep in hand, then kill it without warning.
    await until(
      'worker-1 running a no-show sweep',
      async () => {
        const active = await queue.getActive();
        return active.some((j) => j.name === 'bookings.release-no-shows' && j.processedBy === queueName(victim));
      },
      30_000,
    );
    victim.child.kill('SIGKILL');
    // Killed by the signal (no exit code): whatever transaction it had open is rolled back.
    expect(await victim.exited).toBeNull();

    // Restarted, it takes work again; the sweeps run until every due booking is released.
    workers[0] = startWorker('worker-1 (restarted)');
    await workers[0].waitForOutput(/\[worker\] processing/);
    // The killed worker's jobs stay stalled until BullMQ's lock expires; the others finish.
    const survivors: Job[] = [];
    for (const j of jobs) {
      const job = await queue.getJob(j.id!);
      if (job && job.processedBy !== queueName(victim)) survivors.push(job);
    }
    await finished(survivors);
    await runSweep('bookings.release-no-shows', 4);

    const released = await db.pool.query<{ status: string; strikes: number; notes: number; audits: number }>(
      `SELECT b.status::text,
         (SELECT count(*)::int FROM booking_violations v WHERE v.booking_id = b.id AND v.kind = 'no_show') AS strikes,
         (SELECT count(*)::int FROM notifications n WHERE n.dedupe_key = 'booking:' || b.id || ':no-show') AS notes,
         (SELECT count(*)::int FROM audit_log a
           WHERE a.entity_type = 'booking' AND a.entity_id = b.id::text AND a.action = 'booking.no_show') AS audits
       FROM bookings b WHERE b.id = ANY($1)`,
      [confirmed],
    );
    expect(released.rows).toHaveLength(152);
    expect(
      released.rows.every((r) => r.status === 'no_show' && r.strikes === 1 && r.notes === 1 && r.audits === 1),
      JSON.stringify(released.rows.filter((r) => !(r.strikes === 1 && r.notes === 1 && r.audits === 1))),
    ).toBe(true);
    expectNoFailedJobs();
  }, 120_000);

  it('SIGTERM to an API under load: it drains, answers every request it accepted, and nothing answers 5xx', async () => {
    // A load balancer in front of both APIs: round robin over those in rotation; one whose /readyz
    // stops answering 200 leaves the rotation; a refused connection is retried on the other.
    const rotation = new Set([url.a, url.b]);
    let polling = true;
    const poller = (async () => {
      while (polling) {
        try {
          if ((await request(url.b, 'GET', '/readyz')).status !== 200) rotation.delete(url.b);
        } catch {
          rotation.delete(url.b);
        }
        await new Promise((r) => setTimeout(r, 100));
      }
    })();
    const outcomes = { ok: 0, byB: 0, byBAfterSigterm: 0, refused: 0 };
    const problems: string[] = [];
    const created: string[] = [];
    let sigtermAt = 0;
    let next = 0;
    const pick = () => {
      const targets = [...rotation];
      return targets[next++ % targets.length]!;
    };
    const oneRequest = async (k: number) => {
      // Public reads, the customer's own list, and holds on the fourth instrument (most lose: 409).
      const hour = 2 + (k % 12) / 2;
      const start = new Date(Date.parse('2026-12-01T00:00:00Z') + hour * 3_600_000);
      const calls: [string, string, unknown, string?][] = [
        ['GET', '/v1/instruments?limit=5', undefined],
        ['GET', '/v1/bookings?limit=5', undefined, tokens.sme],
        [
          'POST',
          '/v1/bookings',
          {
            instrumentId: instruments[3]!.id,
            start: start.toISOString(),
            end: new Date(start.getTime() + 30 * MINUTE).toISOString(),
            mode: 'self',
          },
          tokens.sme2,
        ],
      ];
      const [method, path, body, token] = calls[k % calls.length]!;
      for (let attempt = 0; attempt < 3; attempt++) {
        const target = pick();
        const sentAfterSigterm = sigtermAt > 0;
        try {
          const res = await request(target, method, path, body, token);
          if (res.status >= 500) problems.push(`${res.status} from ${target} for ${method} ${path}: ${res.body}`);
          else outcomes.ok += 1;
          if (target === url.b) outcomes.byB += 1;
          if (target === url.b && sentAfterSigterm) outcomes.byBAfterSigterm += 1;
          if (method === 'POST' && res.status === 201) created.push(res.json<{ id: string }>().id);
          return;
        } catch (error) {
          const code = (error as { code?: string }).code;
          // Refused: the API never accepted the connection; the balancer tries the other.
          if (code === 'ECONNREFUSED') {
            outcomes.refused += 1;
            rotation.delete(target);
            continue;
          }
          problems.push(`${method} ${path} to ${target}: ${code ?? ''} ${(error as Error).message}`);
          return;
        }
      }
      problems.push(`${method} ${path}: refused three times`);
    };
    let running = true;
    let counter = 0;
    const clients = Array.from({ length: 6 }, async () => {
      while (running) await oneRequest(counter++);
    });

    await until('both APIs serving load', async () => outcomes.byB >= 20 && outcomes.ok >= 60, 30_000);
    sigtermAt = Date.now();
    api.b!.child.kill('SIGTERM');
    const code = await api.b!.exited;
    const okAtExit = outcomes.ok;
    await until('load served by the remaining API', async () => outcomes.ok >= okAtExit + 20, 30_000);
    running = false;
    await Promise.all(clients);
    polling = false;
    await poller;

    expect(code).toBe(0);
    expect(problems).toEqual([]);
    expect(outcomes.byB).toBeGreaterThan(0);
    // Every hold either API answered 201 for is in the database: nothing accepted was lost.
    const { rows } = await db.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM bookings WHERE id = ANY($1)', [
      created,
    ]);
    expect(rows[0]!.n).toBe(created.length);
    // The other API is still up and ready.
    expect((await request(url.a, 'GET', '/readyz')).status).toBe(200);
    expectNoFailedJobs();
  }, 120_000);
});
