import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { useSeededApp } from '../support/app.ts';

const committed = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../web/src/lib/api/openapi.json');

const t = useSeededApp();

interface Operation {
  responses?: Record<string, unknown>;
  requestBody?: unknown;
  parameters?: unknown[];
}

describe('the OpenAPI document', () => {
  it('is served at /docs and matches the one the web client was generated from (run `pnpm openapi`)', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/docs/json' });
    expect(res.statusCode).toBe(200);
    const live = res.json<{ paths: Record<string, Record<string, Operation>> }>();
    const file = JSON.parse(readFileSync(committed, 'utf8')) as unknown;
    expect(live).toEqual(file);
    const ui = await t.app.inject({ method: 'GET', url: '/docs' });
    expect([200, 302]).toContain(ui.statusCode);
  });

  it('describes a success response and error problems for every /v1 operation', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/docs/json' })).json<{
      paths: Record<string, Record<string, Operation>>;
    }>();
    const ops = Object.entries(doc.paths).filter(([p]) => p.startsWith('/v1/'));
    expect(ops.length).toBeGreaterThanOrEqual(15);
    for (const [p, methods] of ops) {
      for (const [method, op] of Object.entries(methods)) {
        const codes = Object.keys(op.responses ?? {});
        expect(
          codes.some((c) => c.startsWith('2')),
          `${method} ${p}`,
        ).toBe(true);
        // Anything that takes input can refuse it.
        if (op.requestBody || (op.parameters ?? []).length > 0) {
          expect(
            codes.some((c) => c.startsWith('4')),
            `${method} ${p} lists its errors`,
          ).toBe(true);
        }
      }
    }
  });

  // A cold tsx start loads the whole API; on a loaded 2-core machine that alone can take half a minute.
  it(
    'is produced by the CLI under plain Node (the module graph loads outside the test runner too)',
    { timeout: 180_000 },
    () => {
      const dir = mkdtempSync(path.join(os.tmpdir(), 'qihub-openapi-'));
      try {
        const out = path.join(dir, 'openapi.json');
        const api = path.resolve(path.dirname(committed), '../../../../api');
        execFileSync(path.join(api, 'node_modules/.bin/tsx'), ['src/cli/openapi.ts', out], { cwd: api, stdio: 'pipe' });
        expect(JSON.parse(readFileSync(out, 'utf8'))).toEqual(JSON.parse(readFileSync(committed, 'utf8')));
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  );

  it('describes every error response as application/problem+json, the media type it is served with', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/docs/json' })).json<{
      paths: Record<string, Record<string, Operation>>;
    }>();
    type Response = { content?: Record<string, { schema?: { $ref?: string } }> };
    const problemRef = '#/components/schemas/Problem';
    let errors = 0;
    for (const [p, methods] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(methods)) {
        for (const [status, response] of Object.entries((op.responses ?? {}) as Record<string, Response>)) {
          const content = response.content ?? {};
          const problemMedia = Object.keys(content).filter((m) => content[m]?.schema?.$ref === problemRef);
          if (problemMedia.length === 0) continue;
          errors += 1;
          expect(Number(status), `${method} ${p} ${status}`).toBeGreaterThanOrEqual(400);
          expect(Object.keys(content), `${method} ${p} ${status}`).toEqual(['application/problem+json']);
        }
      }
    }
    expect(errors).toBeGreaterThan(100);

    // And that is what a client gets: a documented 400 arrives as application/problem+json.
    const login = doc.paths['/v1/auth/login']?.post?.responses as Record<string, Response>;
    expect(Object.keys(login['400']?.content ?? {})).toEqual(['application/problem+json']);
    const res = await t.app.inject({ method: 'POST', url: '/v1/auth/login', payload: { email: 42 } });
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.json<{ code: string }>().code).toBe('validation_failed');
  });
});
