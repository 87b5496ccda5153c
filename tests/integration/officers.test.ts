import { beforeAll, describe, expect, it } from 'vitest';
import { bearer, expectProblem, login, useSeededApp } from '../support/app.ts';
import { orgOf, USERS } from '../support/scenario.ts';
import { signIn, userIdsOf } from '../factories/index.ts';

/** Service officers: who may name one, who sees them, and what the officer sees. */
const t = useSeededApp();

type Who = 'admin' | 'officer' | 'sme' | 'sme2' | 'lab';
const tok = {} as Record<Who, string>;
const uid = {} as Record<Who, string>;
let smeOrg: string;
let sme2Org: string;

beforeAll(async () => {
  // The demo seed has its own officers, records, requests and events: start this file from none.
  await t.db.pool.query('DELETE FROM assistance_requests; DELETE FROM enterprise_officers');
  smeOrg = await orgOf(t.db, USERS.sme);
  sme2Org = await orgOf(t.db, USERS.sme2);
  const people = ['admin', 'officer', 'sme', 'sme2', 'lab'] as const;
  Object.assign(tok, await signIn(t.app, people));
  Object.assign(uid, await userIdsOf(t.db, people));
});

const call = (method: 'GET' | 'PUT' | 'POST' | 'DELETE', url: string, who: Who | null, payload?: object) =>
  t.app.inject({ method, url, ...(who ? { headers: bearer(tok[who]) } : {}), ...(payload ? { payload } : {}) });

describe('service officers', () => {
  it('an enterprise without an officer shows none', async () => {
    const res = await call('GET', `/v1/enterprises/${smeOrg}/officer`, 'sme');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ enterprise: { id: smeOrg }, officer: null, assignedAt: null });
  });

  it('only a platform admin over the region names one, and only a service officer covering it', async () => {
    const url = `/v1/enterprises/${smeOrg}/officer`;
    expectProblem(await call('PUT', url, 'sme', { officerUserId: uid.officer }), 403, 'forbidden');
    expectProblem(await call('PUT', url, 'officer', { officerUserId: uid.officer }), 403, 'forbidden');
    expectProblem(await call('PUT', url, 'lab', { officerUserId: uid.officer }), 404, 'not_found');
    expectProblem(await call('PUT', url, null, { officerUserId: uid.officer }), 401, 'unauthenticated');
    // The lab manager is no service officer.
    const wrong = expectProblem(await call('PUT', url, 'admin', { officerUserId: uid.lab }), 422, 'not_an_officer');
    expect(wrong.errors?.[0]?.path).toBe('/officerUserId');
    // The officer's station (Wuzhong) does not cover the Wuxi enterprise.
    expectProblem(
      await call('PUT', `/v1/enterprises/${sme2Org}/officer`, 'admin', { officerUserId: uid.officer }),
      422,
      'not_an_officer',
    );
    expectProblem(await call('PUT', url, 'admin', { officerUserId: 'nope' }), 400, 'validation_failed');
    expectProblem(await call('PUT', url, 'admin', { officerUserId: uid.officer, extra: 1 }), 400, 'validation_failed');
    // An organisation that is not an enterprise.
    const labOrg = await orgOf(t.db, USERS.lab);
    expectProblem(
      await call('PUT', `/v1/enterprises/${labOrg}/officer`, 'admin', { officerUserId: uid.officer }),
      404,
      'not_found',
    );

    const ok = await call('PUT', url, 'admin', { officerUserId: uid.officer });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toMatchObject({
      enterprise: { id: smeOrg },
      officer: { id: uid.officer, name: '孙专员', phone: '13800000002', email: USERS.officer },
    });
    // Naming the same officer again is harmless.
    expect((await call('PUT', url, 'admin', { officerUserId: uid.officer })).statusCode).toBe(200);

    const { rows: notes } = await t.db.pool.query<{ user_id: string; kind: string }>(
      `SELECT user_id, kind FROM notifications WHERE kind = 'officer_assigned'`,
    );
    expect(notes.map((n) => n.user_id).sort()).toEqual([uid.officer, uid.sme].sort());
    const { rows: audit } = await t.db.pool.query(
      `SELECT 1 FROM audit_log WHERE action = 'enterprise.officer_assigned' AND entity_id = $1`,
      [smeOrg],
    );
    expect(audit.length).toBe(2);
  });

  it('the enterprise sees its officer; another enterprise does not', async () => {
    const mine = await call('GET', `/v1/enterprises/${smeOrg}/officer`, 'sme');
    expect(mine.json()).toMatchObject({ officer: { name: '孙专员', phone: '13800000002' } });
    expect((await call('GET', `/v1/enterprises/${smeOrg}/officer`, 'officer')).statusCode).toBe(200);
    expect((await call('GET', `/v1/enterprises/${smeOrg}/officer`, 'admin')).statusCode).toBe(200);
    expectProblem(await call('GET', `/v1/enterprises/${smeOrg}/officer`, 'sme2'), 404, 'not_found');
    expectProblem(await call('GET', `/v1/enterprises/${smeOrg}/officer`, 'lab'), 404, 'not_found');
  });

  it('the officer lists their enterprises and their requests and orders', async () => {
    const list = await call('GET', '/v1/officer/enterprises', 'officer');
    expect(list.statusCode, list.body).toBe(200);
    const items = list.json<{ items: { id: string; openAssistance: number }[] }>().items;
    expect(items.map((i) => i.id)).toEqual([smeOrg]);

    const created = await call('POST', '/v1/assistance-requests', 'sme', {
      titleZh: '盐雾试验不合格整改',
      problemZh: '省级监督抽查中镀锌件盐雾试验 48 小时出现红锈。',
      trigger: 'spot_check_failure',
      productZh: '镀锌紧固件',
    });
    expect(created.statusCode, created.body).toBe(201);
    await call('POST', '/v1/assistance-requests', 'sme2', { titleZh: '别家的申请', problemZh: '不应被看到的问题' });

    const requests = await call('GET', '/v1/officer/requests', 'officer');
    expect(requests.statusCode, requests.body).toBe(200);
    const reqItems = requests.json<{
      items: { id: string; kind: string; title: string; enterprise: { id: string } }[];
    }>().items;
    expect(reqItems.filter((r) => r.kind === 'assistance').map((r) => r.title)).toEqual(['盐雾试验不合格整改']);
    expect(reqItems.every((r) => r.enterprise.id === smeOrg)).toBe(true);
    const onlyOrders = await call('GET', '/v1/officer/requests?kind=order', 'officer');
    expect(onlyOrders.json<{ items: { kind: string }[] }>().items.every((r) => r.kind === 'order')).toBe(true);
    const after = await call('GET', '/v1/officer/enterprises', 'officer');
    expect(after.json<{ items: { openAssistance: number }[] }>().items[0]!.openAssistance).toBe(1);
  });

  it('the officer views are for service officers only', async () => {
    expectProblem(await call('GET', '/v1/officer/enterprises', 'sme'), 403, 'forbidden');
    expectProblem(await call('GET', '/v1/officer/requests', 'admin'), 403, 'forbidden');
    expectProblem(await call('GET', '/v1/officer/requests', null), 401, 'unauthenticated');
    expectProblem(await call('GET', '/v1/officer/requests?kind=nope', 'officer'), 400, 'validation_failed');
  });

  it('a platform admin removes the officer; the officer then sees nothing of the enterprise', async () => {
    const url = `/v1/enterprises/${smeOrg}/officer`;
    expectProblem(await call('DELETE', url, 'sme'), 403, 'forbidden');
    expectProblem(await call('DELETE', url, 'lab'), 404, 'not_found');
    const removed = await call('DELETE', url, 'admin');
    expect(removed.statusCode, removed.body).toBe(200);
    expect(removed.json()).toMatchObject({ officer: null });
    expect((await call('DELETE', url, 'admin')).statusCode).toBe(200);
    expect((await call('GET', '/v1/officer/enterprises', 'officer')).json<{ items: unknown[] }>().items).toEqual([]);
    expectProblem(await call('GET', url, 'officer'), 404, 'not_found');
  });
});

describe('a replaced officer', () => {
  it('loses the orders and assistance requests of the enterprise at once; the new officer gets them', async () => {
    const url = `/v1/enterprises/${smeOrg}/officer`;
    // A second service officer at the same station.
    const { rows: platform } = await t.db.pool.query<{ org_id: string }>(
      `SELECT org_id FROM memberships WHERE user_id = $1 AND role = 'service_officer'`,
      [uid.officer],
    );
    const { rows: made } = await t.db.pool.query<{ id: string }>(
      `INSERT INTO users (email, password_hash, display_name)
       SELECT 'officer-b@demo.qihub.test', password_hash, '钱专员' FROM users WHERE email = $1 RETURNING id`,
      [USERS.officer],
    );
    const officerB = made[0]!.id;
    await t.db.pool.query(`INSERT INTO memberships (user_id, org_id, role) VALUES ($1, $2, 'service_officer')`, [
      officerB,
      platform[0]!.org_id,
    ]);
    const tokB = await login(t.app, 'officer-b@demo.qihub.test');
    const { rows: order } = await t.db.pool.query<{ id: string }>(
      `INSERT INTO orders (number, customer_org_id, lab_id, requested_by, title_zh)
       SELECT 'QO' || substr(md5(random()::text), 1, 10), $1, m.org_id, $2, '盐雾试验'
       FROM memberships m WHERE m.user_id = $3 LIMIT 1 RETURNING id`,
      [smeOrg, uid.sme, uid.lab],
    );
    const orderId = order[0]!.id;

    expect((await call('PUT', url, 'admin', { officerUserId: uid.officer })).statusCode).toBe(200);
    const asked = await call('POST', '/v1/assistance-requests', 'sme', {
      titleZh: '换人前提交的帮扶申请',
      problemZh: '涂层附着力不达标。',
    });
    expect(asked.statusCode, asked.body).toBe(201);
    const requestId = asked.json<{ id: string }>().id;

    const ordersOf = async (token: string) =>
      (await t.app.inject({ method: 'GET', url: '/v1/orders?as=officer&limit=100', headers: bearer(token) }))
        .json<{ items?: { id: string }[] }>()
        .items?.map((o) => o.id) ?? [];
    const sees = async (token: string) => ({
      listed: (await ordersOf(token)).includes(orderId),
      order: (await t.app.inject({ method: 'GET', url: `/v1/orders/${orderId}`, headers: bearer(token) })).statusCode,
      request: (
        await t.app.inject({ method: 'GET', url: `/v1/assistance-requests/${requestId}`, headers: bearer(token) })
      ).statusCode,
      requests:
        (await t.app.inject({ method: 'GET', url: '/v1/assistance-requests', headers: bearer(token) }))
          .json<{ items?: { id: string }[] }>()
          .items?.some((r) => r.id === requestId) ?? false,
    });
    expect(await sees(tok.officer)).toEqual({ listed: true, order: 200, request: 200, requests: true });
    expect(await sees(tokB)).toEqual({ listed: false, order: 404, request: 404, requests: false });

    // The admin names officer B instead: A loses everything at once (same token), B sees it.
    expect((await call('PUT', url, 'admin', { officerUserId: officerB })).statusCode).toBe(200);
    expect(await sees(tok.officer)).toEqual({ listed: false, order: 404, request: 404, requests: false });
    expect(await sees(tokB)).toEqual({ listed: true, order: 200, request: 200, requests: true });

    // Officer B leaves the platform (no service_officer role any more) while still named: nothing listed.
    await t.db.pool.query(`DELETE FROM memberships WHERE user_id = $1`, [officerB]);
    const left = await sees(tokB);
    expect(left.listed).toBe(false);
    expect(left.order).not.toBe(200);
    expect(left.request).not.toBe(200);
  });
});
