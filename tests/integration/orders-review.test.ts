import { beforeAll, describe, expect, it } from 'vitest';
import { expectProblem, login, testClock, useSeededApp } from '../support/app.ts';
import { orgOf, USERS } from '../support/scenario.ts';
import { api, COMMISSION, ok, serviceId, serviceOfKind, type Detail } from './orders-support.ts';

/**
 * Defects found in review of the order flow: amounts too large for the 32-bit columns (quote and
 * accept), accepting a quote the customer never saw, the surcharge waived on a redelivery, sample
 * photos replaced after the fact, the lab's internal review events on the customer's timeline, and a
 * free cancellation once samples have arrived.
 */
const clock = testClock(new Date('2026-11-26T02:00:00Z')); // Thursday 10:00 in Shanghai
const t = useSeededApp({ clock });

let tk: Record<'sme' | 'lab', string>;
let labId: string;
let saltSpray: string;
let call: ReturnType<typeof api>;

async function setNow(iso: string) {
  clock.now = new Date(iso);
  tk = { sme: await login(t.app, USERS.sme), lab: await login(t.app, USERS.lab) };
}

beforeAll(async () => {
  call = api(t.app);
  labId = await orgOf(t.db, USERS.lab);
  saltSpray = await serviceId(t.db, labId, '中性盐雾试验');
  await t.db.pool.query('DELETE FROM lab_order_settings WHERE lab_id = $1', [labId]);
  await setNow('2026-11-26T02:00:00Z');
});

async function saltSprayOrder(hours = 24): Promise<Detail> {
  return ok(
    await call(tk.sme, 'POST', '/v1/orders', {
      labId,
      requestNotes: '',
      lines: [{ serviceId: saltSpray, quantity: hours }],
    }),
    201,
  );
}

async function noSampleOrder(): Promise<Detail> {
  const svc = await serviceOfKind(
    t.db,
    labId,
    ['standards', 'certification', 'quality_management', 'brand', 'ip'],
    true,
  );
  return ok(
    await call(tk.sme, 'POST', '/v1/orders', { labId, requestNotes: '', lines: [{ serviceId: svc.id, quantity: 1 }] }),
    201,
  );
}

async function linePrices(orderId: string) {
  const { rows } = await t.db.pool.query<{ unit_price_fen: number | null; amount_fen: number | null }>(
    'SELECT unit_price_fen, amount_fen FROM order_lines WHERE order_id = $1 ORDER BY position',
    [orderId],
  );
  return rows;
}

const accept = (d: Detail, extra: Record<string, unknown>) =>
  call(tk.sme, 'POST', `/v1/orders/${d.order.id}/accept`, {
    quotedAt: d.order.quotedAt,
    commission: COMMISSION,
    ...extra,
  });

describe('amounts too large for the order columns', () => {
  it('a quote line or total above the integer range is 422 amount_too_large, with nothing written', async () => {
    const d = await saltSprayOrder();
    const before = await linePrices(d.order.id);
    const lineId = d.lines[0]!.id;
    // One line: 1e9 fen × 3 overflows the line amount.
    expectProblem(
      await call(tk.lab, 'POST', `/v1/orders/${d.order.id}/quote`, {
        lines: [{ lineId, unitPriceFen: 1_000_000_000, quantity: 3 }],
        validUntil: '2026-12-31',
      }),
      422,
      'amount_too_large',
    );
    // An added line overflows on its own.
    expectProblem(
      await call(tk.lab, 'POST', `/v1/orders/${d.order.id}/quote`, {
        lines: [{ lineId, unitPriceFen: 100 }],
        addLines: [{ kind: 'commissioned_test', descriptionZh: '大额', quantity: 3, unitPriceFen: 1_000_000_000 }],
        validUntil: '2026-12-31',
      }),
      422,
      'amount_too_large',
    );
    // Each line fits, the total does not.
    expectProblem(
      await call(tk.lab, 'POST', `/v1/orders/${d.order.id}/quote`, {
        lines: [{ lineId, unitPriceFen: 1_000_000_000, quantity: 2 }],
        addLines: [{ kind: 'commissioned_test', descriptionZh: '大额', quantity: 2, unitPriceFen: 1_000_000_000 }],
        validUntil: '2026-12-31',
      }),
      422,
      'amount_too_large',
    );
    const after = ok(await call(tk.lab, 'GET', `/v1/orders/${d.order.id}`));
    expect(after.lines).toHaveLength(1);
    expect(after.lines[0]!.quantity).toBe(24);
    expect(await linePrices(d.order.id)).toEqual(before);
    expect(after.order.subtotal.amount).toBe(d.order.subtotal.amount);
  });

  it('accepting with an expedite surcharge that would pass the range is 422 amount_too_large', async () => {
    const d = await saltSprayOrder();
    const q = ok(
      await call(tk.lab, 'POST', `/v1/orders/${d.order.id}/quote`, {
        lines: [{ lineId: d.lines[0]!.id, unitPriceFen: 1_000_000_000, quantity: 2 }],
        validUntil: '2026-12-31',
      }),
    );
    expect(q.order.subtotal.amount).toBe(2_000_000_000);
    for (const expedite of ['h72', 'h24', 'h8']) {
      expectProblem(await accept(q, { expedite }), 422, 'amount_too_large');
    }
    const still = ok(await call(tk.sme, 'GET', `/v1/orders/${d.order.id}`));
    expect(still.order.status).toBe('quoted');
    expect(still.order.surcharge.amount).toBe(0);
    // Without a surcharge it fits.
    expect(ok(await accept(q, { deadlineTierDays: 15 })).order.status).toBe('awaiting_samples');
  });
});

describe('accepting the quote the customer saw', () => {
  it('needs quotedAt; a re-quote in between is 409 quote_changed; the fresh quote is accepted', async () => {
    const d = await saltSprayOrder();
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
    expectProblem(await accept(seen, { deadlineTierDays: 15 }), 409, 'quote_changed');
    const untouched = ok(await call(tk.sme, 'GET', `/v1/orders/${d.order.id}`));
    expect(untouched.order.status).toBe('quoted');
    const a = ok(await accept(requoted, { deadlineTierDays: 15 }));
    expect(a.order.status).toBe('awaiting_samples');
    expect(a.order.subtotal.amount).toBe(24 * 9000);
  });
});

describe('redelivery after an upheld objection', () => {
  it('keeps the first delivery on time: the expedite surcharge is not waived by a late redelivery', async () => {
    await setNow('2026-11-26T02:00:00Z');
    const d = await noSampleOrder();
    const a = ok(await accept(d, { expedite: 'h8' }));
    expect(a.order.surcharge.amount).toBeGreaterThan(0);
    const total = a.order.total.amount;
    const first = ok(await call(tk.lab, 'POST', `/v1/orders/${d.order.id}/deliver`));
    expect(first.order.onTime).toBe(true);
    const o = ok(await call(tk.sme, 'POST', `/v1/orders/${d.order.id}/objections`, { reason: '结论有误' }), 201);
    ok(
      await call(tk.lab, 'POST', `/v1/orders/${d.order.id}/objections/${o.objections[0]!.id}/resolve`, {
        outcome: 'upheld',
        resolution: '重新评审',
      }),
    );
    await setNow('2026-11-27T02:00:00Z'); // a day later: well past the 8 h due time
    const again = ok(await call(tk.lab, 'POST', `/v1/orders/${d.order.id}/deliver`));
    expect(again.order.status).toBe('report_issued');
    expect(again.order.onTime).toBe(true);
    expect(again.order.surchargeWaived).toBe(false);
    expect(again.order.total.amount).toBe(total);
    expect(again.order.objectionUntil).toBe(new Date(clock.now.getTime() + 15 * 86_400_000).toISOString());
    const { rows } = await t.db.pool.query<{ report_issued_at: Date }>(
      'SELECT report_issued_at FROM orders WHERE id = $1',
      [d.order.id],
    );
    expect(rows[0]!.report_issued_at.toISOString()).toBe('2026-11-26T02:00:00.000Z');
  });
});

describe('samples', () => {
  const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(64, 1)]);

  it('the arrival photo is taken while samples arrive or work runs, not on a cancelled order', async () => {
    await setNow('2026-11-26T02:00:00Z');
    const d = await saltSprayOrder();
    const a = ok(await accept(d, { deadlineTierDays: 15 }));
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

  it('a customer cancelling once some samples have arrived pays the late-cancel fee', async () => {
    await setNow('2026-11-26T02:00:00Z');
    const d = await saltSprayOrder();
    const a = ok(
      await accept(d, {
        deadlineTierDays: 15,
        samples: [
          { nameZh: '甲', quantity: 1 },
          { nameZh: '乙', quantity: 1 },
        ],
      }),
    );
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
    const free = await saltSprayOrder();
    ok(await accept(free, { deadlineTierDays: 15 }));
    const fc = ok(await call(tk.sme, 'POST', `/v1/orders/${free.order.id}/cancel`, { reason: '不再需要' }));
    expect(fc.order.cancellationFee?.amount ?? 0).toBe(0);
  });
});

describe("the lab's internal review stays inside the lab", () => {
  it('the customer timeline has no drafted/submitted/reviewed/returned events and no reviewer comments', async () => {
    await setNow('2026-11-26T02:00:00Z');
    const d = await saltSprayOrder();
    const events: [string, Record<string, unknown>][] = [
      ['report.drafted', { reportId: 'r1', replaces: 'R-1', reason: '内部：数据录错' }],
      ['report.submitted', { reportId: 'r1' }],
      ['report.returned', { reportId: 'r1', comment: '内部：曲线不对' }],
      ['report.reviewed', { reportId: 'r1', comment: '内部：可以签发' }],
      ['report.issued', { reportId: 'r1', number: 'R-2', comment: '内部' }],
      ['report.revoked', { reportId: 'r1', number: 'R-2', reason: '客户信息有误' }],
    ];
    for (const [action, data] of events) {
      await t.db.pool.query(
        `INSERT INTO order_events (order_id, at, actor_side, action, data) VALUES ($1, $2, 'lab', $3, $4)`,
        [d.order.id, clock.now, action, JSON.stringify(data)],
      );
    }
    const lab = ok(await call(tk.lab, 'GET', `/v1/orders/${d.order.id}`));
    expect(lab.timeline.filter((e) => e.action.startsWith('report.')).map((e) => e.action)).toEqual(
      events.map(([a]) => a),
    );
    expect(lab.timeline.find((e) => e.action === 'report.returned')!.data.comment).toBe('内部：曲线不对');
    const sme = ok(await call(tk.sme, 'GET', `/v1/orders/${d.order.id}`));
    const reportEvents = sme.timeline.filter((e) => e.action.startsWith('report.'));
    expect(reportEvents.map((e) => e.action)).toEqual(['report.issued', 'report.revoked']);
    expect(reportEvents[0]!.data).toEqual({ reportId: 'r1', number: 'R-2' });
    expect(reportEvents[1]!.data.reason).toBe('客户信息有误');
    expect(JSON.stringify(sme.timeline)).not.toContain('内部');
  });
});
