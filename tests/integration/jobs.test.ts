import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createJobQueue,
  createRegistry,
  relayOutbox,
  RegistryError,
  returnToOutbox,
  startInlineRunner,
  type JobQueue,
} from '@qihub/api/jobs';
import { creditCodeCheckCharacter } from '@qihub/api/lib/credit-code';
import { startWorker, type RunningWorker } from '@qihub/worker';
import { buildTestApp, testClock } from '../support/app.ts';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';
import { REDIS_URL } from '../support/env.ts';
import { USERS } from '../support/scenario.ts';

// Real Redis only; the test runner skips this file's tests (visibly) when no Redis is reachable.
const noRedis = process.env.QIHUB_TEST_NO_REDIS === '1';

describe.skipIf(noRedis)('jobs on BullMQ and Redis', () => {
  let db: TestDatabase;
  let redis: Redis;
  let queue: JobQueue;
  let app: FastifyInstance;
  let worker: RunningWorker | undefined;
  // A unique queue prefix per test file keeps parallel runs apart on the shared Redis.
  const prefix = `qihub_test_${randomBytes(4).toString('hex')}`;
  const clock = testClock();

  beforeAll(async () => {
    db = await createTestDatabase();
    redis = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
    queue = createJobQueue(redis, prefix);
    app = await buildTestApp(db, { queue, redis, env: { QUEUE_PREFIX: prefix } });
  });
  afterAll(async () => {
    await worker?.close();
    await app.close();
    await queue.close();
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
    await db.drop();
  });

  async function waitFor<T>(probe: () => Promise<T | undefined>, ms = 15_000): Promise<T> {
    const until = Date.now() + ms;
    for (;;) {
      const value = await probe();
      if (value !== undefined) return value;
      if (Date.now() > until) throw new Error('condition not met in time');
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  async function notificationsFor(email: string) {
    const { rows } = await db.pool.query<{ kind: string; dedupe_key: string }>(
      'SELECT n.kind, n.dedupe_key FROM notifications n JOIN users u ON u.id = n.user_id WHERE u.email = $1 ORDER BY n.created_at',
      [email],
    );
    return rows;
  }

  function registerLab(email: string, creditCode: string) {
    return app.inject({
      method: 'POST',
      url: '/v1/auth/register',
      payload: {
        kind: 'lab',
        email,
        password: 'a-long-enough-password',
        displayName: '吴主任',
        organisation: { nameZh: '无锡精密计量检测有限公司', creditCode, regionCode: '320200', labType: 'metrology' },
      },
    });
  }

  describe('the job registry', () => {
    it('refuses to start when a job has no handler or two', () => {
      const noop = async () => undefined;
      expect(() => createRegistry([{ name: 'outbox.relay', handle: noop }])).toThrow(RegistryError);
      expect(() =>
        createRegistry(
          [
            { name: 'outbox.relay', handle: noop },
            { name: 'outbox.relay', handle: noop },
          ],
          ['outbox.relay'],
        ),
      ).toThrow(/two handlers/);
    });
  });

  describe('outbox → BullMQ → worker', () => {
    it('delivers side effects after commit, exactly once even when relayed again', async () => {
      // The sweeps run on the test clock: on the real one, some day the demo data would have a
      // real notice due for someone these tests count (as email.test.ts found on 2026-12-07).
      worker = await startWorker({ db: db.db, connection: redis, prefix, relayEveryMs: 200, clock: () => clock.now });
      const body = '91320200MA1XYW123';
      const res = await registerLab('wuxi.metrology@example.cn', body + creditCodeCheckCharacter(body));
      expect(res.statusCode, res.body).toBe(201);

      const welcome = await waitFor(async () => {
        const rows = await notificationsFor('wuxi.metrology@example.cn');
        return rows.length > 0 ? rows : undefined;
      });
      expect(welcome.map((n) => n.kind)).toEqual(['welcome']);
      // The Jiangsu province admin covers a Wuxi lab.
      const adminNotes = await waitFor(async () => {
        const rows = await notificationsFor(USERS.admin);
        return rows.some((n) => n.kind === 'lab_application') ? rows : undefined;
      });
      expect(adminNotes.filter((n) => n.kind === 'lab_application')).toHaveLength(1);
      // Everything written to the outbox is relayed — including what the worker's own sweeps write
      // meanwhile (the monthly statements it queues at start), so wait for the relay to drain it.
      const drained = await waitFor(async () => {
        const { rows } = await db.pool.query<{ n: number }>(
          'SELECT count(*)::int AS n FROM outbox WHERE relayed_at IS NULL',
        );
        return rows[0]!.n === 0 ? true : undefined;
      });
      expect(drained).toBe(true);

      // Replay the whole outbox: BullMQ refuses duplicate job ids, the handlers' guards do the rest.
      await db.pool.query('UPDATE outbox SET relayed_at = NULL');
      await relayOutbox(db.db, (name, payload, jobId) => queue.add(name, payload, jobId));
      await new Promise((r) => setTimeout(r, 1500));
      expect(await notificationsFor('wuxi.metrology@example.cn')).toHaveLength(1);
      expect((await notificationsFor(USERS.admin)).filter((n) => n.kind === 'lab_application')).toHaveLength(1);
    });

    it('runs the same handlers in-process when there is no Redis', async () => {
      // Stop the BullMQ worker first, or its relay may take the row before the in-process runner.
      await worker?.close();
      worker = undefined;
      await db.pool.query(
        "INSERT INTO outbox (topic, payload, dedupe_key) SELECT 'notify.welcome', json_build_object('userId', u.id, 'orgId', m.org_id), 'welcome:inline:' || u.id FROM users u JOIN memberships m ON m.user_id = u.id WHERE u.email = $1",
        [USERS.sme2],
      );
      const inline = startInlineRunner(db.db, { intervalMs: 60_000, clock: () => clock.now });
      try {
        await inline.tick();
        await inline.tick();
      } finally {
        await inline.stop();
      }
      expect((await notificationsFor(USERS.sme2)).map((n) => n.kind)).toEqual(['welcome']);
    });
  });

  // Who may open the queue dashboard: queue-board.test.ts.
  describe('readiness', () => {
    it('reports Redis and the database as ready', async () => {
      const res = await app.inject({ method: 'GET', url: '/readyz' });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual({ status: 'ok', checks: { database: { status: 'ok' }, redis: { status: 'ok' } } });
    });
  });
});

describe('jobs that cannot be delivered (no Redis needed)', () => {
  let outboxDb: TestDatabase;
  beforeAll(async () => {
    outboxDb = await createTestDatabase();
  });
  afterAll(async () => {
    await outboxDb.drop();
  });

  it('parks an unknown job as a dead letter instead of retrying it for ever', async () => {
    await outboxDb.pool.query(
      "INSERT INTO outbox (topic, payload, dedupe_key) VALUES ('no.such-job', '{}', 'dead:test')",
    );
    const inline = startInlineRunner(outboxDb.db, { intervalMs: 60_000 });
    await inline.tick();
    await inline.stop();
    const { rows } = await outboxDb.pool.query<{ relayed_at: Date | null; last_error: string }>(
      "SELECT relayed_at, last_error FROM outbox WHERE dedupe_key = 'dead:test'",
    );
    expect(rows[0]!.relayed_at).not.toBeNull();
    expect(rows[0]!.last_error).toMatch(/^dead: /);
  });

  it('returns a job out of retries to the outbox for a later sweep', async () => {
    await outboxDb.pool.query(
      "INSERT INTO outbox (topic, payload, dedupe_key, relayed_at) VALUES ('notify.welcome', '{}', 'welcome:retry-me', now())",
    );
    expect(await returnToOutbox(outboxDb.db, 'welcome_retry-me', 'smtp down', 0)).toBe(true);
    const dispatched: string[] = [];
    await relayOutbox(outboxDb.db, async (_topic, _payload, jobId) => {
      dispatched.push(jobId);
    });
    expect(dispatched).toContain('welcome:retry-me');
  });
});
