import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runMigrations } from '@qihub/db';
import { seedDemo } from '@qihub/db/seed';
import { isValidCreditCode } from '@qihub/api/lib/credit-code';
import { CATALOGUE_TABLES, countRows, createTestDatabase, databaseDigest, type TestDatabase } from '../support/db.ts';

let db: TestDatabase;

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

  it('is idempotent: seeding again changes nothing', async () => {
    const before = await databaseDigest(db, CATALOGUE_TABLES);
    await seedDemo(db.db);
    expect(await databaseDigest(db, CATALOGUE_TABLES)).toEqual(before);
  });
});
