import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createJobQueue, type JobQueue } from '@qihub/api/jobs';
import { bearer, buildTestApp, DEMO_PASSWORD, expectProblem, login } from '../support/app.ts';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';
import { REDIS_URL } from '../support/env.ts';
import { orgOf, USERS } from '../support/scenario.ts';

/**
 * Bull Board shows and steers the one queue every region shares, so it belongs to the platform-wide
 * operators (系统运维) alone: no province, city or station admin — whichever province — sees it.
 */
const noRedis = process.env.QIHUB_TEST_NO_REDIS === '1';
const OPERATOR = 'ops@demo.qihub.test';

describe.skipIf(noRedis)('the queue dashboard', () => {
  let db: TestDatabase;
  let redis: Redis;
  let queue: JobQueue;
  let app: FastifyInstance;
  const prefix = `qihub_test_${randomBytes(4).toString('hex')}`;

  beforeAll(async () => {
    db = await createTestDatabase();
    redis = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
    queue = createJobQueue(redis, prefix);
    app = await buildTestApp(db, { queue, redis, env: { QUEUE_PREFIX: prefix } });
  });
  afterAll(async () => {
    await app.close();
    await queue.close();
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
    await db.drop();
  });

  const board = (token?: string, url = '/admin/queues') =>
    app.inject({ method: 'GET', url, ...(token ? { headers: bearer(token) } : {}) });

  /** A platform admin at another province's platform (Zhejiang), signed in. */
  async function anotherProvinceAdmin(): Promise<string> {
    const { rows: org } = await db.pool.query<{ id: string }>(
      `INSERT INTO organisations (kind, status, name_zh, region_code, platform_level)
       VALUES ('platform', 'active', '浙江省质量基础设施一站式服务平台', '330000', 'province') RETURNING id`,
    );
    const { rows: hash } = await db.pool.query<{ password_hash: string }>(
      'SELECT password_hash FROM users WHERE email = $1',
      [USERS.admin],
    );
    const { rows: user } = await db.pool.query<{ id: string }>(
      `INSERT INTO users (email, password_hash, display_name) VALUES ('admin@zj.example.cn', $1, '钱主任') RETURNING id`,
      [hash[0]!.password_hash],
    );
    await db.pool.query(`INSERT INTO memberships (user_id, org_id, role) VALUES ($1, $2, 'admin')`, [
      user[0]!.id,
      org[0]!.id,
    ]);
    return login(app, 'admin@zj.example.cn', DEMO_PASSWORD);
  }

  it('is refused to strangers, customers, labs and every platform admin, whatever the province', async () => {
    expectProblem(await board(), 401, 'unauthenticated');
    for (const who of [USERS.sme, USERS.lab, USERS.officer, USERS.admin]) {
      expectProblem(await board(await login(app, who)), 403, 'forbidden');
    }
    const zhejiang = await anotherProvinceAdmin();
    expectProblem(await board(zhejiang), 403, 'forbidden');
    // The board's own API (the job lists of every region) is behind the same gate.
    expectProblem(await board(await login(app, USERS.admin), '/admin/queues/api/queues'), 403, 'forbidden');
    // A lab's API token is no operator either.
    const labId = await orgOf(db, USERS.lab);
    const minted = await app.inject({
      method: 'POST',
      url: `/v1/orgs/${labId}/api-tokens`,
      headers: bearer(await login(app, USERS.lab)),
      payload: { name: 'LIMS', role: 'manager' },
    });
    expectProblem(await board(minted.json<{ token: string }>().token), 403, 'forbidden');
  });

  it('opens to the platform-wide operator (the demo seed has one)', async () => {
    const token = await login(app, OPERATOR);
    const page = await board(token);
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toMatch(/text\/html/);
    expect((await board(token, '/admin/queues/api/queues')).statusCode).toBe(200);
  });

  it('stops opening when the operator role is taken away', async () => {
    const token = await login(app, OPERATOR);
    await db.pool.query('UPDATE users SET system_role = NULL WHERE email = $1', [OPERATOR]);
    try {
      expectProblem(await board(token), 403, 'forbidden');
    } finally {
      await db.pool.query("UPDATE users SET system_role = 'operator' WHERE email = $1", [OPERATOR]);
    }
  });
});
