import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import type { FastifyInstance } from 'fastify';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createJobQueue, startInlineRunner, type JobQueue } from '@qihub/api/jobs';
import { createMetrics } from '@qihub/api/lib/metrics';
import { startWorker, type RunningWorker } from '@qihub/worker';
import { serveMetrics } from '@qihub/worker/metrics-server';
import { buildTestApp, testClock } from '../support/app.ts';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';
import { REDIS_URL } from '../support/env.ts';

/**
 * Prometheus metrics: what the API and the worker count, and who may read them — loopback, or a
 * remote scraper with the bearer METRICS_TOKEN; everyone else sees no such route (404).
 */
const TOKEN = 'scrape-token-for-the-tests-0123';
const REMOTE = '203.0.113.9';
const noRedis = process.env.QIHUB_TEST_NO_REDIS === '1';

/** The value of one sample line (`name{labels} value`), or undefined when absent. */
function sample(text: string, name: string, labels: Record<string, string>): number | undefined {
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`)) continue;
    const inside = line.slice(name.length + 1, line.lastIndexOf('}'));
    if (Object.entries(labels).every(([k, v]) => inside.includes(`${k}="${v}"`))) {
      return Number(line.slice(line.lastIndexOf(' ') + 1));
    }
  }
  return undefined;
}

describe('metrics of the API', () => {
  let db: TestDatabase;
  let app: FastifyInstance;
  const clock = testClock();

  beforeAll(async () => {
    db = await createTestDatabase();
    app = await buildTestApp(db, { clock, env: { METRICS_TOKEN: TOKEN } });
  });
  afterAll(async () => {
    await app.close();
    await db.drop();
  });

  const scrape = (options: { remoteAddress?: string; headers?: Record<string, string> } = {}) =>
    app.inject({ method: 'GET', url: '/metrics', ...options });

  it('times requests by route pattern and status, never by the raw URL', async () => {
    const id = '00000000-0000-4000-8000-000000000000';
    const missing = await app.inject({ method: 'GET', url: `/v1/instruments/${id}` });
    expect(missing.statusCode).toBe(404);
    await app.inject({ method: 'GET', url: '/v1/instruments' });
    await app.inject({ method: 'GET', url: '/no/such/route/at/all' });

    const res = await scrape();
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    const text = res.body;
    const count = 'qihub_http_request_duration_seconds_count';
    expect(sample(text, count, { method: 'GET', route: '/v1/instruments/:id', status_code: '404' })).toBe(1);
    expect(sample(text, count, { method: 'GET', route: '/v1/instruments', status_code: '200' })).toBe(1);
    expect(sample(text, count, { route: 'unmatched', status_code: '404' })).toBe(1);
    expect(text).not.toContain(id);
    expect(text).not.toContain('/no/such/route');
    expect(text).toContain('process="api"');
  });

  it('shows the database pool and the outbox', async () => {
    const text = (await scrape()).body;
    expect(sample(text, 'qihub_db_pool_connections', { state: 'total' })).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'qihub_db_pool_connections', { state: 'waiting' })).toBe(0);
    expect(text).toMatch(/^qihub_outbox_pending\{[^}]*\} \d+$/m);
    expect(text).toMatch(/^qihub_outbox_lag_seconds\{[^}]*\} [\d.e+-]+$/m);
  });

  it('counts and times the jobs run in the API process (no Redis)', async () => {
    const runner = startInlineRunner(db.db, { intervalMs: 3_600_000, clock: () => clock.now, metrics: app.metrics });
    try {
      await runner.tick();
    } finally {
      await runner.stop();
    }
    const text = (await scrape()).body;
    expect(sample(text, 'qihub_jobs_total', { job: 'outbox.relay', outcome: 'completed' })).toBe(1);
    expect(sample(text, 'qihub_job_duration_seconds_count', { job: 'outbox.relay' })).toBe(1);
    expect(sample(text, 'qihub_jobs_total', { job: 'outbox.relay', outcome: 'failed' })).toBeUndefined();
  });

  it('answers 404 to a remote caller without the token, as for a route that does not exist', async () => {
    const res = await scrape({ remoteAddress: REMOTE });
    expect(res.statusCode).toBe(404);
    expect(res.body).not.toContain('qihub_');
    expect(
      (await scrape({ remoteAddress: REMOTE, headers: { authorization: 'Bearer wrong-token-of-same-size!!!' } }))
        .statusCode,
    ).toBe(404);
    // A forwarded-for header from an untrusted peer does not make it loopback.
    expect((await scrape({ remoteAddress: REMOTE, headers: { 'x-forwarded-for': '127.0.0.1' } })).statusCode).toBe(404);
  });

  it('answers 200 to a remote caller with the bearer METRICS_TOKEN', async () => {
    const res = await scrape({ remoteAddress: REMOTE, headers: { authorization: `Bearer ${TOKEN}` } });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('qihub_http_request_duration_seconds');
  });

  it('counts a job that fails as a failure of that job', async () => {
    const metrics = createMetrics('worker');
    const { observeJob } = await import('@qihub/api/lib/metrics');
    await expect(observeJob(metrics, 'mail.send', () => Promise.reject(new Error('smtp down')))).rejects.toThrow();
    const text = await metrics.registry.metrics();
    expect(sample(text, 'qihub_job_failures_total', { job: 'mail.send' })).toBe(1);
    expect(sample(text, 'qihub_jobs_total', { job: 'mail.send', outcome: 'failed' })).toBe(1);
  });
});

describe.skipIf(noRedis)('metrics of the worker', () => {
  let db: TestDatabase;
  let redis: Redis;
  let queue: JobQueue;
  let worker: RunningWorker | undefined;
  let server: Server | undefined;
  const prefix = `qihub_test_${randomBytes(4).toString('hex')}`;
  const metrics = createMetrics('worker');

  beforeAll(async () => {
    db = await createTestDatabase();
    redis = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
    queue = createJobQueue(redis, prefix);
  });
  afterAll(async () => {
    server?.close();
    await worker?.close();
    await queue.close();
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
    await db.drop();
  });

  it('serves job counts and queue depth on its own /metrics, to loopback or with the token', async () => {
    worker = await startWorker({
      db: db.db,
      connection: redis,
      prefix,
      relayEveryMs: 100,
      sweepEveryMs: 3_600_000,
      clock: () => testClock().now,
      metrics,
    });
    server = await serveMetrics(metrics, { host: '127.0.0.1', port: 0, token: TOKEN });
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    // The relay runs on its scheduler; wait until the worker has counted a run of it.
    const until = Date.now() + 15_000;
    let text = '';
    for (;;) {
      const res = await fetch(`${url}/metrics`);
      expect(res.status).toBe(200);
      text = await res.text();
      if ((sample(text, 'qihub_jobs_total', { job: 'outbox.relay', outcome: 'completed' }) ?? 0) >= 1) break;
      if (Date.now() > until) throw new Error(`no relay run counted:\n${text}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(text).toContain('process="worker"');
    expect(sample(text, 'qihub_queue_jobs', { state: 'waiting' })).toBeGreaterThanOrEqual(0);
    expect(sample(text, 'qihub_queue_jobs', { state: 'failed' })).toBe(0);
    expect(sample(text, 'qihub_db_pool_connections', { state: 'total' })).toBeGreaterThanOrEqual(1);
    expect((await fetch(`${url}/other`)).status).toBe(404);
    const withToken = await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(withToken.status).toBe(200);
  });
});
