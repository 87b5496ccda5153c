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
import type { Actor } from '@qihub/api/lib/actor';
import pg from 'pg';
import { ADMIN_DATABASE_URL, databaseUrl } from '../support/env.ts';

const { values: flags } = parseArgs({ options: { quick: { type: 'boolean', default: false } } });
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
const SPAN_START = '2024-12-31T16:00:00Z';
/** Two years in minutes: where the bookings and orders fall. */
const SPAN_MINUTES = 2 * 365 * 24 * 60;
const DISTRICTS = ['320102', '320113', '320115', '320211', '320214', '320505', '320506', '320507', '320508', '320509'];

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

const name = `qihub_bench_stats_${process.pid}`;
const admin = new pg.Client({ connectionString: ADMIN_DATABASE_URL });
await admin.connect();
await admin.query(`CREATE DATABASE ${name}`);
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
  await runMigrations(handle.db);
  await seedDemo(handle.db);
  const q = <T extends pg.QueryResultRow>(text: string, params: unknown[] = []) => handle.pool.query<T>(text, params);
  const seeded = performance.now();

  // Enterprises across ten Jiangsu districts, sizes micro / small / medium / large in 4:3:2:1.
  await q(
    `INSERT INTO organisations (kind, status, name_zh, credit_code, region_code, enterprise_size, industry_code)
     SELECT 'enterprise', 'active', '基准企业' || g, '91' || d.code || lpad(g::text, 9, '0') || 'X', d.code,
            (ARRAY['micro','micro','micro','micro','small','small','small','medium','medium','large'])[1 + g % 10]::enterprise_size,
            'C'
       FROM generate_series(1, $1::int) g
       JOIN (SELECT code, row_number() OVER (ORDER BY code) - 1 AS k FROM unnest($2::text[]) code) d ON d.k = g % 10`,
    [N.enterprises, DISTRICTS],
  );
  // Instruments on the sites of the province's labs, one unit each.
  await q(
    `WITH s AS (
       SELECT s.id AS site_id, s.lab_id, row_number() OVER (ORDER BY s.id) - 1 AS k, count(*) OVER () AS n
         FROM sites s JOIN organisations o ON o.id = s.lab_id WHERE o.region_code LIKE '32%'),
     c AS (SELECT code FROM instrument_categories ORDER BY code LIMIT 1),
     i AS (
       INSERT INTO instruments (lab_id, site_id, name_zh, category_code, external_rate_hour, internal_rate_hour)
       SELECT s.lab_id, s.site_id, '基准仪器' || g, c.code, 20000, 15000
         FROM generate_series(1, $1::int) g JOIN s ON s.k = g % s.n CROSS JOIN c
       RETURNING id)
     INSERT INTO instrument_units (instrument_id, label, position) SELECT id, 'A', 1 FROM i`,
    [N.instruments],
  );
  const user = (await q<{ id: string }>(`SELECT id FROM users ORDER BY email LIMIT 1`)).rows[0]!.id;
  // Bookings: 80 % checked out (2 h booked, 1.5–2 h used), the rest cancelled; one in twenty the lab's own.
  await q(
    `WITH e AS (SELECT id, row_number() OVER (ORDER BY id) - 1 AS k, count(*) OVER () AS n
                  FROM organisations WHERE kind = 'enterprise' AND name_zh LIKE '基准企业%'),
          u AS (SELECT u.id AS unit_id, i.id AS instrument_id, i.lab_id, row_number() OVER (ORDER BY u.id) - 1 AS k,
                       count(*) OVER () AS n
                  FROM instrument_units u JOIN instruments i ON i.id = u.instrument_id WHERE i.name_zh LIKE '基准仪器%')
     INSERT INTO bookings (instrument_id, unit_id, lab_id, customer_org_id, user_id, mode, status, starts_at, ends_at,
                           occupied, rate_tier, price_amount, policy, hourly_rate, actual_start, actual_end,
                           billable_minutes, billed_amount)
     SELECT u.instrument_id, u.unit_id, u.lab_id, CASE WHEN g % 20 = 0 THEN u.lab_id ELSE e.id END, $2, 'self',
            (CASE WHEN g % 5 = 4 THEN 'cancelled' ELSE 'completed' END)::booking_status,
            t.s, t.s + interval '2 hours', tstzrange(t.s, t.s + interval '2 hours'), 'external', 40000, '{}'::jsonb, 20000,
            CASE WHEN g % 5 < 4 THEN t.s END,
            CASE WHEN g % 5 < 4 THEN t.s + (90 + g % 31) * interval '1 minute' END,
            CASE WHEN g % 5 < 4 THEN 120 END, CASE WHEN g % 5 < 4 THEN 40000 - (g % 3) * 1000 END
       FROM generate_series(0, $1::int - 1) g
       JOIN u ON u.k = g % u.n
       JOIN e ON e.k = (g * 7) % e.n
      CROSS JOIN LATERAL (SELECT $3::timestamptz + ((g * 61) % $4::int) * interval '1 minute' AS s) t`,
    [N.bookings, user, SPAN_START, SPAN_MINUTES],
  );
  // Orders at the province's labs, one catalogue line each; 70 % through to an issued report.
  await q(
    `WITH e AS (SELECT id, row_number() OVER (ORDER BY id) - 1 AS k, count(*) OVER () AS n
                  FROM organisations WHERE kind = 'enterprise' AND name_zh LIKE '基准企业%'),
          sv AS (SELECT s.id, s.lab_id, s.kind, coalesce(s.price_amount, 50000) AS price,
                        row_number() OVER (ORDER BY s.id) - 1 AS k, count(*) OVER () AS n
                   FROM services s JOIN organisations o ON o.id = s.lab_id WHERE o.region_code LIKE '32%'),
          o AS (
            INSERT INTO orders (number, customer_org_id, lab_id, requested_by, status, title_zh, subtotal_fen, total_fen,
                                created_at, report_issued_at)
            SELECT 'QB' || lpad(g::text, 10, '0'), e.id, sv.lab_id, $2,
                   (CASE WHEN g % 10 < 7 THEN 'report_issued' ELSE 'in_progress' END)::order_status,
                   '基准委托' || g, sv.price, sv.price, t.at,
                   CASE WHEN g % 10 < 7 THEN t.at + interval '7 days' END
              FROM generate_series(1, $1::int) g
              JOIN e ON e.k = (g * 13) % e.n
              JOIN sv ON sv.k = g % sv.n
             CROSS JOIN LATERAL (SELECT $3::timestamptz + ((g * 97) % $4::int) * interval '1 minute' AS at) t
            RETURNING id, lab_id, number, status, report_issued_at, subtotal_fen),
          l AS (
            INSERT INTO order_lines (order_id, position, service_id, kind, description_zh, quantity, unit_price_fen, amount_fen)
            SELECT o.id, 1, sv.id, sv.kind, '基准', 1, o.subtotal_fen, o.subtotal_fen
              FROM o JOIN sv ON sv.lab_id = o.lab_id AND sv.price = o.subtotal_fen
             WHERE sv.k = (SELECT min(k) FROM sv s2 WHERE s2.lab_id = o.lab_id AND s2.price = o.subtotal_fen)
            RETURNING order_id)
     INSERT INTO reports (order_id, lab_id, number, status, verification_code, issued_at)
     SELECT o.id, o.lab_id, 'B-' || o.number, 'issued', 'VB' || o.number, o.report_issued_at
       FROM o WHERE o.status = 'report_issued'`,
    [N.orders, user, SPAN_START, SPAN_MINUTES],
  );
  await q('ANALYZE');
  console.log(`seeded in ${((performance.now() - seeded) / 1000).toFixed(1)} s\n`);

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
    worst = Math.max(worst, figures.p99);
    results.push(
      `${s.label}: p99 ${figures.p99.toFixed(0)} ms, ${(figures.p50 / base.p50).toFixed(1)}× the bare count at p50, ` +
        `${(figures.p99 / base.p99).toFixed(1)}× at p99`,
    );
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
  await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin.end();
}
