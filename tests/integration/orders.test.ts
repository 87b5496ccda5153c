import { beforeAll, describe, expect, it } from 'vitest';
import { expectProblem, testClock, useSeededApp } from '../support/app.ts';
import { orgOf, USERS } from '../support/scenario.ts';
import {
  acceptQuote,
  aLab,
  anOrder,
  api,
  COMMISSION,
  ok,
  receiveSamples,
  sendAcceptance,
  serviceId,
  serviceOfKind,
  signIn,
  type Detail,
  type Who,
} from '../factories/index.ts';

/**
 * The order flow over HTTP on the seeded demo: request (auto-quoted salt-spray test), re-quote,
 * accept with the commission form and an expedite tier, samples, work, cancellation rules, orders
 * without samples (deliver, objections, re-test, close), lab settings, and who may do what.
 */
const clock = testClock(new Date('2026-11-26T02:00:00Z')); // Thursday 10:00 in Shanghai
const t = useSeededApp({ clock });

let tk: Record<Who, string>;
let labId: string;
let smeOrg: string;
let saltSpray: string;
let call: ReturnType<typeof api>;

beforeAll(async () => {
  call = api(t.app);
  // Start from the defaults (the demo seed may give the lab its own settings and the enterprise an officer).
  labId = (await aLab(t).withDefaultOrderTerms().create()).id;
  smeOrg = await orgOf(t.db, USERS.sme);
  saltSpray = await serviceId(t.db, labId, '中性盐雾试验');
  await t.db.pool.query('DELETE FROM enterprise_officers WHERE enterprise_id = $1', [smeOrg]);
  tk = await signIn(t.app, Object.keys(USERS) as Who[]);
});

function requestSaltSpray(hours = 48, token = tk.sme): Promise<Detail> {
  return anOrder(t, { customer: token, lab: tk.lab, labId })
    .ofService(saltSpray, hours, { standardCode: 'GB/T 10125-2021', parameterZh: '中性盐雾试验' })
    .notes('镀锌层耐腐蚀性验证')
    .requested();
}

/** Accepts the quote the customer sees now (its `quotedAt` read from the order). */
const accept = (id: string, extra?: Record<string, unknown>) => acceptQuote(t, tk.sme, id, extra);

const acceptAsSeen = (seen: Detail, extra: Record<string, unknown>) => sendAcceptance(t, tk.sme, seen, extra);

const receiveAll = (d: Detail) =>
  receiveSamples(t, tk.lab, d, { conditionOnArrival: '包装完好，无锈蚀', quantity: 3, storageLocation: 'A-03' });

describe('request and quote', () => {
  it('auto-quotes a fixed-price service: prices copied, scope marked, valid for 30 days', async () => {
    const d = await requestSaltSpray(48);
    expect(d.order.number).toMatch(/^QI2026\d{6}$/);
    expect(d.order.status).toBe('quoted');
    expect(d.order.needsSamples).toBe(true);
    expect(d.order.quoteValidUntil).toBe('2026-12-26');
    expect(d.lines).toHaveLength(1);
    expect(d.lines[0]!.unitPrice?.amount).toBe(3000);
    expect(d.lines[0]!.amount?.amount).toBe(48 * 3000);
    expect(d.lines[0]!.inCmaScope).toBe(true);
    expect(d.order.subtotal.amount).toBe(144000);
    expect(d.timeline.map((e) => e.action)).toEqual(['order.requested', 'order.quoted']);
    const { rows } = await t.db.pool.query(`SELECT count(*)::int AS n FROM notifications WHERE dedupe_key LIKE $1`, [
      `order:${d.order.id}:order_quoted:%`,
    ]);
    expect(rows[0].n).toBeGreaterThan(0);
  });

  it("refuses another lab's services, and non-enterprise callers", async () => {
    const other = await orgOf(t.db, USERS.lab2);
    const foreign = await serviceOfKind(t.db, other, ['commissioned_test', 'outsourced_experiment'], true);
    const body = { labId, requestNotes: '', lines: [{ serviceId: foreign.id, quantity: 1 }] };
    expectProblem(await call(tk.sme, 'POST', '/v1/orders', body), 422, 'service_of_other_lab');
    expectProblem(
      await call(tk.lab, 'POST', '/v1/orders', { ...body, lines: [{ serviceId: saltSpray, quantity: 1 }] }),
      403,
      'forbidden',
    );
    expectProblem(await call(tk.sme, 'POST', '/v1/orders', { ...body, lines: [] }), 400, 'validation_failed');
  });

  it('a repeated Idempotency-Key answers the first order', async () => {
    const body = { labId, requestNotes: 'x', lines: [{ serviceId: saltSpray, quantity: 2 }] };
    const headers = { 'idempotency-key': 'order-key-0001' };
    const a = ok(await call(tk.sme, 'POST', '/v1/orders', body, headers), 201);
    const b = ok(await call(tk.sme, 'POST', '/v1/orders', body, headers), 201);
    expect(b.order.id).toBe(a.order.id);
  });

  it('the lab re-quotes: prices, adds a line, withdraws one (kept, flagged), totals recomputed', async () => {
    const d = await requestSaltSpray(24);
    const line = d.lines[0]!;
    const q = ok(
      await call(tk.lab, 'POST', `/v1/orders/${d.order.id}/quote`, {
        lines: [{ lineId: line.id, unitPriceFen: 2800 }],
        addLines: [
          {
            kind: 'commissioned_test',
            descriptionZh: '试验后外观评级',
            quantity: 1,
            unitPriceFen: 20000,
            standardCode: 'GB/T 6461-2002',
          },
          { kind: 'commissioned_test', descriptionZh: '加急取样', quantity: 1, unitPriceFen: 5000 },
        ],
        validUntil: '2026-12-10',
        notes: '含评级',
      }),
    );
    expect(q.order.status).toBe('quoted');
    expect(q.lines).toHaveLength(3);
    expect(q.order.subtotal.amount).toBe(24 * 2800 + 20000 + 5000);
    const extra = q.lines.find((l) => l.unitPrice?.amount === 5000)!;
    const r = ok(
      await call(tk.lab, 'POST', `/v1/orders/${d.order.id}/quote`, {
        lines: [],
        removeLineIds: [extra.id],
        validUntil: '2026-12-10',
      }),
    );
    expect(r.lines).toHaveLength(3);
    expect(r.lines.find((l) => l.id === extra.id)!.removed).toBe(true);
    expect(r.order.subtotal.amount).toBe(24 * 2800 + 20000);
    expect(r.lines.filter((l) => l.addedBy === 'lab')).toHaveLength(2);
    // Refusals: the customer cannot quote; an operator cannot; a date in the past is refused.
    const body = { lines: [], validUntil: '2026-12-10' };
    expectProblem(await call(tk.sme, 'POST', `/v1/orders/${d.order.id}/quote`, body), 403, 'forbidden');
    expectProblem(await call(tk.operator, 'POST', `/v1/orders/${d.order.id}/quote`, body), 403, 'forbidden');
    expectProblem(
      await call(tk.lab, 'POST', `/v1/orders/${d.order.id}/quote`, { ...body, validUntil: '2026-11-01' }),
      422,
      'invalid_validity',
    );
  });
});

describe('accept, samples, work', () => {
  it('accepts with an expedite tier: surcharge from the lab settings, expected samples created', async () => {
    const d = await requestSaltSpray(48);
    expectProblem(await sendAcceptance(t, tk.lab, d, { expedite: 'h72' }), 403, 'forbidden');
    expectProblem(await sendAcceptance(t, tk.sme, d, {}), 422, 'deadline_required');
    expectProblem(
      await call(tk.sme, 'POST', `/v1/orders/${d.order.id}/accept`, {
        quotedAt: d.order.quotedAt,
        commission: { ...COMMISSION, testScope: 'everything' },
        expedite: 'h72',
      }),
      400,
      'validation_failed',
    );
    const a = await accept(d.order.id, { expedite: 'h72' });
    expect(a.order.status).toBe('awaiting_samples');
    expect(a.order.expeditePct).toBe(30);
    expect(a.order.surcharge.amount).toBe(Math.round((144000 * 30) / 100));
    expect(a.order.total.amount).toBe(144000 + 43200);
    expect(a.samples).toEqual([
      expect.objectContaining({ code: `${d.order.number}-S1`, status: 'expected', quantity: 3 }),
    ]);
    expect(a.timeline.map((e) => e.toStatus).filter(Boolean)).toEqual([
      'requested',
      'quoted',
      'accepted',
      'awaiting_samples',
    ]);
    expectProblem(await sendAcceptance(t, tk.sme, d, { expedite: 'h72' }), 409, 'illegal_transition');

    // Samples: operators may not receive; the lab receives; the clock starts; due = +72 h.
    const sample = a.samples[0]!;
    const receive = { conditionOnArrival: '完好', quantity: 3 };
    expectProblem(
      await call(tk.operator, 'POST', `/v1/orders/${d.order.id}/samples/${sample.id}/receive`, receive),
      403,
      'forbidden',
    );
    expectProblem(
      await call(tk.sme, 'POST', `/v1/orders/${d.order.id}/samples/${sample.id}/receive`, receive),
      403,
      'forbidden',
    );
    clock.advance(3_600_000);
    const r = ok(await call(tk.lab, 'POST', `/v1/orders/${d.order.id}/samples/${sample.id}/receive`, receive));
    expect(r.order.status).toBe('samples_received');
    expect(r.order.clockStartedAt).toBe(clock.now.toISOString());
    expect(r.order.dueAt).toBe(new Date(clock.now.getTime() + 72 * 3_600_000).toISOString());
    expectProblem(
      await call(tk.lab, 'POST', `/v1/orders/${d.order.id}/samples/${sample.id}/receive`, receive),
      409,
      'illegal_transition',
    );

    // The arrival photo: only real images, served to the two parties only.
    const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(64, 1)]);
    const url = `/v1/orders/${d.order.id}/samples/${sample.id}/photo`;
    expectProblem(
      await call(tk.lab, 'POST', url, Buffer.from('not a png at all'), { 'content-type': 'image/png' }),
      422,
      'unsupported_media_type',
    );
    const gif = await call(tk.lab, 'POST', url, Buffer.from('GIF89a'), { 'content-type': 'image/gif' });
    expect(gif.statusCode).toBe(415);
    expect(gif.headers['content-type']).toMatch(/^application\/problem\+json/);
    expectProblem(await call(tk.operator, 'POST', url, png, { 'content-type': 'image/png' }), 403, 'forbidden');
    expectProblem(await call(tk.lab2, 'POST', url, png, { 'content-type': 'image/png' }), 404, 'not_found');
    const up = ok(await call(tk.lab, 'POST', url, png, { 'content-type': 'image/png' }));
    expect(up.samples[0]!.hasPhoto).toBe(true);
    const got = await call(tk.sme, 'GET', url);
    expect(got.statusCode).toBe(200);
    expect(got.headers['content-type']).toBe('image/png');
    expect(got.rawPayload.equals(png)).toBe(true);
    expect((await call(tk.sme2, 'GET', url)).statusCode).toBe(404);
    expect((await call(tk.lab2, 'GET', url)).statusCode).toBe(404);
    const big = Buffer.concat([png, Buffer.alloc(30 * 1024 * 1024)]);
    expect((await call(tk.lab, 'POST', url, big, { 'content-type': 'image/png' })).statusCode).toBe(413);

    // Start work; the customer can no longer cancel.
    const s = ok(await call(tk.lab, 'POST', `/v1/orders/${d.order.id}/start`));
    expect(s.order.status).toBe('in_progress');
    expectProblem(await call(tk.lab, 'POST', `/v1/orders/${d.order.id}/start`), 409, 'illegal_transition');
    expectProblem(
      await call(tk.sme, 'POST', `/v1/orders/${d.order.id}/cancel`, { reason: '不需要了' }),
      409,
      'illegal_transition',
    );
    // The lab manager may still cancel, with no fee; received samples go back (the form says return).
    const c = ok(
      await call(tk.lab, 'POST', `/v1/orders/${d.order.id}/cancel`, { reason: '设备故障，无法在期限内完成' }),
    );
    expect(c.order.status).toBe('cancelled');
    expect(c.order.cancellationFee?.amount).toBe(0);
    expect(c.samples[0]!.status).toBe('returned');
  });

  it('a sample rejected and another received: the order proceeds; all rejected: it waits and the lab may cancel', async () => {
    const d = await requestSaltSpray(10);
    const a = await accept(d.order.id, {
      deadlineTierDays: 5,
      samples: [
        { nameZh: '试样甲', quantity: 2 },
        { nameZh: '试样乙', quantity: 1 },
      ],
    });
    expect(a.samples.map((s) => s.code)).toEqual([`${d.order.number}-S1`, `${d.order.number}-S2`]);
    const rej = ok(
      await call(tk.lab, 'POST', `/v1/orders/${d.order.id}/samples/${a.samples[0]!.id}/reject`, {
        reason: '试样锈蚀严重',
      }),
    );
    expect(rej.order.status).toBe('awaiting_samples');
    const rec = ok(
      await call(tk.lab, 'POST', `/v1/orders/${d.order.id}/samples/${a.samples[1]!.id}/receive`, {
        conditionOnArrival: '完好',
        quantity: 1,
      }),
    );
    expect(rec.order.status).toBe('samples_received');

    const e = await requestSaltSpray(10);
    const ea = await accept(e.order.id);
    const all = ok(
      await call(tk.lab, 'POST', `/v1/orders/${e.order.id}/samples/${ea.samples[0]!.id}/reject`, {
        reason: '送错样品',
      }),
    );
    expect(all.order.status).toBe('awaiting_samples');
    expect(all.timeline.map((x) => x.action)).toContain('samples.all_rejected');
    // Staff may not cancel for the lab (managers only), and a reason is required.
    expectProblem(await call(tk.lab, 'POST', `/v1/orders/${e.order.id}/cancel`, {}), 400, 'validation_failed');
    const c = ok(await call(tk.lab, 'POST', `/v1/orders/${e.order.id}/cancel`, { reason: '样品全部拒收' }));
    expect(c.order.status).toBe('cancelled');
  });

  it('the customer cancels free before samples arrive, for 20 % after, and may decline a quote', async () => {
    const free = await requestSaltSpray(10);
    await accept(free.order.id);
    const c1 = ok(await call(tk.sme, 'POST', `/v1/orders/${free.order.id}/cancel`, { reason: '计划变更' }));
    expect(c1.order.cancellationFee?.amount).toBe(0);

    const late = await requestSaltSpray(10);
    const la = await accept(late.order.id);
    await receiveAll(la);
    const c2 = ok(await call(tk.sme, 'POST', `/v1/orders/${late.order.id}/cancel`, { reason: '计划变更' }));
    expect(c2.order.status).toBe('cancelled');
    expect(c2.order.cancellationFee?.amount).toBe(Math.round(10 * 3000 * 0.2));
    expectProblem(
      await call(tk.sme, 'POST', `/v1/orders/${late.order.id}/cancel`, { reason: '再来一次' }),
      409,
      'illegal_transition',
    );

    const dec = await requestSaltSpray(10);
    const d = ok(await call(tk.sme, 'POST', `/v1/orders/${dec.order.id}/decline`, { reason: '价格偏高' }));
    expect(d.order.status).toBe('cancelled');
    expect(d.order.cancellationFee?.amount).toBe(0);
    const { rows } = await t.db.pool.query(`SELECT count(*)::int AS n FROM notifications WHERE dedupe_key LIKE $1`, [
      `order:${dec.order.id}:order_declined:%`,
    ]);
    expect(rows[0].n).toBeGreaterThan(0);
  });
});

describe('orders without samples: deliver, objections, re-test, close', () => {
  it('goes accepted → in_progress with the clock started, is delivered, objected to, re-tested and closed', async () => {
    const svc = await serviceOfKind(
      t.db,
      labId,
      ['standards', 'certification', 'quality_management', 'brand', 'ip'],
      true,
    );
    const d = ok<Detail>(
      await call(tk.sme, 'POST', '/v1/orders', {
        labId,
        requestNotes: '咨询',
        lines: [{ serviceId: svc.id, quantity: 1 }],
      }),
      201,
    );
    expect(d.order.needsSamples).toBe(false);
    expect(d.order.status).toBe('quoted');
    const a = await accept(d.order.id, { deadlineTierDays: 30 });
    expect(a.order.status).toBe('in_progress');
    expect(a.samples).toHaveLength(0);
    expect(a.order.clockStartedAt).not.toBeNull();
    expect(a.order.dueAt).not.toBeNull();
    expectProblem(await call(tk.sme, 'POST', `/v1/orders/${d.order.id}/deliver`), 403, 'forbidden');
    expectProblem(
      await call(tk.sme, 'POST', `/v1/orders/${d.order.id}/objections`, { reason: '报告有误' }),
      409,
      'illegal_transition',
    );
    const del = ok(await call(tk.lab, 'POST', `/v1/orders/${d.order.id}/deliver`));
    expect(del.order.status).toBe('report_issued');
    expect(del.order.onTime).toBe(true);
    expect(del.order.objectionUntil).toBe(new Date(clock.now.getTime() + 15 * 86_400_000).toISOString());

    const o = ok(await call(tk.sme, 'POST', `/v1/orders/${d.order.id}/objections`, { reason: '结论与数据不符' }), 201);
    const objection = o.objections[0]!;
    expect(objection.status).toBe('open');
    expectProblem(
      await call(tk.sme, 'POST', `/v1/orders/${d.order.id}/objections`, { reason: '再次异议' }),
      409,
      'objection_open',
    );
    expectProblem(await call(tk.sme, 'POST', `/v1/orders/${d.order.id}/close`), 409, 'objection_open');
    const resolveUrl = `/v1/orders/${d.order.id}/objections/${objection.id}/resolve`;
    const body = { outcome: 'upheld', resolution: '重新评审' };
    expectProblem(await call(tk.operator, 'POST', resolveUrl, body), 403, 'forbidden');
    expectProblem(await call(tk.sme, 'POST', resolveUrl, body), 403, 'forbidden');
    const up = ok(await call(tk.lab, 'POST', resolveUrl, body));
    expect(up.order.status).toBe('in_progress');
    expect(up.order.retestCount).toBe(1);
    expectProblem(await call(tk.lab, 'POST', resolveUrl, body), 409, 'objection_resolved');

    ok(await call(tk.lab, 'POST', `/v1/orders/${d.order.id}/deliver`));
    const o2 = ok(await call(tk.sme, 'POST', `/v1/orders/${d.order.id}/objections`, { reason: '仍有疑问' }), 201);
    const second = o2.objections.find((x) => x.status === 'open')!;
    const dis = ok(
      await call(tk.lab, 'POST', `/v1/orders/${d.order.id}/objections/${second.id}/resolve`, {
        outcome: 'dismissed',
        resolution: '数据复核无误',
      }),
    );
    expect(dis.order.status).toBe('report_issued');
    const closed = ok(await call(tk.sme, 'POST', `/v1/orders/${d.order.id}/close`));
    expect(closed.order.status).toBe('closed');
    expectProblem(
      await call(tk.sme, 'POST', `/v1/orders/${d.order.id}/objections`, { reason: '晚了' }),
      409,
      'objection_window_closed',
    );
  });

  it('refuses an objection after the window', async () => {
    const svc = await serviceOfKind(
      t.db,
      labId,
      ['standards', 'certification', 'quality_management', 'brand', 'ip'],
      true,
    );
    const d = ok<Detail>(
      await call(tk.sme, 'POST', '/v1/orders', {
        labId,
        requestNotes: '',
        lines: [{ serviceId: svc.id, quantity: 1 }],
      }),
      201,
    );
    await accept(d.order.id, { deadlineTierDays: 30 });
    ok(await call(tk.lab, 'POST', `/v1/orders/${d.order.id}/deliver`));
    await t.db.pool.query(`UPDATE orders SET objection_until = $2 WHERE id = $1`, [
      d.order.id,
      new Date(clock.now.getTime() - 1000),
    ]);
    expectProblem(
      await call(tk.sme, 'POST', `/v1/orders/${d.order.id}/objections`, { reason: '异议' }),
      409,
      'objection_window_closed',
    );
  });
});

describe('lab order settings', () => {
  it('members read the defaults, the manager saves, others are refused; a lab without auto-quote quotes by hand', async () => {
    const g = ok<{ reportPrefix: string; saved: boolean; objectionDays: number }>(
      await call(tk.operator, 'GET', `/v1/labs/${labId}/order-settings`),
    );
    expect(g.saved).toBe(false);
    expect(g.objectionDays).toBe(15);
    expect(g.reportPrefix).toMatch(/^QI[0-9A-F]{4}$/);
    expectProblem(await call(tk.sme, 'GET', `/v1/labs/${labId}/order-settings`), 403, 'forbidden');
    expectProblem(
      await call(tk.operator, 'PUT', `/v1/labs/${labId}/order-settings`, { objectionDays: 10 }),
      403,
      'forbidden',
    );
    expectProblem(
      await call(tk.lab2, 'PUT', `/v1/labs/${labId}/order-settings`, { objectionDays: 10 }),
      403,
      'forbidden',
    );
    expectProblem(
      await call(tk.lab, 'PUT', `/v1/labs/${labId}/order-settings`, { reportPrefix: 'bad prefix' }),
      400,
      'validation_failed',
    );
    const p = ok<{ reportPrefix: string; saved: boolean; autoQuoteFixedPrice: boolean; expediteH24Pct: number }>(
      await call(tk.lab, 'PUT', `/v1/labs/${labId}/order-settings`, {
        reportPrefix: 'SZTI',
        autoQuoteFixedPrice: false,
        expediteH24Pct: 80,
      }),
    );
    expect(p).toMatchObject({ reportPrefix: 'SZTI', saved: true, autoQuoteFixedPrice: false, expediteH24Pct: 80 });

    const d = await requestSaltSpray(10);
    expect(d.order.status).toBe('requested');
    expect(d.lines[0]!.unitPrice).toBeNull();
    expectProblem(
      await call(tk.sme, 'POST', `/v1/orders/${d.order.id}/accept`, {
        quotedAt: '2026-11-26T02:00:00.000Z',
        commission: COMMISSION,
        expedite: 'h24',
      }),
      409,
      'illegal_transition',
    );
    expectProblem(
      await call(tk.lab, 'POST', `/v1/orders/${d.order.id}/quote`, { lines: [], validUntil: '2026-12-31' }),
      422,
      'line_unpriced',
    );
    ok(
      await call(tk.lab, 'POST', `/v1/orders/${d.order.id}/quote`, {
        lines: [{ lineId: d.lines[0]!.id, unitPriceFen: 3000 }],
        validUntil: '2026-12-31',
      }),
    );
    const a = await accept(d.order.id, { expedite: 'h24' });
    expect(a.order.surcharge.amount).toBe(24000);
    await call(tk.lab, 'PUT', `/v1/labs/${labId}/order-settings`, { autoQuoteFixedPrice: true });
  });
});

describe('access matrix', () => {
  it('each side sees and does exactly what it should', async () => {
    const d = await requestSaltSpray(4);
    const id = d.order.id;
    const get = async (who: keyof typeof USERS) => (await call(tk[who], 'GET', `/v1/orders/${id}`)).statusCode;
    expect(await get('sme')).toBe(200);
    expect(await get('lab')).toBe(200);
    expect(await get('operator')).toBe(200);
    expect(await get('sme2')).toBe(404);
    expect(await get('lab2')).toBe(404);
    expect(await get('officer')).toBe(404);

    // The enterprise's named service officer reads it (and only reads).
    const platform = await orgOf(t.db, USERS.officer);
    await t.db.pool.query(
      `INSERT INTO enterprise_officers (enterprise_id, platform_org_id, officer_user_id)
       SELECT $1, $2, id FROM users WHERE email = $3
       ON CONFLICT (enterprise_id) DO UPDATE SET officer_user_id = EXCLUDED.officer_user_id, platform_org_id = EXCLUDED.platform_org_id`,
      [smeOrg, platform, USERS.officer],
    );
    const asOfficer = ok(await call(tk.officer, 'GET', `/v1/orders/${id}`));
    expect(asOfficer.viewerSide).toBe('officer');
    const list = ok<{ items: { id: string }[] }>(await call(tk.officer, 'GET', '/v1/orders?as=officer'));
    expect(list.items.map((o) => o.id)).toContain(id);

    const posts: [string, unknown][] = [
      ['quote', { lines: [], validUntil: '2026-12-31' }],
      ['accept', { quotedAt: '2026-11-26T02:00:00.000Z', commission: COMMISSION, deadlineTierDays: 15 }],
      ['decline', {}],
      ['start', undefined],
      ['deliver', undefined],
      ['close', undefined],
      ['cancel', { reason: '测试取消' }],
      ['objections', { reason: '测试异议' }],
      ['schedule', { instrumentId: id, start: '2026-12-01T01:00:00Z', end: '2026-12-01T02:00:00Z' }],
    ];
    for (const [verb, body] of posts) {
      for (const who of ['sme2', 'lab2'] as const) {
        expectProblem(await call(tk[who], 'POST', `/v1/orders/${id}/${verb}`, body), 404, 'not_found');
      }
      expectProblem(await call(tk.officer, 'POST', `/v1/orders/${id}/${verb}`, body), 403, 'forbidden');
    }
    // Operators only test: every manager action is refused.
    for (const [verb, body] of posts.filter(([v]) => ['quote', 'start', 'deliver', 'cancel', 'schedule'].includes(v))) {
      expectProblem(await call(tk.operator, 'POST', `/v1/orders/${id}/${verb}`, body), 403, 'forbidden');
    }
    // Lists: each side sees its own.
    const mine = ok<{ items: { id: string }[] }>(await call(tk.sme, 'GET', '/v1/orders?as=customer&limit=100'));
    expect(mine.items.map((o) => o.id)).toContain(id);
    const other = ok<{ items: { id: string }[] }>(await call(tk.sme2, 'GET', '/v1/orders?limit=100'));
    expect(other.items.map((o) => o.id)).not.toContain(id);
    const labList = ok<{ items: { id: string }[] }>(
      await call(tk.lab, 'GET', `/v1/orders?as=lab&status=quoted&limit=100`),
    );
    expect(labList.items.map((o) => o.id)).toContain(id);
    const lab2List = ok<{ items: { id: string }[] }>(await call(tk.lab2, 'GET', '/v1/orders?as=lab&limit=100'));
    expect(lab2List.items.map((o) => o.id)).not.toContain(id);
    // Pagination walks every order once.
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { items: { id: string }[]; nextCursor: string | null } = ok(
        await call(tk.sme, 'GET', `/v1/orders?as=customer&limit=2${cursor ? `&cursor=${cursor}` : ''}`),
      );
      seen.push(...page.items.map((o) => o.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.length).toBe(mine.items.length);
  });
});

describe('accepting the quote the customer saw', () => {
  it('needs quotedAt; a re-quote in between is 409 quote_changed; the fresh quote is accepted', async () => {
    clock.now = new Date('2026-11-26T02:00:00Z');
    const d = await requestSaltSpray(24);
    const seen = ok(await call(tk.sme, 'GET', `/v1/orders/${d.order.id}`));
    expect(seen.order.quotedAt).toBe(clock.now.toISOString());
    const { quotedAt: _drop, ...noQuote } = { quotedAt: 1, commission: COMMISSION, deadlineTierDays: 15 };
    expectProblem(await call(tk.sme, 'POST', `/v1/orders/${d.order.id}/accept`, noQuote), 400, 'validation_failed');

    clock.advance(60_000);
    const requoted = ok(
      await call(tk.lab, 'POST', `/v1/orders/${d.order.id}/quote`, {
        lines: [{ lineId: d.lines[0]!.id, unitPriceFen: 9000 }],
        validUntil: '2026-12-31',
      }),
    );
    expect(requoted.order.quotedAt).not.toBe(seen.order.quotedAt);
    expectProblem(await acceptAsSeen(seen, { deadlineTierDays: 15 }), 409, 'quote_changed');
    const untouched = ok(await call(tk.sme, 'GET', `/v1/orders/${d.order.id}`));
    expect(untouched.order.status).toBe('quoted');
    const a = ok(await acceptAsSeen(requoted, { deadlineTierDays: 15 }));
    expect(a.order.status).toBe('awaiting_samples');
    expect(a.order.subtotal.amount).toBe(24 * 9000);
  });
});

describe('sample photos and late cancellation', () => {
  const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(64, 1)]);

  it('takes the arrival photo while samples arrive or work runs, not on a cancelled order', async () => {
    clock.now = new Date('2026-11-26T02:00:00Z');
    const d = await requestSaltSpray(24);
    const a = await acceptQuote(t, tk.sme, d, { deadlineTierDays: 15 });
    const url = `/v1/orders/${d.order.id}/samples/${a.samples[0]!.id}/photo`;
    expect(ok(await call(tk.lab, 'POST', url, png, { 'content-type': 'image/png' })).samples[0]!.hasPhoto).toBe(true);
    ok(await call(tk.lab, 'POST', `/v1/orders/${d.order.id}/cancel`, { reason: '实验室设备故障' }));
    const { rows: before } = await t.db.pool.query('SELECT photo_path FROM order_samples WHERE order_id = $1', [
      d.order.id,
    ]);
    expectProblem(await call(tk.lab, 'POST', url, png, { 'content-type': 'image/png' }), 409, 'illegal_transition');
    const { rows: after } = await t.db.pool.query('SELECT photo_path FROM order_samples WHERE order_id = $1', [
      d.order.id,
    ]);
    expect(after).toEqual(before);
  });

  it('charges the late-cancel fee once some samples have arrived, and nothing before', async () => {
    clock.now = new Date('2026-11-26T02:00:00Z');
    const d = await requestSaltSpray(24);
    const a = await acceptQuote(t, tk.sme, d, {
      deadlineTierDays: 15,
      samples: [
        { nameZh: '甲', quantity: 1 },
        { nameZh: '乙', quantity: 1 },
      ],
    });
    const r = ok(
      await call(tk.lab, 'POST', `/v1/orders/${d.order.id}/samples/${a.samples[0]!.id}/receive`, {
        conditionOnArrival: '完好',
        quantity: 1,
      }),
    );
    expect(r.order.status).toBe('awaiting_samples');
    const c = ok(await call(tk.sme, 'POST', `/v1/orders/${d.order.id}/cancel`, { reason: '不再需要' }));
    expect(c.order.status).toBe('cancelled');
    expect(c.order.cancellationFee?.amount).toBe(Math.round(d.order.subtotal.amount * 0.2));

    // Nothing received yet: still free.
    const free = await requestSaltSpray(24);
    await acceptQuote(t, tk.sme, free, { deadlineTierDays: 15 });
    const fc = ok(await call(tk.sme, 'POST', `/v1/orders/${free.order.id}/cancel`, { reason: '不再需要' }));
    expect(fc.order.cancellationFee?.amount ?? 0).toBe(0);
  });
});
