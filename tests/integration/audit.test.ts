import { describe, expect, it, beforeAll } from 'vitest';
import { bearer, expectProblem, login, useSeededApp } from '../support/app.ts';
import { orgOf, USERS } from '../support/scenario.ts';

/**
 * The platform admins' audit log: filters (who, organisation, entity, action, period in China),
 * pages, CSV for Excel, and each admin's region only — a city admin never sees another city's rows.
 */
const t = useSeededApp();

interface Entry {
  id: string;
  at: string;
  actor: { kind: string; email: string | null; name: string | null };
  action: string;
  entityType: string;
  entityId: string;
  org: { id: string; nameZh: string; regionCode: string } | null;
  after: unknown;
}
interface Page {
  items: Entry[];
  nextCursor: string | null;
}

let admin: string;
let city: string;
let sme: string;
let suzhouLab: string;
let wuxiEnterprise: string;
const ids: Record<string, string> = {};

/** An admin of the seeded Suzhou city platform (320500), signed in. */
async function suzhouCityAdmin(): Promise<string> {
  const db = t.db.pool;
  const { rows: p } = await db.query<{ id: string }>(
    `SELECT id FROM organisations WHERE kind = 'platform' AND region_code = '320500'`,
  );
  const { rows: u } = await db.query<{ id: string }>(
    `INSERT INTO users (email, password_hash, display_name)
     SELECT 'city-admin@audit.test', password_hash, '苏州管理员' FROM users WHERE email = $1 RETURNING id`,
    [USERS.admin],
  );
  await db.query(`INSERT INTO memberships (user_id, org_id, role) VALUES ($1, $2, 'admin')`, [u[0]!.id, p[0]!.id]);
  return login(t.app, 'city-admin@audit.test');
}

/** An audit row as the services write it, at a known instant. */
async function entry(
  key: string,
  row: { at: string; actor: string; action: string; type: string; entity: string; org: string; after?: unknown },
) {
  const { rows } = await t.db.pool.query<{ id: string }>(
    `INSERT INTO audit_log (at, actor_user_id, actor_org_id, actor_kind, action, entity_type, entity_id, org_id, after)
     SELECT $1, u.id, $2, 'user', $3, $4, $5, $2, $6 FROM users u WHERE u.email = $7 RETURNING id`,
    [row.at, row.org, row.action, row.type, row.entity, JSON.stringify(row.after ?? null), row.actor],
  );
  ids[key] = rows[0]!.id;
}

const list = async (token: string, query: Record<string, string> = {}) => {
  const res = await t.app.inject({ method: 'GET', url: '/v1/admin/audit', query, headers: bearer(token) });
  expect(res.statusCode, res.body).toBe(200);
  return res.json<Page>();
};
const mine = (page: Page) => page.items.filter((e) => e.entityId.startsWith('audit-test-')).map((e) => e.entityId);

beforeAll(async () => {
  admin = await login(t.app, USERS.admin);
  sme = await login(t.app, USERS.sme);
  city = await suzhouCityAdmin();
  suzhouLab = await orgOf(t.db, USERS.lab);
  wuxiEnterprise = await orgOf(t.db, USERS.sme2);
  // 2026-11-30T16:30Z is 1 December 00:30 in Shanghai: the period is China's days, not UTC's.
  await entry('accepted', {
    at: '2026-11-10T02:00:00Z',
    actor: USERS.lab,
    action: 'order.accepted',
    type: 'order',
    entity: 'audit-test-o1',
    org: suzhouLab,
  });
  await entry('cancelled', {
    at: '2026-11-20T02:00:00Z',
    actor: USERS.lab,
    action: 'order.cancelled',
    type: 'order',
    entity: 'audit-test-o2',
    org: suzhouLab,
  });
  await entry('midnight', {
    at: '2026-11-30T16:30:00Z',
    actor: USERS.lab,
    action: 'instrument.updated',
    type: 'instrument',
    entity: 'audit-test-i1',
    org: suzhouLab,
    after: { nameZh: '=HYPERLINK("x")' },
  });
  await entry('wuxi', {
    at: '2026-11-15T02:00:00Z',
    actor: USERS.sme2,
    action: 'order.created',
    type: 'order',
    entity: 'audit-test-o3',
    org: wuxiEnterprise,
  });
});

describe('GET /v1/admin/audit', () => {
  it('filters by action (a prefix finds its family), entity, organisation and who', async () => {
    expect(mine(await list(admin, { action: 'order' })).sort()).toEqual([
      'audit-test-o1',
      'audit-test-o2',
      'audit-test-o3',
    ]);
    expect(mine(await list(admin, { action: 'order.cancelled' }))).toEqual(['audit-test-o2']);
    expect(mine(await list(admin, { action: 'ord' }))).toEqual([]);
    expect(mine(await list(admin, { entityType: 'instrument', entityId: 'audit-test-i1' }))).toEqual(['audit-test-i1']);
    expect(mine(await list(admin, { orgId: wuxiEnterprise }))).toEqual(['audit-test-o3']);
    expect(mine(await list(admin, { actor: 'sme2@', action: 'order' }))).toEqual(['audit-test-o3']);
    const one = (await list(admin, { entityId: 'audit-test-o3' })).items[0]!;
    expect(one.actor).toMatchObject({ kind: 'user', email: USERS.sme2 });
    expect(one.org).toMatchObject({ id: wuxiEnterprise, regionCode: '320214' });
  });

  it('takes the period as days in Asia/Shanghai, both ends inclusive', async () => {
    expect(mine(await list(admin, { from: '2026-12-01', to: '2026-12-01' }))).toEqual(['audit-test-i1']);
    expect(mine(await list(admin, { from: '2026-11-01', to: '2026-11-30' })).sort()).toEqual([
      'audit-test-o1',
      'audit-test-o2',
      'audit-test-o3',
    ]);
    expect(mine(await list(admin, { from: '2026-11-20', to: '2026-11-20' }))).toEqual(['audit-test-o2']);
  });

  it('pages newest first with a cursor, no entry twice', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: Page = await list(admin, { entityId: 'audit-test-o1', limit: '1', ...(cursor ? { cursor } : {}) });
      seen.push(...page.items.map((e) => e.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual([ids.accepted]);
    const all = await list(admin, { action: 'order', from: '2026-11-01', to: '2026-11-30', limit: '2' });
    expect(all.items.map((e) => e.entityId)).toEqual(['audit-test-o3', 'audit-test-o2']);
    const rest = await list(admin, {
      action: 'order',
      from: '2026-11-01',
      to: '2026-11-30',
      limit: '2',
      cursor: all.nextCursor!,
    });
    expect(rest.items.map((e) => e.entityId)).toEqual(['audit-test-o1']);
    expect(rest.nextCursor).toBeNull();
  });

  it('shows a city admin their city only: another city’s rows are absent, and 404 one by one', async () => {
    expect(mine(await list(city, { action: 'order' })).sort()).toEqual(['audit-test-o1', 'audit-test-o2']);
    expect(mine(await list(city, { orgId: wuxiEnterprise }))).toEqual([]);
    const other = await t.app.inject({ method: 'GET', url: `/v1/admin/audit/${ids.wuxi}`, headers: bearer(city) });
    expectProblem(other, 404, 'not_found');
    const own = await t.app.inject({ method: 'GET', url: `/v1/admin/audit/${ids.accepted}`, headers: bearer(city) });
    expect(own.statusCode, own.body).toBe(200);
    expect(own.json<Entry>().action).toBe('order.accepted');
    const province = await t.app.inject({ method: 'GET', url: `/v1/admin/audit/${ids.wuxi}`, headers: bearer(admin) });
    expect(province.statusCode).toBe(200);
  });

  it('refuses labs and enterprises (403) and strangers (401)', async () => {
    expectProblem(
      await t.app.inject({ method: 'GET', url: '/v1/admin/audit', headers: bearer(sme) }),
      403,
      'forbidden',
    );
    const lab = await login(t.app, USERS.lab);
    expectProblem(
      await t.app.inject({ method: 'GET', url: '/v1/admin/audit', headers: bearer(lab) }),
      403,
      'forbidden',
    );
    expectProblem(
      await t.app.inject({ method: 'GET', url: `/v1/admin/audit/${ids.accepted}`, headers: bearer(lab) }),
      403,
      'forbidden',
    );
    expectProblem(await t.app.inject({ method: 'GET', url: '/v1/admin/audit' }), 401, 'unauthenticated');
  });

  it('refuses a reversed period and a foreign cursor', async () => {
    const reversed = await t.app.inject({
      method: 'GET',
      url: '/v1/admin/audit?from=2026-12-02&to=2026-12-01',
      headers: bearer(admin),
    });
    expectProblem(reversed, 400, 'invalid_range');
    const cursor = Buffer.from(JSON.stringify(['id', 5])).toString('base64url');
    const bad = await t.app.inject({ method: 'GET', url: `/v1/admin/audit?cursor=${cursor}`, headers: bearer(admin) });
    expectProblem(bad, 400, 'invalid_cursor');
  });
});

describe('the audit CSV', () => {
  const csv = (token: string, query: Record<string, string>) =>
    t.app.inject({ method: 'GET', url: '/v1/admin/audit', query: { ...query, format: 'csv' }, headers: bearer(token) });

  it('is UTF-8 with a BOM (Excel opens Chinese), every match, formulas defused', async () => {
    const res = await csv(admin, { entityId: 'audit-test-i1' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv; charset=utf-8/);
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename="audit\.csv"/);
    expect([...res.rawPayload.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = res.body
      .replace(/^\ufeff/, '')
      .trimEnd()
      .split('\r\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toContain('时间 time (Asia/Shanghai)');
    expect(lines[1]).toContain('2026-12-01 00:30:00');
    expect(lines[1]).toContain('instrument.updated');
    expect(lines[1]).toContain('江苏省苏南产品质量监督检验研究院');
    // The JSON of `after` starts with "{", and the name inside stays text.
    expect(lines[1]).toContain('"{""nameZh"":""=HYPERLINK(\\""x\\"")""}"');
  });

  it('follows the filters and the admin’s region', async () => {
    const province = await csv(admin, { action: 'order' });
    expect(province.body).toContain('audit-test-o3');
    const cityCsv = await csv(city, { action: 'order' });
    expect(cityCsv.statusCode).toBe(200);
    expect(cityCsv.body).toContain('audit-test-o1');
    expect(cityCsv.body).not.toContain('audit-test-o3');
    expect(cityCsv.body).not.toContain('无锡');
    expectProblem(await csv(sme, {}), 403, 'forbidden');
  });
});
