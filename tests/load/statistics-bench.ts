// The programme's statistics (附件2) at the programme's scale: a province of 10,000 enterprises,
// 1,000 instruments, 1,000,000 bookings and 100,000 orders over two years (2025–2026), seeded
// set-based (generate_series) into a scratch database. Times the statistics for the province, one
// city and one station over a year at 4 concurrent clients, beside a bare count(*) over the same
// rows at the same concurrency in the same run; p50 / p99 and the ratios, and the province's XLSX.
// Usage: pnpm bench:stats [--quick]   (PostgreSQL of TEST_DATABASE_URL; --quick: a tenth of the rows)
import { cpus, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { createDb, runMigrations } from '@qihub/db';
import { seedDemo } from '@qihub/db/seed';
import { statistics } from '@qihub/api/modules/statistics/index';
import { renderStatisticsXlsx } from '@qihub/api/modules/statistics/table';
import { efficiency } from '@qihub/api/modules/efficiency/index';
import type { Actor } from '@qihub/api/lib/actor';
import pg from 'pg';
import { ADMIN_DATABASE_URL, databaseUrl } from '../support/env.ts';
import { seedStatisticsLoad } from './statistics-seed.ts';

const { values: flags } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    // For profiling: keep the scratch database afterwards, or time an earlier kept one again (no seeding).
    keep: { type: 'boolean', default: false },
    reuse: { type: 'string' },
  },
});
const scale = flags.quick ? 0.1 : 1;
const N = {
  enterprises: Math.round(10_000 * scale),
  instruments: Math.round(1_000 * scale),
  bookings: Math.round(1_000_000 * scale),
  orders: Math.round(100_000 * scale),
};
const CLIENTS = 4;
const ROUNDS = flags.quick ? 5 : 10;
const YEAR = { from: '2026-01-01', to: '2026-12-31' };
const YEAR_START = '2025-12-31T16:00:00Z';
const YEAR_END = '2026-12-31T16:00:00Z';

const pct = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))]!;

/** `ROUNDS` rounds of `CLIENTS` concurrent calls (after one warm-up round); every latency kept. */
async function concurrent(label: string, once: () => Promise<unknown>) {
  await Promise.all(Array.from({ length: CLIENTS }, once));
  const samples: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    await Promise.all(
      Array.from({ length: CLIENTS }, async () => {
        const t = performance.now();
        await once();
        samples.push(performance.now() - t);
      }),
    );
  }
  const p50 = pct(samples, 0.5);
  const p99 = pct(samples, 0.99);
  console.log(`  ${label.padEnd(46)} p50 ${p50.toFixed(1).padStart(8)} ms   p99 ${p99.toFixed(1).padStart(8)} ms`);
  return { p50, p99 };
}

const name = flags.reuse ?? `qihub_bench_stats_${process.pid}`;
const admin = new pg.Client({ connectionString: ADMIN_DATABASE_URL });
await admin.connect();
if (!flags.reuse) await admin.query(`CREATE DATABASE ${name}`);
const handle = createDb(databaseUrl(name), { max: CLIENTS + 2 });
try {
  console.log(
    `machine: ${cpus().length} CPUs, load average ${loadavg()
      .map((x) => x.toFixed(2))
      .join(' ')}`,
  );
  console.log(
    `statistics bench${flags.quick ? ' (--quick)' : ''}: ${N.enterprises} enterprises, ${N.instruments} instruments, ` +
      `${N.bookings} bookings, ${N.orders} orders over 2025–2026\n`,
  );
  const q = <T extends pg.QueryResultRow>(text: string, params: unknown[] = []) => handle.pool.query<T>(text, params);
  if (!flags.reuse) {
    await runMigrations(handle.db);
    await seedDemo(handle.db);
    const seeded = performance.now();
    const first = (await q<{ id: string }>(`SELECT id FROM users ORDER BY email LIMIT 1`)).rows[0]!.id;
    await seedStatisticsLoad(handle.pool, N, first);
    console.log(`seeded in ${((performance.now() - seeded) / 1000).toFixed(1)} s\n`);
  } else {
    await runMigrations(handle.db);
  }
  const user = (await q<{ id: string }>(`SELECT id FROM users ORDER BY email LIMIT 1`)).rows[0]!.id;

  const actorFor = (regionCode: string): Actor => ({
    kind: 'user',
    userId: user,
    tokenId: null,
    sessionId: null,
    memberships: [{ orgId: user, orgKind: 'platform', orgStatus: 'active', role: 'admin', regionCode }],
  });
  const deps = { db: handle.db, clock: () => new Date('2027-01-05T02:00:00Z') };
  const scopes = [
    { label: 'province 320000', region: '320000', like: '32%' },
    { label: 'city 320500', region: '320500', like: '3205%' },
    { label: 'station 320506', region: '320506', like: '320506%' },
  ];
  const results: string[] = [];
  let worst = 0;
  const ratio = (label: string, m: { p50: number; p99: number }, base: { p50: number; p99: number }) => {
    worst = Math.max(worst, m.p99);
    results.push(
      `${label.padEnd(32)} p99 ${m.p99.toFixed(0).padStart(6)} ms, ${(m.p50 / base.p50).toFixed(1).padStart(5)}× the bare count at p50, ` +
        `${(m.p99 / base.p99).toFixed(1).padStart(5)}× at p99`,
    );
  };
  for (const s of scopes) {
    console.log(`${s.label}, ${YEAR.from} – ${YEAR.to}, ${CLIENTS} concurrent clients:`);
    // The same rows the statistics read, counted bare: the year's checked-out bookings and issued reports of the region.
    const base = await concurrent('baseline: bare count(*) over the same rows', () =>
      q(
        `SELECT (SELECT count(*) FROM bookings b JOIN organisations o ON o.id = b.customer_org_id
                  WHERE o.region_code LIKE $1 AND b.status = 'completed' AND b.actual_end >= $2 AND b.actual_end < $3)
              + (SELECT count(*) FROM reports r JOIN orders x ON x.id = r.order_id JOIN organisations o ON o.id = x.customer_org_id
                  WHERE o.region_code LIKE $1 AND r.issued_at >= $2 AND r.issued_at < $3)`,
        [s.like, YEAR_START, YEAR_END],
      ),
    );
    const figures = await concurrent('statistics (GET /v1/admin/statistics)', () =>
      statistics(deps, actorFor(s.region), { region: s.region, ...YEAR }),
    );
    ratio(`statistics ${s.label}`, figures, base);
    // The efficiency evaluation reads the orders of the region's labs requested, issued or rated in the year.
    const orders = await concurrent('baseline: bare count(*) of the orders evaluated', () =>
      q(
        `SELECT count(*) FROM orders x JOIN organisations l ON l.id = x.lab_id
          WHERE l.region_code LIKE $1 AND ((x.created_at >= $2 AND x.created_at < $3)
             OR (x.report_issued_at >= $2 AND x.report_issued_at < $3))`,
        [s.like, YEAR_START, YEAR_END],
      ),
    );
    const evaluation = await concurrent('efficiency (GET /v1/admin/efficiency)', () =>
      efficiency(deps, actorFor(s.region), { region: s.region, ...YEAR, groupBy: 'lab' }),
    );
    ratio(`efficiency ${s.label}`, evaluation, orders);
  }
  const xlsxStart = performance.now();
  const province = await statistics(deps, actorFor('320000'), { region: '320000', ...YEAR });
  const bytes = await renderStatisticsXlsx(province, deps.clock());
  const xlsxMs = performance.now() - xlsxStart;
  console.log(`\nprovince XLSX (figures + workbook): ${xlsxMs.toFixed(0)} ms, ${bytes.length} bytes`);
  console.log(
    `province year: ${province.serviceTimes} service times, ${province.enterprisesServed} enterprises served\n`,
  );
  console.log(`summary:\n  ${results.join('\n  ')}`);
  console.log(worst <= 1000 ? '  every p99 within 1 s' : `  OVER BUDGET: worst p99 ${worst.toFixed(0)} ms > 1000 ms`);
  if (!flags.quick && worst > 1000) process.exitCode = 1;
} finally {
  await handle.close();
  if (flags.keep || flags.reuse) console.log(`kept database ${name}`);
  else await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin.end();
}
