import { beforeAll, describe, expect, it } from 'vitest';
import { expectProblem, testClock, useSeededApp } from '../support/app.ts';
import { orgOf, USERS } from '../support/scenario.ts';
import { aLab, api, ok, serviceId, serviceOfKind, signIn, type Detail, type Who } from '../factories/index.ts';

/**
 * Several services of one lab in one request (委托): a salt-spray test and a tensile test of the same
 * steel panels make one order with a line each, quoted at once; services of another lab, the same
 * service twice, or too many services are refused and create nothing.
 */
const clock = testClock(new Date('2026-11-26T02:00:00Z')); // Thursday 10:00 in Shanghai
const t = useSeededApp({ clock });

let tk: Record<Who, string>;
let labId: string;
let saltSpray: string;
let tensile: string;
let call: ReturnType<typeof api>;

beforeAll(async () => {
  call = api(t.app);
  labId = (await aLab(t).withDefaultOrderTerms().create()).id;
  saltSpray = await serviceId(t.db, labId, '中性盐雾试验');
  tensile = await serviceId(t.db, labId, '金属材料室温拉伸试验');
  tk = await signIn(t.app, Object.keys(USERS) as Who[]);
});

/** Salt spray (priced per hour, the hours left to the lab) and a tensile test of 3 specimens. */
function twoServices(extra: Record<string, unknown> = {}) {
  return {
    labId,
    requestNotes: '镀锌钢板：耐腐蚀性与力学性能一并检测',
    lines: [
      { serviceId: saltSpray, sampleCount: 3, standardCode: 'GB/T 10125-2021', parameterZh: '中性盐雾试验' },
      { serviceId: tensile, sampleCount: 3, standardCode: 'GB/T 228.1-2021', parameterZh: '抗拉强度、断后伸长率' },
    ],
    ...extra,
  };
}

async function counts() {
  const { rows } = await t.db.pool.query<{ orders: number; lines: number; events: number; notes: number }>(
    `SELECT (SELECT count(*)::int FROM orders) AS orders, (SELECT count(*)::int FROM order_lines) AS lines,
            (SELECT count(*)::int FROM order_events) AS events, (SELECT count(*)::int FROM notifications) AS notes`,
  );
  return rows[0]!;
}

describe('several services in one request', () => {
  it('makes one order with one line per service, each with its own samples; the lab quotes both at once', async () => {
    const d = await ok<Detail>(await call(tk.sme, 'POST', '/v1/orders', twoServices()), 201);
    expect(d.order.status).toBe('requested'); // the salt-spray hours are the lab's to set
    expect(d.lines.map((l) => [l.serviceId, l.sampleCount, l.standardCode, l.position])).toEqual([
      [saltSpray, 3, 'GB/T 10125-2021', 1],
      [tensile, 3, 'GB/T 228.1-2021', 2],
    ]);
    const { rows } = await t.db.pool.query<{ title_zh: string }>('SELECT title_zh FROM orders WHERE id = $1', [
      d.order.id,
    ]);
    expect(rows[0]!.title_zh).toBe('中性盐雾试验 等 2 项');

    const quoted = await ok<Detail>(
      await call(tk.lab, 'POST', `/v1/orders/${d.order.id}/quote`, {
        lines: [
          { lineId: d.lines[0]!.id, unitPriceFen: 3000, quantity: 96 },
          { lineId: d.lines[1]!.id, unitPriceFen: 18000 },
        ],
        validUntil: '2026-12-26',
      }),
    );
    expect(quoted.order.status).toBe('quoted');
    expect(quoted.lines.map((l) => l.amount?.amount)).toEqual([96 * 3000, 3 * 18000]);
    expect(quoted.order.subtotal.amount).toBe(96 * 3000 + 3 * 18000);
    // The customer sees the one order with both lines.
    const seen = await ok<Detail>(await call(tk.sme, 'GET', `/v1/orders/${d.order.id}`));
    expect(seen.lines).toHaveLength(2);
  });

  it('auto-quotes a request whose every line has its price and quantity', async () => {
    const body = twoServices();
    body.lines[0] = { ...body.lines[0]!, quantity: 48 } as (typeof body.lines)[number];
    const d = await ok<Detail>(await call(tk.sme, 'POST', '/v1/orders', body), 201);
    expect(d.order.status).toBe('quoted');
    expect(d.lines.every((l) => l.amount !== null)).toBe(true);
  });

  it('refuses a service of another lab, and creates nothing', async () => {
    const other = await orgOf(t.db, USERS.lab2);
    const foreign = await serviceOfKind(t.db, other, ['commissioned_test', 'outsourced_experiment'], true);
    const before = await counts();
    const body = twoServices();
    body.lines.push({ serviceId: foreign.id, sampleCount: 1 } as (typeof body.lines)[number]);
    const problem = expectProblem(await call(tk.sme, 'POST', '/v1/orders', body), 422, 'service_of_other_lab');
    expect(problem.errors?.[0]?.path).toBe('/lines/2/serviceId');
    expect(await counts()).toEqual(before);
  });

  it('refuses the same service twice, a retired one and too many lines, creating nothing', async () => {
    const before = await counts();
    const body = twoServices();
    body.lines.push({ ...body.lines[0]! });
    const dup = expectProblem(await call(tk.sme, 'POST', '/v1/orders', body), 422, 'duplicate_service');
    expect(dup.errors?.[0]?.path).toBe('/lines/2/serviceId');

    const { rows } = await t.db.pool.query<{ id: string }>(
      `INSERT INTO services (lab_id, kind, name_zh, name_en, price_model, status)
       VALUES ($1, 'commissioned_test', '铜加速乙酸盐雾试验（已停用）', 'CASS test (retired)', 'on_quote', 'retired') RETURNING id`,
      [labId],
    );
    const retired = twoServices();
    retired.lines[1] = { serviceId: rows[0]!.id, sampleCount: 1 } as (typeof retired.lines)[number];
    expectProblem(await call(tk.sme, 'POST', '/v1/orders', retired), 422, 'service_not_offered');

    const many = { ...twoServices(), lines: Array.from({ length: 21 }, () => ({ serviceId: saltSpray })) };
    expectProblem(await call(tk.sme, 'POST', '/v1/orders', many), 400, 'validation_failed');
    expect(await counts()).toEqual(before);
  });

  it('shows the order to its two parties only', async () => {
    const d = await ok<Detail>(await call(tk.sme, 'POST', '/v1/orders', twoServices()), 201);
    expect((await call(tk.lab, 'GET', `/v1/orders/${d.order.id}`)).statusCode).toBe(200);
    for (const stranger of [tk.sme2, tk.lab2]) {
      const res = await call(stranger, 'GET', `/v1/orders/${d.order.id}`);
      expect([403, 404]).toContain(res.statusCode);
    }
    const res = await call(tk.lab2, 'POST', `/v1/orders/${d.order.id}/quote`, {
      lines: d.lines.map((l) => ({ lineId: l.id, unitPriceFen: 100, quantity: 1 })),
      validUntil: '2026-12-26',
    });
    expect([403, 404]).toContain(res.statusCode);
    const after = await ok<Detail>(await call(tk.sme, 'GET', `/v1/orders/${d.order.id}`));
    expect(after.order.status).toBe('requested');
  });
});
