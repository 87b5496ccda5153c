import { describe, expect, it } from 'vitest';
import { creditCodeCheckCharacter } from '@qihub/api/lib/credit-code';
import { bearer, expectProblem, login, useSeededApp } from '../support/app.ts';
import { USERS } from '../support/scenario.ts';

const t = useSeededApp();

/** A lab applies to join (self-registration); its owner's session and the new lab. */
async function applyAsLabWithSession(email: string, body17: string, regionCode: string, nameZh: string) {
  const res = await t.app.inject({
    method: 'POST',
    url: '/v1/auth/register',
    payload: {
      kind: 'lab',
      email,
      password: 'a-long-enough-password',
      displayName: '申请人',
      organisation: {
        nameZh,
        creditCode: body17 + creditCodeCheckCharacter(body17),
        regionCode,
        labType: 'testing_institute',
      },
    },
  });
  expect(res.statusCode, res.body).toBe(201);
  const body = res.json<{ token: string; user: { memberships: { orgId: string }[] } }>();
  return { token: body.token, labId: body.user.memberships[0]!.orgId };
}

async function applyAsLab(email: string, body17: string, regionCode: string, nameZh: string) {
  return (await applyAsLabWithSession(email, body17, regionCode, nameZh)).labId;
}

interface LabList {
  items: { id: string; status: string }[];
}

describe('provider admission within the platform region', () => {
  it('a province admin sees and admits a lab of its province; the lab then appears publicly', async () => {
    const wuxi = await applyAsLab('wuxi@apply.example.cn', '12320200466000001', '320214', '无锡市新吴区检测中心');
    const hangzhou = await applyAsLab('hz@apply.example.cn', '12330100466000002', '330106', '杭州西湖检测所');
    const admin = await login(t.app, USERS.admin);

    const pending = (
      await t.app.inject({ method: 'GET', url: '/v1/admin/labs?status=pending', headers: bearer(admin) })
    ).json<LabList>();
    expect(pending.items.map((l) => l.id)).toContain(wuxi);
    // The Jiangsu platform does not see a Zhejiang application, and cannot admit it.
    expect(pending.items.map((l) => l.id)).not.toContain(hangzhou);
    expectProblem(
      await t.app.inject({ method: 'POST', url: `/v1/admin/labs/${hangzhou}/admit`, headers: bearer(admin) }),
      404,
      'not_found',
    );

    expectProblem(await t.app.inject({ method: 'GET', url: `/v1/labs/${wuxi}` }), 404, 'not_found');
    const admitted = await t.app.inject({
      method: 'POST',
      url: `/v1/admin/labs/${wuxi}/admit`,
      headers: bearer(admin),
    });
    expect(admitted.statusCode, admitted.body).toBe(200);
    expect((await t.app.inject({ method: 'GET', url: `/v1/labs/${wuxi}` })).statusCode).toBe(200);
    expectProblem(
      await t.app.inject({ method: 'POST', url: `/v1/admin/labs/${wuxi}/admit`, headers: bearer(admin) }),
      409,
      'illegal_transition',
    );

    const { rows } = await t.db.pool.query('SELECT topic FROM outbox WHERE dedupe_key = $1', [`lab-admitted:${wuxi}`]);
    expect(rows).toHaveLength(1);
    const { rows: audit } = await t.db.pool.query(
      "SELECT action FROM audit_log WHERE entity_id = $1 AND action = 'lab.admitted'",
      [wuxi],
    );
    expect(audit).toHaveLength(1);
  });

  it('a service officer at a district station sees only its district and cannot admit', async () => {
    const officer = await login(t.app, USERS.officer);
    const wuzhong = await applyAsLab('wz@apply.example.cn', '12320506466000003', '320506', '吴中区质检站');
    const list = (
      await t.app.inject({ method: 'GET', url: '/v1/admin/labs', headers: bearer(officer) })
    ).json<LabList>();
    expect(list.items.map((l) => l.id)).toContain(wuzhong);
    const { rows } = await t.db.pool.query<{ region_code: string }>(
      'SELECT region_code FROM organisations WHERE id = ANY($1::uuid[])',
      [list.items.map((l) => l.id)],
    );
    expect(rows.every((r) => r.region_code === '320506')).toBe(true);
    expectProblem(
      await t.app.inject({ method: 'POST', url: `/v1/admin/labs/${wuzhong}/admit`, headers: bearer(officer) }),
      403,
      'forbidden',
    );
  });

  it('enterprises and labs are not platform staff', async () => {
    for (const who of [USERS.sme, USERS.lab]) {
      const token = await login(t.app, who);
      expectProblem(
        await t.app.inject({ method: 'GET', url: '/v1/admin/labs', headers: bearer(token) }),
        403,
        'forbidden',
      );
    }
    expectProblem(await t.app.inject({ method: 'GET', url: '/v1/admin/labs' }), 401, 'unauthenticated');
  });
});

describe('pending labs and the admin list of labs', () => {
  it("hides a pending lab's catalogue entries from the public by id until the platform admits the lab", async () => {
    const { labId, token } = await applyAsLabWithSession(
      'pending.lab@example.cn',
      '12320500466000009',
      '320500',
      '待审核实验室',
    );
    const site = await t.app.inject({
      method: 'POST',
      url: `/v1/labs/${labId}/services`,
      headers: bearer(token),
      payload: { kind: 'training', nameZh: '未审核的培训', priceModel: 'fixed', priceAmount: 100 },
    });
    expect(site.statusCode, site.body).toBe(201);
    const serviceId = site.json<{ id: string }>().id;
    expectProblem(await t.app.inject({ method: 'GET', url: `/v1/services/${serviceId}` }), 404, 'not_found');
    expect(
      (await t.app.inject({ method: 'GET', url: `/v1/services/${serviceId}`, headers: bearer(token) })).statusCode,
    ).toBe(200);
    const admin = await login(t.app, USERS.admin);
    expect(
      (await t.app.inject({ method: 'POST', url: `/v1/admin/labs/${labId}/admit`, headers: bearer(admin) })).statusCode,
    ).toBe(200);
    expect((await t.app.inject({ method: 'GET', url: `/v1/services/${serviceId}` })).statusCode).toBe(200);
  });

  it('pages the platform admin list of labs without gaps or repeats', async () => {
    const admin = await login(t.app, USERS.admin);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const url: string = `/v1/admin/labs?limit=2${cursor ? `&cursor=${cursor}` : ''}`;
      const res = await t.app.inject({
        method: 'GET',
        url,
        headers: bearer(admin),
      });
      expect(res.statusCode, res.body).toBe(200);
      const page: { items: { id: string }[]; nextCursor: string | null } = res.json();
      seen.push(...page.items.map((l) => l.id));
      cursor = page.nextCursor;
    } while (cursor);
    const { rows } = await t.db.pool.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM organisations WHERE kind = 'lab' AND region_code LIKE '32%'",
    );
    expect(seen.length).toBe(rows[0]!.n);
    expect(new Set(seen).size).toBe(seen.length);
  });
});
