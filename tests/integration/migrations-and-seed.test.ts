import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb, runMigrations } from '@qihub/db';
import { DEMO_ENTERPRISE_ID, DEMO_LAB_ID, DEMO_ORDERS, seedDemo } from '@qihub/db/seed';
import { isValidCreditCode } from '@qihub/api/lib/credit-code';
import { CATALOGUE_TABLES, countRows, createTestDatabase, databaseDigest, type TestDatabase } from '../support/db.ts';

let db: TestDatabase;

/** Tables of the issue-4 demo data, for the idempotency digest. */
const ORDER_FLOW_TABLES = [
  'lab_order_settings',
  'lab_signatories',
  'enterprise_officers',
  'orders',
  'order_lines',
  'order_samples',
  'order_events',
  'order_messages',
  'order_ratings',
  'order_sequences',
  'calibration_records',
  'assistance_requests',
  'assistance_visits',
  'events',
  'event_sessions',
];

beforeAll(async () => {
  db = await createTestDatabase({ empty: true });
});
afterAll(async () => {
  await db.drop();
});

describe('migrations', () => {
  it('build the schema from an empty database, and a second run changes nothing', async () => {
    await runMigrations(db.db);
    const tables = await db.pool.query<{ table_name: string }>(
      "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1",
    );
    const names = tables.rows.map((r) => r.table_name);
    for (const t of CATALOGUE_TABLES) expect(names).toContain(t);
    const ext = await db.pool.query<{ extname: string }>('SELECT extname FROM pg_extension');
    expect(ext.rows.map((r) => r.extname)).toEqual(expect.arrayContaining(['pg_trgm', 'btree_gist']));
    const before = await db.pool.query('SELECT count(*)::int AS n FROM drizzle.__drizzle_migrations');
    await runMigrations(db.db);
    const after = await db.pool.query('SELECT count(*)::int AS n FROM drizzle.__drizzle_migrations');
    expect(after.rows[0]).toEqual(before.rows[0]);
  });

  it('enforce the data rules in the database itself', async () => {
    await expect(
      db.pool.query("INSERT INTO regions (code, name_zh, name_en, level) VALUES ('32ab00', 'x', 'x', 'city')"),
    ).rejects.toMatchObject({ code: '23514' });
    await db.pool.query(
      "INSERT INTO regions (code, name_zh, name_en, level) VALUES ('990000', '测试省', 'Test', 'province')",
    );
    // An enterprise must carry a credit code.
    await expect(
      db.pool.query(
        "INSERT INTO organisations (kind, name_zh, region_code) VALUES ('enterprise', '无代码企业', '990000')",
      ),
    ).rejects.toMatchObject({ code: '23514' });
    await db.pool.query("DELETE FROM regions WHERE code = '990000'");
  });
});

describe('demo seed', () => {
  it('seeds a realistic catalogue', async () => {
    await seedDemo(db.db);
    const { rows: labs } = await db.pool.query<{ n: number; cities: number }>(
      "SELECT count(*)::int AS n, count(DISTINCT substr(region_code, 1, 4))::int AS cities FROM organisations WHERE kind = 'lab'",
    );
    expect(labs[0]!.n).toBeGreaterThanOrEqual(6);
    expect(labs[0]!.cities).toBeGreaterThanOrEqual(3);
    expect(await countRows(db, 'instruments')).toBeGreaterThanOrEqual(40);
    const { rows: kinds } = await db.pool.query<{ n: number }>('SELECT count(DISTINCT kind)::int AS n FROM services');
    expect(kinds[0]!.n).toBe(11);
    const { rows: cats } = await db.pool.query<{ n: number }>(
      'SELECT count(DISTINCT category_code)::int AS n FROM instruments',
    );
    expect(cats[0]!.n).toBeGreaterThanOrEqual(10);
    const { rows: users } = await db.pool.query<{ email: string }>('SELECT email FROM users ORDER BY email');
    expect(users.map((u) => u.email)).toEqual(
      expect.arrayContaining([
        'admin@demo.qihub.test',
        'lab@demo.qihub.test',
        'operator@demo.qihub.test',
        'sme@demo.qihub.test',
        'sme2@demo.qihub.test',
      ]),
    );
    const { rows: smes } = await db.pool.query<{ n: number }>(`
      SELECT count(DISTINCT m.org_id)::int AS n FROM memberships m JOIN users u ON u.id = m.user_id
      WHERE u.email IN ('sme@demo.qihub.test', 'sme2@demo.qihub.test')`);
    expect(smes[0]!.n).toBe(2);
    const { rows: lab } = await db.pool.query<{ role: string; org: string }>(`
      SELECT m.role, m.org_id AS org FROM memberships m JOIN users u ON u.id = m.user_id
      WHERE u.email IN ('lab@demo.qihub.test', 'operator@demo.qihub.test') ORDER BY m.role`);
    expect(lab.map((r) => r.role)).toEqual(['manager', 'operator']);
    expect(lab[0]!.org).toBe(lab[1]!.org);
  });

  it('gives every enterprise a valid unified social credit code', async () => {
    const { rows } = await db.pool.query<{ credit_code: string | null }>(
      'SELECT credit_code FROM organisations WHERE credit_code IS NOT NULL',
    );
    expect(rows.length).toBeGreaterThan(0);
    for (const r of rows) expect(isValidCreditCode(r.credit_code!), r.credit_code!).toBe(true);
  });

  it('keeps units, search text and prices consistent', async () => {
    const { rows: units } = await db.pool.query<{ n: number }>(`
      SELECT count(*)::int AS n FROM instruments i
      WHERE i.unit_count <> (SELECT count(*) FROM instrument_units u WHERE u.instrument_id = i.id AND u.active)`);
    expect(units[0]!.n).toBe(0);
    const { rows: blank } = await db.pool.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM instruments WHERE search_text = ''",
    );
    expect(blank[0]!.n).toBe(0);
  });

  it('seeds the order flow of issue 4: settings, signatories, officer, orders at each stage', async () => {
    const { rows: prefix } = await db.pool.query<{ report_prefix: string }>(
      `SELECT report_prefix FROM lab_order_settings WHERE lab_id = $1`,
      [DEMO_LAB_ID],
    );
    expect(prefix[0]?.report_prefix).toBe('SZQI');
    expect(await countRows(db, 'lab_order_settings')).toBeGreaterThanOrEqual(6);
    const { rows: lab } = await db.pool.query<{ email: string; role: string; signatory: boolean }>(
      `SELECT u.email, m.role, EXISTS (SELECT 1 FROM lab_signatories s WHERE s.lab_id = m.org_id AND s.user_id = u.id
         AND s.revoked_at IS NULL) AS signatory
       FROM memberships m JOIN users u ON u.id = m.user_id WHERE m.org_id = $1 ORDER BY u.email`,
      [DEMO_LAB_ID],
    );
    expect(lab).toEqual([
      { email: 'lab@demo.qihub.test', role: 'manager', signatory: true },
      { email: 'operator@demo.qihub.test', role: 'operator', signatory: false },
      { email: 'reviewer@demo.qihub.test', role: 'staff', signatory: false },
    ]);
    const { rows: officer } = await db.pool.query<{ email: string }>(
      `SELECT u.email FROM enterprise_officers e JOIN users u ON u.id = e.officer_user_id WHERE e.enterprise_id = $1`,
      [DEMO_ENTERPRISE_ID],
    );
    expect(officer).toEqual([{ email: 'officer@demo.qihub.test' }]);

    const { rows: orders } = await db.pool.query<{
      id: string;
      number: string;
      status: string;
      customer_org_id: string;
      lab_id: string;
      lines: number;
      priced: number;
      samples: number;
      received: number;
      events: number;
      last_to: string | null;
    }>(`
      SELECT o.id, o.number, o.status, o.customer_org_id, o.lab_id,
        (SELECT count(*)::int FROM order_lines l WHERE l.order_id = o.id) AS lines,
        (SELECT count(*)::int FROM order_lines l WHERE l.order_id = o.id AND l.unit_price_fen IS NOT NULL) AS priced,
        (SELECT count(*)::int FROM order_samples s WHERE s.order_id = o.id) AS samples,
        (SELECT count(*)::int FROM order_samples s WHERE s.order_id = o.id AND s.status = 'received') AS received,
        (SELECT count(*)::int FROM order_events e WHERE e.order_id = o.id) AS events,
        (SELECT e.to_status::text FROM order_events e WHERE e.order_id = o.id AND e.to_status IS NOT NULL
          ORDER BY e.at DESC, e.id DESC LIMIT 1) AS last_to
      FROM orders o ORDER BY o.number`);
    expect(orders.map((o) => o.id).sort()).toEqual(DEMO_ORDERS.map((o) => o.id).sort());
    expect(new Set(orders.map((o) => o.status))).toEqual(
      new Set(['requested', 'quoted', 'in_progress', 'report_issued', 'closed']),
    );
    for (const o of orders) {
      expect(o.customer_org_id, o.number).toBe(DEMO_ENTERPRISE_ID);
      expect(o.lab_id, o.number).toBe(DEMO_LAB_ID);
      expect(o.lines, o.number).toBeGreaterThan(0);
      // The timeline ends in the order's status; quoted orders have prices, requested ones not yet.
      expect(o.last_to, o.number).toBe(o.status);
      expect(o.priced, o.number).toBe(o.status === 'requested' ? 0 : o.lines);
      if (['in_progress', 'report_issued', 'closed'].includes(o.status)) {
        expect(o.samples, o.number).toBeGreaterThan(0);
        expect(o.received, o.number).toBe(o.samples);
      }
    }
    const { rows: seq } = await db.pool.query<{ last_value: number }>(
      'SELECT last_value FROM order_sequences WHERE year = 2026',
    );
    const highest = Math.max(...orders.map((o) => Number(o.number.slice(6))));
    expect(seq[0]!.last_value).toBeGreaterThanOrEqual(highest);
    // Lines reference real services and standards, in the lab's CMA scope once quoted.
    const { rows: salt } = await db.pool.query<{ n: number }>(`
      SELECT count(*)::int AS n FROM order_lines l JOIN services s ON s.id = l.service_id
      WHERE l.standard_code = 'GB/T 10125-2021' AND s.lab_id = '${DEMO_LAB_ID}' AND l.in_cma_scope
        AND l.cma_qualification_id IS NOT NULL`);
    expect(salt[0]!.n).toBeGreaterThan(0);
    // Issued orders carry no report rows in the seed (PDFs are rendered by the application).
    expect(await countRows(db, 'reports')).toBe(0);
  });

  it('seeds ratings, a conversation, calibration records, an assistance request and published events', async () => {
    const { rows: ratings } = await db.pool.query<{ score: number; status: string; reply: string | null }>(
      `SELECT r.score, o.status, r.reply FROM order_ratings r JOIN orders o ON o.id = r.order_id ORDER BY r.rated_at`,
    );
    expect(ratings.length).toBeGreaterThanOrEqual(1);
    for (const r of ratings) expect(r.status).toBe('closed');
    expect(ratings.some((r) => r.reply === null)).toBe(true);
    expect(ratings.some((r) => r.reply !== null)).toBe(true);
    const { rows: msgs } = await db.pool.query<{ n: number; posted: number }>(`
      SELECT (SELECT count(*)::int FROM order_messages) AS n,
        (SELECT count(*)::int FROM order_events WHERE action = 'message.posted') AS posted`);
    expect(msgs[0]!.n).toBeGreaterThan(0);
    expect(msgs[0]!.posted).toBe(msgs[0]!.n);
    const { rows: cal } = await db.pool.query<{ instrument_name: string; next_due_on: string }>(
      `SELECT instrument_name, next_due_on::text FROM calibration_records WHERE customer_org_id = $1 ORDER BY next_due_on`,
      [DEMO_ENTERPRISE_ID],
    );
    expect(cal.map((c) => c.instrument_name)).toContain('数显卡尺');
    expect(cal[0]!.next_due_on < '2027-01-01').toBe(true);
    const { rows: help } = await db.pool.query<{ status: string; officer: string | null; visits: number }>(`
      SELECT a.status, a.officer_user_id AS officer,
        (SELECT count(*)::int FROM assistance_visits v WHERE v.request_id = a.id) AS visits
      FROM assistance_requests a`);
    expect(help).toHaveLength(1);
    expect(help[0]!.officer).not.toBeNull();
    const { rows: evs } = await db.pool.query<{ title_zh: string; status: string; sessions: number; first: string }>(`
      SELECT e.title_zh, e.status, count(s.id)::int AS sessions,
        to_char(min(s.starts_at) AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD') AS first
      FROM events e JOIN event_sessions s ON s.event_id = e.id GROUP BY e.id ORDER BY first`);
    expect(evs.length).toBeGreaterThanOrEqual(2);
    for (const e of evs) {
      expect(e.status).toBe('published');
      expect(e.sessions).toBeGreaterThan(0);
    }
    expect(evs.find((e) => e.title_zh.includes('世界标准日'))?.first).toBe('2027-10-14');
    expect(evs.some((e) => e.title_zh.includes('开放日'))).toBe(true);
  });

  it('is idempotent: seeding again changes nothing', async () => {
    const before = await databaseDigest(db, [...CATALOGUE_TABLES, ...ORDER_FLOW_TABLES]);
    await seedDemo(db.db);
    expect(await databaseDigest(db, [...CATALOGUE_TABLES, ...ORDER_FLOW_TABLES])).toEqual(before);
  });

  it('never lowers the order-number sequence', async () => {
    await db.pool.query('UPDATE order_sequences SET last_value = 900 WHERE year = 2026');
    await seedDemo(db.db);
    const { rows } = await db.pool.query<{ last_value: number }>(
      'SELECT last_value FROM order_sequences WHERE year = 2026',
    );
    expect(rows[0]!.last_value).toBe(900);
  });
});

describe('migrations run by several replicas', () => {
  it('succeed when replicas migrate one fresh database at the same time', async () => {
    const fresh = await createTestDatabase({ empty: true });
    const other = await createTestDatabase({ empty: true });
    await other.drop();
    try {
      const second = createDb(fresh.url, { max: 2 });
      await Promise.all([runMigrations(fresh.db), runMigrations(second.db), runMigrations(fresh.db)]);
      await second.close();
      const { rows } = await fresh.pool.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM drizzle.__drizzle_migrations',
      );
      expect(rows[0]!.n).toBeGreaterThan(0);
    } finally {
      await fresh.drop();
    }
  });
});
