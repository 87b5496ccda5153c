// Bank statement matching (对公转账, issue 11) is set-based SQL, not a query per line: a statement of
// 10,000 credit lines is uploaded through the API against ~10,000 open invoices, and its time is
// compared with a bare COPY of the same lines into a scratch table, measured in the same run. A
// scratch database is created, migrated, seeded (demo data + the invoices) and dropped at the end.
// Prints times and ratios; no assertions.
// Usage: pnpm bench:bank [--lines N] [--keep]   (PostgreSQL of TEST_DATABASE_URL, default 127.0.0.1:5432)
import { randomInt } from 'node:crypto';
import { cpus, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { parseArgs } from 'node:util';
import { createDb, runMigrations } from '@qihub/db';
import { seedDemo } from '@qihub/db/seed';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { buildTestApp, login, testClock } from '../support/app.ts';
import type { TestDatabase } from '../support/db.ts';
import { ADMIN_DATABASE_URL, databaseUrl } from '../support/env.ts';
import { USERS } from '../support/scenario.ts';

const { values: flags } = parseArgs({
  options: { lines: { type: 'string', default: '10000' }, keep: { type: 'boolean', default: false } },
});
const LINES = Number(flags.lines);
if (!Number.isInteger(LINES) || LINES < 10) throw new Error('--lines takes an integer ≥ 10');
const INVOICES = LINES;
const ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';

const ms = (x: number) => `${x.toFixed(0)} ms`;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

function yuan(fen: number): string {
  return `${Math.floor(fen / 100).toLocaleString('en-US')}.${String(fen % 100).padStart(2, '0')}`;
}
const cell = (v: string) => (/[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);

interface OpenInvoice {
  reference: string;
  due: number;
  customer: string;
}

const name = `qihub_bench_bank_${process.pid}`;
const admin = new pg.Client({ connectionString: ADMIN_DATABASE_URL });
await admin.connect();
await admin.query(`CREATE DATABASE ${name}`);
const url = databaseUrl(name);
const handle = createDb(url, { max: 4 });
try {
  console.log(
    `machine: ${cpus().length} CPUs, load average ${loadavg()
      .map((x) => x.toFixed(2))
      .join(' ')}`,
  );
  await runMigrations(handle.db);
  await seedDemo(handle.db);
  const labId = (
    await handle.pool.query<{ org_id: string }>(
      `SELECT m.org_id FROM memberships m JOIN users u ON u.id = m.user_id WHERE u.email = $1`,
      [USERS.lab],
    )
  ).rows[0]!.org_id;

  // ~10,000 open invoices of the lab to the seeded enterprises (the matching needs no ledger history).
  await handle.pool.query(
    `INSERT INTO invoices (lab_id, customer_org_id, number, year, seq, total_fen, issued_at, due_date,
                           payment_reference, payee, terms)
     SELECT $1, c.id, 'ZD-2026-B' || lpad(g::text, 6, '0'), 2026, 500000 + g, 10000 + (random() * 2000000)::int,
            timestamptz '2026-10-01 02:00Z' + g * interval '5 minutes', date '2026-10-15' + (g / 200),
            'QH' || (SELECT string_agg(substr($2::text, 1 + (random() * 30)::int, 1), '')
                      FROM generate_series(1, 8) k WHERE k <= 8 + 0 * g),
            '{"accountName":"","bankName":"","accountNumber":""}', 'on_delivery'
       FROM generate_series(1, $3::int) g
       JOIN LATERAL (SELECT id FROM organisations WHERE kind = 'enterprise' ORDER BY md5(id::text || g) LIMIT 1) c ON true
     ON CONFLICT DO NOTHING`,
    [labId, ALPHABET, INVOICES],
  );
  await handle.pool.query('ANALYZE');
  const open = (
    await handle.pool.query<{ reference: string; due: string; customer: string }>(
      `SELECT i.payment_reference AS reference, i.total_fen AS due, o.name_zh AS customer
         FROM invoices i JOIN organisations o ON o.id = i.customer_org_id
        WHERE i.lab_id = $1 AND i.status = 'open' AND i.kind = 'invoice' ORDER BY i.seq`,
      [labId],
    )
  ).rows.map((r): OpenInvoice => ({ reference: r.reference, due: Number(r.due), customer: r.customer }));

  // The statement: 70 % pay one invoice in full, 10 % in part, 5 % two invoices at once, 10 %
  // without a reference but with the customer's name and amount (suggestions), 5 % unknown.
  const rows: string[][] = [];
  const copyRows: string[] = [];
  for (let i = 0; i < LINES; i++) {
    const a = open[i % open.length]!;
    const b = open[(i + 1) % open.length]!;
    const kind = i % 20;
    let amount = a.due;
    let remark = `货款 ${a.reference}`;
    let payer = a.customer;
    if (kind === 14 || kind === 15) amount = Math.floor(a.due / 2);
    else if (kind === 16) {
      amount = a.due + Math.floor(b.due / 2);
      remark = `${a.reference},${b.reference}`;
    } else if (kind === 17 || kind === 18) remark = '检测费';
    else if (kind === 19) {
      payer = `某贸易公司${randomInt(1000)}`;
      remark = '往来款';
    }
    const date = `2026-11-${String(1 + (i % 28)).padStart(2, '0')}`;
    const serial = `SN${String(i).padStart(8, '0')}`;
    rows.push([date, serial, payer, '6228480000000000001', remark, '', yuan(amount), '100,000.00']);
    copyRows.push([date, serial, payer, '6228480000000000001', amount, remark].map((v) => cell(String(v))).join(','));
  }
  const csv = [
    '中国工商银行 账户明细',
    '账号,6222020000001234567',
    '交易日期,交易流水号,对方户名,对方账号,摘要,支出金额,收入金额,余额',
  ]
    .concat(rows.map((r) => r.map(cell).join(',')))
    .concat(['合计,,,,,0.00,,'])
    .join('\r\n');
  const copyText = copyRows.join('\n') + '\n';

  // Baseline: a bare COPY of the same lines into a scratch table (3 runs, median).
  await handle.pool.query(`CREATE TABLE bench_copy (txn_date date NOT NULL, serial text NOT NULL,
    counterparty text NOT NULL, account text NOT NULL, amount_fen bigint NOT NULL, remark text NOT NULL)`);
  const copyTimes: number[] = [];
  for (let run = 0; run < 3; run++) {
    await handle.pool.query('TRUNCATE bench_copy');
    const client = await handle.pool.connect();
    try {
      const started = performance.now();
      await pipeline(Readable.from([copyText]), client.query(copyFrom('COPY bench_copy FROM STDIN WITH (FORMAT csv)')));
      copyTimes.push(performance.now() - started);
    } finally {
      client.release();
    }
  }
  const copy = median(copyTimes);

  const db = { ...handle, name, url, drop: async () => undefined } as TestDatabase;
  const app = await buildTestApp(db, { clock: testClock(new Date('2026-11-30T02:00:00Z')) });
  try {
    const token = await login(app, USERS.lab);
    const send = async () => {
      const started = performance.now();
      const res = await app.inject({
        method: 'POST',
        url: `/v1/labs/${labId}/bank-statements`,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'text/csv; charset=utf-8' },
        payload: csv,
      });
      const took = performance.now() - started;
      if (res.statusCode !== 200) throw new Error(`upload answered ${res.statusCode}: ${res.body.slice(0, 300)}`);
      return { took, counts: res.json<Record<string, number>>() };
    };
    const first = await send();
    const again = await send();
    const payments = (
      await handle.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM payments WHERE bank_line_id IS NOT NULL`)
    ).rows[0]!.n;
    console.log(
      `\nbank statement of ${LINES.toLocaleString('en-US')} credit lines (${(csv.length / 1024).toFixed(0)} KiB) against ${open.length.toLocaleString('en-US')} open invoices`,
    );
    console.log(`  answer: ${JSON.stringify({ ...first.counts, statementId: undefined })}; ${payments} payments`);
    console.log(`  bare COPY into a scratch table (median of 3)   ${ms(copy).padStart(9)}`);
    console.log(
      `  upload + matching (parse, stage, pay, ledger) ${ms(first.took).padStart(9)}   ratio to COPY ${(first.took / copy).toFixed(1)}×`,
    );
    console.log(
      `  the same file again (all duplicates)          ${ms(again.took).padStart(9)}   ratio to COPY ${(again.took / copy).toFixed(1)}×`,
    );
    console.log(
      `  per line: ${((first.took / LINES) * 1000).toFixed(0)} µs matching vs ${((copy / LINES) * 1000).toFixed(0)} µs COPY`,
    );
  } finally {
    await app.close();
  }
} finally {
  await handle.close();
  if (flags.keep) console.log(`kept the scratch database ${name}`);
  else await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin.end();
}
