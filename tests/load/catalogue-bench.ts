// Catalogue search under concurrent load, over real HTTP, against baselines measured in the same
// run: the plain SQL a naive catalogue would run (one table, no joins, ILIKE), straight on the pool
// and behind a bare node:http server. Prints requests/s and ratios. Bounded; loopback only.
// Usage: pnpm bench   (needs the PostgreSQL of TEST_DATABASE_URL, default 127.0.0.1:5432)
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { createDb, runMigrations } from '@qihub/db';
import { seedDemo } from '@qihub/db/seed';
import pg from 'pg';
import { buildTestApp } from '../support/app.ts';
import { ADMIN_DATABASE_URL, databaseUrl } from '../support/env.ts';
import type { TestDatabase } from '../support/db.ts';

const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 2000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16);
const QUERIES = ['扫描电镜', 'SEM', '盐雾', 'tensile', 'ICP-MS', '三坐标', 'xrd', 'GC-MS'];
// Queries with a place word (a city, a district, a province, in Chinese or English): read against the regions.
const PLACE_QUERIES = ['SEM 苏州', '盐雾 苏州', '电子显微镜 苏州市', 'xrd 江苏', '吴中区 硬度', 'tensile Suzhou'];

async function measure(label: string, once: (i: number) => Promise<void>) {
  for (let i = 0; i < 50; i++) await once(i); // warm-up
  let next = 0;
  const latencies: number[] = [];
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < REQUESTS) {
        const i = next++;
        const t = performance.now();
        await once(i);
        latencies.push(performance.now() - t);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const p = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))]!.toFixed(2);
  const rps = REQUESTS / seconds;
  console.log(`${label.padEnd(44)} ${rps.toFixed(0).padStart(7)} req/s   p50 ${p(0.5)} ms   p99 ${p(0.99)} ms`);
  return rps;
}

const name = `qihub_bench_${process.pid}`;
const admin = new pg.Client({ connectionString: ADMIN_DATABASE_URL });
await admin.connect();
await admin.query(`CREATE DATABASE ${name}`);
const handle = createDb(databaseUrl(name), { max: CONCURRENCY });
try {
  await runMigrations(handle.db);
  await seedDemo(handle.db);
  const db = { ...handle, name, url: databaseUrl(name), drop: async () => undefined } as TestDatabase;
  const app = await buildTestApp(db);
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  const base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;

  console.log(
    `catalogue search: ${REQUESTS} requests, ${CONCURRENCY} concurrent, ${QUERIES.length} queries (zh and en)\n`,
  );
  const naiveSqlDirect = (q: string) =>
    handle.pool.query(
      'SELECT id, name_zh, name_en FROM instruments WHERE name_zh ILIKE $1 OR name_en ILIKE $1 LIMIT 21',
      [`%${q}%`],
    );
  const baseline = await measure('baseline: SQL ILIKE on one table (no HTTP)', async (i) => {
    await naiveSqlDirect(QUERIES[i % QUERIES.length]!);
  });
  const bare = createServer((req, res) => {
    const q = new URL(req.url ?? '/', 'http://x').searchParams.get('q') ?? '';
    naiveSqlDirect(q).then(
      (r) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ items: r.rows })),
      () => res.writeHead(500).end(),
    );
  });
  await new Promise<void>((resolve) => bare.listen(0, '127.0.0.1', resolve));
  const bareBase = `http://127.0.0.1:${(bare.address() as AddressInfo).port}`;
  const bareHttp = await measure('baseline: bare node:http + the same SQL', async (i) => {
    const q = QUERIES[i % QUERIES.length]!;
    const res = await fetch(`${bareBase}/?q=${encodeURIComponent(q)}`);
    await res.arrayBuffer();
  });
  bare.close();
  const product = await measure('product: GET /v1/instruments?q=… (HTTP)', async (i) => {
    const q = QUERIES[i % QUERIES.length]!;
    const res = await fetch(`${base}/v1/instruments?q=${encodeURIComponent(q)}&limit=20`);
    if (res.status !== 200) throw new Error(`HTTP ${res.status}`);
    await res.arrayBuffer();
  });
  const filtered = await measure('product: filtered + sorted page (HTTP)', async () => {
    const res = await fetch(`${base}/v1/instruments?region=320000&qualification=cma&sort=price_asc&limit=20`);
    if (res.status !== 200) throw new Error(`HTTP ${res.status}`);
    await res.arrayBuffer();
  });
  const placed = await measure('product: query with a place word (HTTP)', async (i) => {
    const q = PLACE_QUERIES[i % PLACE_QUERIES.length]!;
    const res = await fetch(`${base}/v1/instruments?q=${encodeURIComponent(q)}&limit=20`);
    if (res.status !== 200) throw new Error(`HTTP ${res.status}`);
    await res.arrayBuffer();
  });
  console.log(
    `\nratio product/bare-HTTP baseline: ${(product / bareHttp).toFixed(2)} (search), ` +
      `${(filtered / bareHttp).toFixed(2)} (filtered page), ${(placed / bareHttp).toFixed(2)} (place word); ` +
      `product/SQL-only: ${(product / baseline).toFixed(2)}`,
  );
  await app.close();
} finally {
  await handle.close();
  await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin.end();
}
