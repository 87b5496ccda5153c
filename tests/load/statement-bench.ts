// A month's lab statement (对账单) for a lab with 20,000 bookings, against a baseline measured in the
// same run on the same rows: one bare `SELECT count(*), sum(...)` over the month's bookings. A
// scratch database is created, migrated, seeded (demo data + the month's bookings by SQL) and
// dropped at the end. Three figures: the statement's figures alone (its queries), the whole build
// (figures + PDF + XLSX + the upsert, in one transaction), each as a ratio to the baseline.
// Usage: pnpm bench:statement [--quick] [--bookings N]   (PostgreSQL of TEST_DATABASE_URL)
import { cpus, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { createDb, runMigrations } from '@qihub/db';
import { DEMO_USERS as USERS, seedDemo } from '@qihub/db/seed';
import { buildStatement, collectStatement } from '@qihub/api/modules/statements/index';
import pg from 'pg';
import { ADMIN_DATABASE_URL, databaseUrl } from '../support/env.ts';

const { values: flags } = parseArgs({
  options: { quick: { type: 'boolean', default: false }, bookings: { type: 'string' } },
});
const bookings = flags.bookings ? Number(flags.bookings) : flags.quick ? 5_000 : 20_000;
if (!Number.isInteger(bookings) || bookings < 1) throw new Error('--bookings takes a positive integer');
const runs = flags.quick ? 3 : 7;
const MONTH = '2026-10';
const START = '2026-09-30T16:00:00Z'; // 1 October 00:00 in Shanghai
const END = '2026-10-31T16:00:00Z';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
async function time(label: string, n: number, once: () => Promise<unknown>): Promise<number> {
  await once(); // warm-up
  const samples: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await once();
    samples.push(performance.now() - t);
  }
  const m = median(samples);
  console.log(`  ${label.padEnd(44)} median ${m.toFixed(1).padStart(8)} ms over ${n} runs`);
  return m;
}

const name = `qihub_bench_statement_${process.pid}`;
const admin = new pg.Client({ connectionString: ADMIN_DATABASE_URL });
await admin.connect();
await admin.query(`CREATE DATABASE ${name}`);
const handle = createDb(databaseUrl(name), { max: 4 });
try {
  console.log(
    `machine: ${cpus().length} CPUs, load average ${loadavg()
      .map((x) => x.toFixed(2))
      .join(' ')}`,
  );
  console.log(`statement bench${flags.quick ? ' (--quick)' : ''}: ${bookings} bookings in ${MONTH}\n`);
  await runMigrations(handle.db);
  await seedDemo(handle.db);
  const q = <T extends pg.QueryResultRow>(text: string, params: unknown[] = []) => handle.pool.query<T>(text, params);
  const labId = (
    await q<{ org_id: string }>(
      `SELECT m.org_id FROM memberships m JOIN users u ON u.id = m.user_id WHERE u.email = $1`,
      [USERS.lab],
    )
  ).rows[0]!.org_id;
  const customer = (
    await q<{ org_id: string; user_id: string }>(
      `SELECT m.org_id, m.user_id FROM memberships m JOIN users u ON u.id = m.user_id WHERE u.email = $1`,
      [USERS.sme],
    )
  ).rows[0]!;
  // The month's bookings, spread over the lab's units, 45 minutes each: 80 % completed (used 40
  // minutes), 10 % no-shows, 10 % cancelled. Completed and cancelled bookings may overlap (only
  // active ones are exclusive), so they are laid out without regard to one another.
  const seeded = performance.now();
  await q(
    `WITH units AS (
       SELECT u.id AS unit_id, u.instrument_id, row_number() OVER (ORDER BY u.id) - 1 AS k, count(*) OVER () AS n
         FROM instrument_units u JOIN instruments i ON i.id = u.instrument_id WHERE i.lab_id = $1)
     INSERT INTO bookings (instrument_id, unit_id, lab_id, customer_org_id, user_id, mode, status, starts_at, ends_at,
                           occupied, rate_tier, price_amount, policy, actual_start, actual_end, billable_minutes,
                           billed_amount, cancelled_at)
     SELECT u.instrument_id, u.unit_id, $1, $2, $3, 'self',
            (CASE WHEN g % 10 = 8 THEN 'no_show' WHEN g % 10 = 9 THEN 'cancelled' ELSE 'completed' END)::booking_status,
            s, s + interval '45 minutes', tstzrange(s, s + interval '45 minutes'), 'external', 30000, '{}'::jsonb,
            CASE WHEN g % 10 < 8 THEN s END, CASE WHEN g % 10 < 8 THEN s + interval '40 minutes' END,
            CASE WHEN g % 10 < 8 THEN 45 END, CASE WHEN g % 10 < 8 THEN 30000 END,
            CASE WHEN g % 10 = 9 THEN s - interval '1 day' END
       FROM generate_series(0, $4 - 1) g
       JOIN units u ON u.k = g % u.n
      CROSS JOIN LATERAL (SELECT $5::timestamptz + ((g * 37) % (31 * 24 * 60)) * interval '1 minute' AS s) t
      WHERE t.s + interval '45 minutes' < $6::timestamptz`,
    [labId, customer.org_id, customer.user_id, bookings, START, END],
  );
  await q('ANALYZE bookings');
  const { rows } = await q<{ n: string }>(
    `SELECT count(*) AS n FROM bookings WHERE lab_id = $1 AND starts_at >= $2 AND starts_at < $3`,
    [labId, START, END],
  );
  console.log(
    `seeded ${rows[0]!.n} bookings of the lab in ${MONTH} in ${((performance.now() - seeded) / 1000).toFixed(1)} s\n`,
  );

  const baseline = await time('baseline: bare SELECT count(*), sum(...)', runs, () =>
    q(
      `SELECT count(*), sum(billed_amount), sum(extract(epoch FROM actual_end - actual_start))
         FROM bookings WHERE lab_id = $1 AND starts_at >= $2 AND starts_at < $3`,
      [labId, START, END],
    ),
  );
  const key = { labId, month: MONTH, customerOrgId: null };
  const figures = await time('statement figures (all queries)', runs, () =>
    handle.db.transaction((tx) => collectStatement(tx, key), { isolationLevel: 'repeatable read' }),
  );
  const deps = { db: handle.db, clock: () => new Date('2026-11-01T01:00:00Z') };
  const hashes = new Set<string>();
  const build = await time('whole build (figures + PDF + XLSX + upsert)', runs, async () => {
    const s = await buildStatement(deps, key);
    hashes.add(`${s.jsonSha256}/${s.pdfSha256}/${s.xlsxSha256}`);
  });
  console.log(
    `\nsummary: figures ${(figures / baseline).toFixed(1)}× the baseline, whole build ${(build / baseline).toFixed(1)}× ` +
      `(${build.toFixed(0)} ms); ${hashes.size === 1 ? 'every build gave the same three files' : `MISS: ${hashes.size} different builds`}`,
  );
  if (hashes.size !== 1) process.exitCode = 1;
} finally {
  await handle.close();
  await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin.end();
}
