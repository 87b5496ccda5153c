import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { migrationsFolder } from '@qihub/db';
import { bearer, expectProblem, login, testClock, useSeededApp } from '../support/app.ts';
import { databaseDigest } from '../support/db.ts';
import { orgOf, USERS } from '../support/scenario.ts';

/**
 * Report numbers name their lab by a prefix ("SZQI-2026-000123"), so a prefix belongs to one lab
 * across the platform: a lab cannot take one another lab holds or has issued numbers under, the
 * database refuses two labs with one prefix, and a lab that never chose one is given a default no
 * other lab holds — even when the lab ids it is derived from start alike.
 */
const clock = testClock(new Date('2026-11-26T02:00:00Z'));
const t = useSeededApp({ clock });

const SETTINGS_TABLES = ['lab_order_settings', 'audit_log', 'reports'];

let labId: string;
let lab2Id: string;
const tok = {} as Record<'lab' | 'lab2', string>;

const put = (token: string, labIdOf: string, body: object) =>
  t.app.inject({ method: 'PUT', url: `/v1/labs/${labIdOf}/order-settings`, headers: bearer(token), payload: body });
const get = (token: string, labIdOf: string) =>
  t.app.inject({ method: 'GET', url: `/v1/labs/${labIdOf}/order-settings`, headers: bearer(token) });

async function prefixOf(lab: string): Promise<string | undefined> {
  const { rows } = await t.db.pool.query<{ p: string }>(
    'SELECT report_prefix AS p FROM lab_order_settings WHERE lab_id = $1',
    [lab],
  );
  return rows[0]?.p;
}

/** A new, admitted lab with the given id and a manager who signs in with the demo password. */
async function aLabWithId(id: string, managerEmail: string): Promise<string> {
  await t.db.pool.query(
    `INSERT INTO organisations (id, kind, status, name_zh, region_code, lab_type)
     SELECT $1, 'lab', 'active', $2, region_code, lab_type FROM organisations WHERE id = $3`,
    [id, `前缀测试实验室 ${id.slice(-4)}`, labId],
  );
  const { rows } = await t.db.pool.query<{ id: string }>(
    `INSERT INTO users (email, password_hash, display_name)
     SELECT $1, password_hash, '前缀测试' FROM users WHERE email = $2 RETURNING id`,
    [managerEmail, USERS.lab],
  );
  await t.db.pool.query(`INSERT INTO memberships (user_id, org_id, role) VALUES ($1, $2, 'manager')`, [
    rows[0]!.id,
    id,
  ]);
  return login(t.app, managerEmail);
}

/** An issued report of `lab` numbered `number` (imported history), on any order of that lab. */
async function issuedHistory(lab: string, number: string) {
  const { rows } = await t.db.pool.query<{ id: string }>(
    `INSERT INTO orders (number, customer_org_id, lab_id, requested_by, status, title_zh)
     SELECT $1, m.org_id, $2, m.user_id, 'closed', '历史订单' FROM memberships m JOIN users u ON u.id = m.user_id
     WHERE u.email = $3 RETURNING id`,
    [`H${number.replace(/\W/g, '').slice(-13)}`, lab, USERS.sme],
  );
  await t.db.pool.query(
    `INSERT INTO reports (order_id, lab_id, number, status, verification_code, issued_at)
     VALUES ($1, $2, $3, 'issued', $4, '2025-03-01T02:00:00Z')`,
    [rows[0]!.id, lab, number, `history-${number}`],
  );
}

beforeAll(async () => {
  labId = await orgOf(t.db, USERS.lab);
  lab2Id = await orgOf(t.db, USERS.lab2);
  tok.lab = await login(t.app, USERS.lab);
  tok.lab2 = await login(t.app, USERS.lab2);
});

describe('a prefix belongs to one lab', () => {
  it("another lab's prefix is refused with report_prefix_taken, and nothing changes", async () => {
    const mine = (await get(tok.lab, labId)).json<{ reportPrefix: string }>().reportPrefix;
    expect(mine).toBe('SZQI');
    const before = await databaseDigest(t.db, SETTINGS_TABLES);
    const res = await put(tok.lab2, lab2Id, { reportPrefix: mine, objectionDays: 10 });
    const body = expectProblem(res, 409, 'report_prefix_taken');
    expect(body.errors).toEqual([expect.objectContaining({ path: '/reportPrefix', code: 'report_prefix_taken' })]);
    expect(await databaseDigest(t.db, SETTINGS_TABLES)).toEqual(before);
    // A lab re-saving its own prefix is no conflict.
    expect((await put(tok.lab, labId, { reportPrefix: mine, objectionDays: 15 })).statusCode).toBe(200);
  });

  it("a prefix another lab has issued numbers under stays that lab's, even after it moved on", async () => {
    await issuedHistory(labId, 'SQIOLD-2025-000007');
    const before = await databaseDigest(t.db, SETTINGS_TABLES);
    expectProblem(await put(tok.lab2, lab2Id, { reportPrefix: 'SQIOLD' }), 409, 'report_prefix_taken');
    expect(await databaseDigest(t.db, SETTINGS_TABLES)).toEqual(before);
    // Its own old prefix the lab may take back.
    expect((await put(tok.lab, labId, { reportPrefix: 'SQIOLD' })).statusCode).toBe(200);
    expect((await put(tok.lab, labId, { reportPrefix: 'SZQI' })).statusCode).toBe(200);
  });

  it('the database itself refuses a second lab with the same prefix', async () => {
    await expect(
      t.db.pool.query(`UPDATE lab_order_settings SET report_prefix = 'SZQI' WHERE lab_id = $1`, [lab2Id]),
    ).rejects.toMatchObject({ code: '23505', constraint: 'lab_order_settings_report_prefix_uq' });
  });
});

describe('default prefixes', () => {
  it('a lab whose derived default another lab already holds is offered, and given, a different one', async () => {
    const id = 'e1e10000-0000-4000-8000-00000000000a';
    // lab2 holds exactly what the new lab's id would give ("QI" and its first four hex digits).
    expect((await put(tok.lab2, lab2Id, { reportPrefix: 'QIE1E1' })).statusCode).toBe(200);
    const manager = await aLabWithId(id, 'prefix-a@demo.qihub.test');
    const shown = (await get(manager, id)).json<{ reportPrefix: string; saved: boolean }>();
    expect(shown.saved).toBe(false);
    expect(shown.reportPrefix).toMatch(/^QIE1E1[0-9A-F]+$/);
    // Saving any other setting stores the default it was shown; it is the lab's from then on.
    const saved = await put(manager, id, { objectionDays: 20 });
    expect(saved.statusCode, saved.body).toBe(200);
    expect(saved.json<{ reportPrefix: string }>().reportPrefix).toBe(shown.reportPrefix);
    expect(await prefixOf(id)).toBe(shown.reportPrefix);
    expect(await prefixOf(lab2Id)).toBe('QIE1E1');
  });

  it('two labs whose ids start alike, saving at the same moment, are given different prefixes', async () => {
    const ids = ['e2e2e2e2-e2e2-4000-8000-000000000001', 'e2e2e2e2-e2e2-4000-8000-000000000002'];
    const managers = [
      await aLabWithId(ids[0]!, 'prefix-b@demo.qihub.test'),
      await aLabWithId(ids[1]!, 'prefix-c@demo.qihub.test'),
    ];
    const results = await Promise.all(ids.map((id, i) => put(managers[i]!, id, { quoteValidityDays: 14 })));
    for (const r of results) expect(r.statusCode, r.body).toBe(200);
    const prefixes = results.map((r) => r.json<{ reportPrefix: string }>().reportPrefix);
    expect(prefixes[0]).not.toBe(prefixes[1]);
    for (const p of prefixes) expect(p).toMatch(/^QIE2E2[0-9A-F]*$/);
    expect([await prefixOf(ids[0]!), await prefixOf(ids[1]!)]).toEqual(prefixes);
  });
});

describe('the migration that makes prefixes unique', () => {
  it('keeps a shared prefix with the lab that issued under it first and gives the others their own', async () => {
    const file = readdirSync(migrationsFolder).find((f) => /report_prefix/.test(f) && f.endsWith('.sql'));
    expect(file).toBeDefined();
    const statements = readFileSync(path.join(migrationsFolder, file!), 'utf8').split('--> statement-breakpoint');
    const c = 'e3e30000-0000-4000-8000-00000000000c';
    await aLabWithId(c, 'prefix-d@demo.qihub.test');
    // The state before the migration: no unique index, two labs on one prefix, and a lab that
    // issued under its derived default without ever saving settings.
    await t.db.pool.query('DROP INDEX lab_order_settings_report_prefix_uq');
    await t.db.pool.query(`UPDATE lab_order_settings SET report_prefix = 'DUPE' WHERE lab_id = ANY($1)`, [
      [labId, lab2Id],
    ]);
    await issuedHistory(lab2Id, 'DUPE-2025-000001');
    await t.db.pool.query('DELETE FROM lab_order_settings WHERE lab_id = $1', [c]);
    await issuedHistory(c, 'QIE3E3-2025-000001');

    for (const s of statements) await t.db.pool.query(s);

    expect(await prefixOf(lab2Id)).toBe('DUPE');
    expect(await prefixOf(labId)).toBe(`QI${labId.replace(/-/g, '').slice(0, 4).toUpperCase()}`);
    expect(await prefixOf(c)).toBe('QIE3E3');
    const { rows } = await t.db.pool.query<{ n: number; d: number }>(
      'SELECT count(*)::int AS n, count(DISTINCT report_prefix)::int AS d FROM lab_order_settings',
    );
    expect(rows[0]!.n).toBe(rows[0]!.d);
    await expect(
      t.db.pool.query(`UPDATE lab_order_settings SET report_prefix = 'DUPE' WHERE lab_id = $1`, [labId]),
    ).rejects.toMatchObject({ code: '23505' });
  });
});
