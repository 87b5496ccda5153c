// What invoicing adds to a booking's check-out (issue 11), measured in one run against real
// PostgreSQL: the same POST /v1/bookings/{id}/check-out, for N customer bookings (the check-out
// writes the invoice line, its accrual, the invoice with its number and reference, and the invoice
// journal in the same transaction) against N of the lab's internal bookings (the same transition,
// not billed). Alternating batches on the same instrument, so both see the same table sizes.
// Usage: pnpm bench:checkout [--quick]   (PostgreSQL of TEST_DATABASE_URL, default 127.0.0.1:5432)
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { createDb, runMigrations } from '@qihub/db';
import { seedDemo } from '@qihub/db/seed';
import pg from 'pg';
import { buildTestApp, login, testClock } from '../support/app.ts';
import { ADMIN_DATABASE_URL, databaseUrl } from '../support/env.ts';
import type { TestDatabase } from '../support/db.ts';

const { values: flags } = parseArgs({ options: { quick: { type: 'boolean', default: false } } });
const PER_KIND = flags.quick ? 300 : 2000;
const BATCH = 100;
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 4);
const HOUR = 3_600_000;
/** All bookings lie in the past of this clock, one hour each, back to back. */
const NOW = new Date('2026-11-30T12:00:00Z');

const name = `qihub_bench_checkout_${process.pid}`;
const admin = new pg.Client({ connectionString: ADMIN_DATABASE_URL });
await admin.connect();
await admin.query(`CREATE DATABASE ${name}`);
const handle = createDb(databaseUrl(name), { max: CONCURRENCY * 2 });
try {
  await runMigrations(handle.db);
  await seedDemo(handle.db);
  const db = { ...handle, name, url: databaseUrl(name), drop: async () => undefined } as TestDatabase;
  const clock = testClock(NOW);
  const app = await buildTestApp(db, { clock });
  const lab = await login(app, 'lab@demo.qihub.test');
  const { rows: inst } = await handle.pool.query<{ id: string; unit_id: string; lab_id: string }>(
    `SELECT i.id, u.id AS unit_id, i.lab_id FROM instruments i JOIN instrument_units u ON u.instrument_id = i.id
       JOIN memberships m ON m.org_id = i.lab_id JOIN users us ON us.id = m.user_id
      WHERE us.email = 'lab@demo.qihub.test' ORDER BY i.name_zh LIMIT 1`,
  );
  const { rows: people } = await handle.pool.query<{ sme: string; org: string; lab_user: string }>(
    `SELECT (SELECT id FROM users WHERE email = 'sme@demo.qihub.test') AS sme,
            (SELECT m.org_id FROM memberships m JOIN users u ON u.id = m.user_id WHERE u.email = 'sme@demo.qihub.test' LIMIT 1) AS org,
            (SELECT id FROM users WHERE email = 'lab@demo.qihub.test') AS lab_user`,
  );
  const i = inst[0]!;
  const p = people[0]!;
  /** In-use bookings, back to back before NOW: customer ones (billed) or the lab's own (not billed). */
  async function inUse(n: number, offset: number, customer: boolean): Promise<string[]> {
    const { rows } = await handle.pool.query<{ id: string }>(
      `INSERT INTO bookings (instrument_id, unit_id, lab_id, customer_org_id, user_id, mode, status, starts_at, ends_at,
         occupied, rate_tier, price_amount, hourly_rate, policy, actual_start)
       SELECT $1, $2, $3, $4, $5, 'self', 'in_use', s, s + interval '1 hour', tstzrange(s, s + interval '1 hour'),
              'external', 30000, 30000, '{"slotMinutes":30}'::jsonb, s
         FROM generate_series(1, $6::int) g, LATERAL (SELECT $7::timestamptz - (g * interval '1 hour') AS s) x
       RETURNING id`,
      [
        i.id,
        i.unit_id,
        i.lab_id,
        customer ? p.org : i.lab_id,
        customer ? p.sme : p.lab_user,
        n,
        new Date(NOW.getTime() - offset * HOUR).toISOString(),
      ],
    );
    return rows.map((r) => r.id);
  }
  async function checkOut(ids: string[]): Promise<number> {
    let next = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < ids.length) {
          const id = ids[next++]!;
          const res = await app.inject({
            method: 'POST',
            url: `/v1/bookings/${id}/check-out`,
            headers: { authorization: `Bearer ${lab}` },
          });
          if (res.statusCode !== 200) throw new Error(`check-out ${res.statusCode}: ${res.body}`);
        }
      }),
    );
    return performance.now() - started;
  }
  let billedMs = 0;
  let plainMs = 0;
  let offset = 0;
  for (let done = 0; done < PER_KIND; done += BATCH) {
    const billed = await inUse(BATCH, offset, true);
    offset += BATCH;
    const plain = await inUse(BATCH, offset, false);
    offset += BATCH;
    // Alternate which goes first, so neither always meets a warmer cache.
    if ((done / BATCH) % 2 === 0) {
      billedMs += await checkOut(billed);
      plainMs += await checkOut(plain);
    } else {
      plainMs += await checkOut(plain);
      billedMs += await checkOut(billed);
    }
  }
  const { rows: check } = await handle.pool.query<{ lines: number; invoices: number }>(
    `SELECT (SELECT count(*)::int FROM invoice_lines WHERE source_kind = 'booking') AS lines,
            (SELECT count(*)::int FROM invoices i WHERE EXISTS (SELECT 1 FROM invoice_lines l WHERE l.invoice_id = i.id AND l.source_kind = 'booking')) AS invoices`,
  );
  const per = (ms: number) => `${((ms / PER_KIND) * CONCURRENCY).toFixed(2)} ms/check-out`;
  console.log(`check-out with and without invoicing: ${PER_KIND} each, ${CONCURRENCY} concurrent, in-process HTTP`);
  console.log(
    `  baseline: internal bookings (not billed)   ${(PER_KIND / (plainMs / 1000)).toFixed(0)} /s   ${per(plainMs)}`,
  );
  console.log(
    `  product:  customer bookings (invoiced)     ${(PER_KIND / (billedMs / 1000)).toFixed(0)} /s   ${per(billedMs)}`,
  );
  console.log(`  invoice lines written: ${check[0]!.lines}, invoices: ${check[0]!.invoices}`);
  console.log(`ratio invoiced/not-billed throughput: ${(plainMs / billedMs).toFixed(2)}`);
  await app.close();
} finally {
  await handle.close();
  await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin.end();
}
