import { describe, expect, it } from 'vitest';
import { buildTestApp, expectProblem, useSeededApp } from '../support/app.ts';

const t = useSeededApp();

describe('HTTP surface', () => {
  it('keeps CORS closed by default and opens it only to configured origins', async () => {
    const closed = await t.app.inject({ method: 'GET', url: '/v1/stats', headers: { origin: 'https://evil.example' } });
    expect(closed.headers['access-control-allow-origin']).toBeUndefined();
    const open = await buildTestApp(t.db, { env: { CORS_ORIGINS: 'https://portal.example' } });
    try {
      const ok = await open.inject({ method: 'GET', url: '/v1/stats', headers: { origin: 'https://portal.example' } });
      expect(ok.headers['access-control-allow-origin']).toBe('https://portal.example');
      const other = await open.inject({ method: 'GET', url: '/v1/stats', headers: { origin: 'https://evil.example' } });
      expect(other.headers['access-control-allow-origin']).toBeUndefined();
    } finally {
      await open.close();
    }
  });

  it('sends security headers', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/healthz' });
    expect(res.json()).toEqual({ status: 'ok' });
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['content-security-policy']).toBeDefined();
    expect(res.headers['x-frame-options']).toBeDefined();
  });

  it('reports an unreachable database as not ready', async () => {
    const { buildApp, loadConfig } = await import('@qihub/api');
    const { createDb } = await import('@qihub/db');
    const dead = createDb('postgres://nobody@127.0.0.1:1/none');
    const broken = await buildApp(
      { config: loadConfig({ NODE_ENV: 'test' }), db: dead.db, clock: () => new Date(), queue: null, redis: null },
      { logger: false },
    );
    try {
      const res = await broken.inject({ method: 'GET', url: '/readyz' });
      expect(res.statusCode).toBe(503);
      expect(res.json()).toMatchObject({ checks: { database: { status: 'fail' }, redis: { status: 'skipped' } } });
      // A database failure on a normal route is a 500 problem that leaks nothing.
      const body = expectProblem(await broken.inject({ method: 'GET', url: '/v1/stats' }), 500, 'internal_error');
      expect(JSON.stringify(body)).not.toMatch(/ECONNREFUSED|127\.0\.0\.1|postgres/);
    } finally {
      await broken.close();
      await dead.close();
    }
  });
});
