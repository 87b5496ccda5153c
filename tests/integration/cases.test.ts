import { describe, expect, it } from 'vitest';
import { DEMO_CASE_IDS } from '@qihub/db/seed';
import { bearer, expectProblem, login, useSeededApp } from '../support/app.ts';
import { orgOf, USERS } from '../support/scenario.ts';

/**
 * Typical cases (典型案例): a lab or a service officer writes one, submits it; the platform admin of
 * its region edits, returns or publishes it; the public reads only what is published, and only the
 * write-up. A city admin of another city does not find it.
 */
const t = useSeededApp();
type Json = Record<string, unknown>;

const call = async (token: string | null, method: 'GET' | 'POST' | 'PATCH', url: string, payload?: Json) =>
  t.app.inject({ method, url, ...(token ? { headers: bearer(token) } : {}), ...(payload ? { payload } : {}) });

const write = {
  title: '硬度和金相分析帮助齿轮企业找到早期断齿原因',
  enterpriseName: '苏州某齿轮企业',
  industry: '传动件制造',
  problem: '批量齿轮在台架试验中早期断齿。',
  service: '洛氏硬度梯度、金相组织和断口扫描电镜分析。',
  result: '调整渗碳淬火工艺，台架寿命达标。',
  costSavedFen: 5_000_000,
  timeSavedDays: 10,
  notes: '返工率下降 6 个百分点。',
};

/** A platform (city or province) with one admin who signs in with the demo password. */
async function aPlatformAdmin(email: string, regionCode: string, level: 'province' | 'city'): Promise<string> {
  const org = await t.db.pool.query<{ id: string }>(
    `INSERT INTO organisations (kind, status, name_zh, name_en, region_code, platform_level)
     VALUES ('platform', 'active', $1, $1, $2, $3) RETURNING id`,
    [`测试平台 ${regionCode}`, regionCode, level],
  );
  const user = await t.db.pool.query<{ id: string }>(
    `INSERT INTO users (email, password_hash, display_name)
     SELECT $1, password_hash, '测试管理员' FROM users WHERE email = 'admin@demo.qihub.test' RETURNING id`,
    [email],
  );
  await t.db.pool.query(`INSERT INTO memberships (user_id, org_id, role) VALUES ($1, $2, 'admin')`, [
    user.rows[0]!.id,
    org.rows[0]!.id,
  ]);
  return login(t.app, email);
}

const PUBLIC_FIELDS = [
  'costSavedFen',
  'enterpriseName',
  'id',
  'industry',
  'notes',
  'problem',
  'provider',
  'publishedAt',
  'regionCode',
  'result',
  'service',
  'timeSavedDays',
  'title',
];

describe('typical cases', () => {
  it('shows the public the seeded published cases, and only their write-up', async () => {
    const list = await call(null, 'GET', '/v1/cases');
    expect(list.statusCode).toBe(200);
    const items = list.json<{ items: Json[] }>().items;
    expect(items.map((c) => c.id)).toEqual([DEMO_CASE_IDS.torque, DEMO_CASE_IDS.saltSpray]);
    for (const c of items) {
      expect(Object.keys(c).sort()).toEqual(PUBLIC_FIELDS);
      expect(Object.keys(c.provider as Json).sort()).toEqual(['nameEn', 'nameZh']);
    }
    const one = await call(null, 'GET', `/v1/cases/${DEMO_CASE_IDS.saltSpray}`);
    expect(one.json<Json>().costSavedFen).toBe(38_000_000);
    expect(Object.keys(one.json<Json>()).sort()).toEqual(PUBLIC_FIELDS);
    // Region filter: Jiangsu has both, Zhejiang none.
    expect((await call(null, 'GET', '/v1/cases?region=320000')).json<{ items: Json[] }>().items).toHaveLength(2);
    expect((await call(null, 'GET', '/v1/cases?region=330000')).json<{ items: Json[] }>().items).toHaveLength(0);
    // Paging, newest publication first.
    const first = (await call(null, 'GET', '/v1/cases?limit=1')).json<{ items: Json[]; nextCursor: string }>();
    expect(first.items[0]!.id).toBe(DEMO_CASE_IDS.torque);
    const second = (await call(null, 'GET', `/v1/cases?limit=1&cursor=${first.nextCursor}`)).json<{
      items: Json[];
      nextCursor: string | null;
    }>();
    expect(second.items[0]!.id).toBe(DEMO_CASE_IDS.saltSpray);
    expect(second.nextCursor).toBeNull();
  });

  it('goes draft → submitted → returned → submitted → published, with each side allowed only its part', async () => {
    const lab = await login(t.app, USERS.lab);
    const operator = await login(t.app, USERS.operator);
    const lab2 = await login(t.app, USERS.lab2);
    const sme = await login(t.app, USERS.sme);
    const admin = await login(t.app, USERS.admin);
    const suzhou = await aPlatformAdmin('sz-admin@test.qihub.test', '320500', 'city');
    const nanjing = await aPlatformAdmin('nj-admin@test.qihub.test', '320100', 'city');
    const labId = await orgOf(t.db, USERS.lab);

    // Only the lab's managers and staff write for it.
    expectProblem(await call(sme, 'POST', '/v1/case-submissions', { orgId: labId, ...write }), 403, 'forbidden');
    expectProblem(await call(lab2, 'POST', '/v1/case-submissions', { orgId: labId, ...write }), 403, 'forbidden');
    expectProblem(await call(null, 'POST', '/v1/case-submissions', { orgId: labId, ...write }), 401, 'unauthenticated');
    expectProblem(
      await call(lab, 'POST', '/v1/case-submissions', { orgId: labId, ...write, title: '   ' }),
      400,
      'validation_failed',
    );
    const created = await call(lab, 'POST', '/v1/case-submissions', { orgId: labId, ...write });
    expect(created.statusCode).toBe(201);
    const id = created.json<{ id: string; status: string; regionCode: string }>().id;
    expect(created.json<Json>()).toMatchObject({ status: 'draft', regionCode: '320506', costSavedFen: 5_000_000 });

    // A draft is the lab's: not public, not the admin's yet, not another lab's.
    expectProblem(await call(null, 'GET', `/v1/cases/${id}`), 404, 'not_found');
    expectProblem(await call(admin, 'GET', `/v1/admin/cases/${id}`), 404, 'not_found');
    expectProblem(await call(lab2, 'GET', `/v1/case-submissions/${id}`), 404, 'not_found');
    expect((await call(operator, 'GET', `/v1/case-submissions/${id}`)).statusCode).toBe(200);
    expectProblem(await call(operator, 'PATCH', `/v1/case-submissions/${id}`, { title: '改' }), 403, 'forbidden');
    const edited = await call(lab, 'PATCH', `/v1/case-submissions/${id}`, { timeSavedDays: 12 });
    expect(edited.json<Json>().timeSavedDays).toBe(12);
    // Publishing a draft is not a transition there is.
    expectProblem(await call(admin, 'POST', `/v1/admin/cases/${id}/publish`), 404, 'not_found');

    const submitted = await call(lab, 'POST', `/v1/case-submissions/${id}/submit`);
    expect(submitted.json<Json>().status).toBe('submitted');
    expectProblem(await call(lab, 'POST', `/v1/case-submissions/${id}/submit`), 409, 'illegal_transition');
    expectProblem(await call(lab, 'PATCH', `/v1/case-submissions/${id}`, { title: '再改' }), 409, 'illegal_transition');

    // The region's admins see it (province and Suzhou city); the Nanjing city admin does not.
    const adminList = await call(admin, 'GET', '/v1/admin/cases?status=submitted');
    expect(adminList.json<{ items: { id: string }[] }>().items.map((c) => c.id)).toContain(id);
    expect((await call(suzhou, 'GET', `/v1/admin/cases/${id}`)).statusCode).toBe(200);
    expectProblem(await call(nanjing, 'GET', `/v1/admin/cases/${id}`), 404, 'not_found');
    expectProblem(await call(nanjing, 'POST', `/v1/admin/cases/${id}/publish`), 404, 'not_found');
    expectProblem(await call(nanjing, 'PATCH', `/v1/admin/cases/${id}`, { title: '外市' }), 404, 'not_found');
    expect((await call(nanjing, 'GET', '/v1/admin/cases')).json<{ items: Json[] }>().items).toEqual([]);
    // Labs and enterprises are refused the admin side.
    expectProblem(await call(lab, 'GET', '/v1/admin/cases'), 403, 'forbidden');
    expectProblem(await call(sme, 'GET', `/v1/admin/cases/${id}`), 403, 'forbidden');
    // The admins were told.
    const inbox = await call(admin, 'GET', '/v1/notifications');
    expect(
      inbox.json<{ items: { kind: string; link: string }[] }>().items.find((n) => n.kind === 'case_submitted')?.link,
    ).toBe(`/admin/cases/${id}`);

    // Returned with a reason; the lab edits and submits again.
    expectProblem(await call(admin, 'POST', `/v1/admin/cases/${id}/return`, { reason: '' }), 400, 'validation_failed');
    const returned = await call(admin, 'POST', `/v1/admin/cases/${id}/return`, { reason: '请补充台架试验数据。' });
    expect(returned.json<Json>()).toMatchObject({ status: 'returned', returnReason: '请补充台架试验数据。' });
    expect((await call(lab, 'GET', `/v1/case-submissions/${id}`)).json<Json>().returnReason).toBe(
      '请补充台架试验数据。',
    );
    await call(lab, 'PATCH', `/v1/case-submissions/${id}`, {
      result: '调整渗碳淬火工艺，台架寿命由 30 万次提高到 120 万次。',
    });
    await call(lab, 'POST', `/v1/case-submissions/${id}/submit`);

    // The admin edits, then publishes; the case is public, its author told.
    const fixed = await call(suzhou, 'PATCH', `/v1/admin/cases/${id}`, {
      enterpriseName: '苏州某齿轮制造企业（小型）',
    });
    expect(fixed.json<Json>().enterpriseName).toBe('苏州某齿轮制造企业（小型）');
    const published = await call(admin, 'POST', `/v1/admin/cases/${id}/publish`);
    expect(published.json<Json>()).toMatchObject({ status: 'published', returnReason: null });
    expectProblem(await call(admin, 'POST', `/v1/admin/cases/${id}/publish`), 409, 'illegal_transition');
    const pub = await call(null, 'GET', `/v1/cases/${id}`);
    expect(pub.statusCode).toBe(200);
    expect(Object.keys(pub.json<Json>()).sort()).toEqual(PUBLIC_FIELDS);
    expect(pub.json<Json>().enterpriseName).toBe('苏州某齿轮制造企业（小型）');
    expect((await call(null, 'GET', '/v1/cases')).json<{ items: { id: string }[] }>().items[0]!.id).toBe(id);
    const labInbox = await call(lab, 'GET', '/v1/notifications');
    expect(labInbox.json<{ items: { kind: string }[] }>().items.map((n) => n.kind)).toEqual(
      expect.arrayContaining(['case_returned', 'case_published']),
    );

    // Taken down: returned again, gone from the public page.
    await call(admin, 'POST', `/v1/admin/cases/${id}/return`, { reason: '企业要求暂不公开。' });
    expectProblem(await call(null, 'GET', `/v1/cases/${id}`), 404, 'not_found');

    // Every step is in the audit log.
    const audit = await t.db.pool.query<{ action: string }>(
      `SELECT action FROM audit_log WHERE entity_type = 'typical_case' AND entity_id = $1 ORDER BY id`,
      [id],
    );
    expect(audit.rows.map((r) => r.action)).toEqual([
      'case.create',
      'case.edit',
      'case.submit',
      'case.return',
      'case.edit',
      'case.submit',
      'case.edit',
      'case.publish',
      'case.return',
    ]);
  });

  it('lets a service officer write for their platform; the case is theirs alone on the author side', async () => {
    const officer = await login(t.app, USERS.officer);
    const lab = await login(t.app, USERS.lab);
    const station = await orgOf(t.db, USERS.officer);
    const created = await call(officer, 'POST', '/v1/case-submissions', { orgId: station, ...write });
    expect(created.statusCode).toBe(201);
    const id = created.json<{ id: string }>().id;
    const mine = await call(officer, 'GET', '/v1/case-submissions');
    const ids = mine.json<{ items: { id: string }[] }>().items.map((c) => c.id);
    expect(ids).toContain(id);
    expect(ids).toContain(DEMO_CASE_IDS.torque);
    expect(ids).not.toContain(DEMO_CASE_IDS.saltSpray);
    expectProblem(await call(lab, 'GET', `/v1/case-submissions/${id}`), 404, 'not_found');
    expect((await call(officer, 'POST', `/v1/case-submissions/${id}/submit`)).json<Json>().status).toBe('submitted');
  });
});
