import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { expectProblem, testClock, useSeededApp } from '../support/app.ts';
import {
  acceptQuote,
  aLab,
  aNoSampleService,
  anOrder,
  api,
  COMMISSION,
  ok,
  orgOf,
  serviceId,
  sendAcceptance,
  signIn,
  USERS,
  type Detail,
} from '../factories/index.ts';

/**
 * What a quote binds and what it is made of: the lab's terms copied onto the quote (a later change of
 * the lab's settings changes nothing for it), the number of samples kept apart from the priced
 * quantity from the request to the report, and each line placed under an item of the lab's own
 * valid CMA / CNAS scope, matched on normalised standard numbers.
 */
const clock = testClock(new Date('2026-11-26T02:00:00Z')); // Thursday 10:00 in Shanghai
const t = useSeededApp({ clock });

const REVIEWER = 'reviewer@demo.qihub.test';
let tk: Record<keyof typeof USERS | 'reviewer', string>;
let labId: string;
let saltSpray: string;
let tensile: string;
let call: ReturnType<typeof api>;

interface Line {
  id: string;
  quantity: number;
  unit: string;
  sampleCount: number | null;
  parameterZh: string;
  standardCode: string;
  scopeItemId: string | null;
  inCmaScope: boolean;
  inCnasScope: boolean;
  unitPrice: { amount: number } | null;
}
type QuoteDetail = Omit<Detail, 'lines'> & {
  lines: Line[];
  labTerms: { expediteH72Pct: number; expediteH24Pct: number; expediteH8Pct: number; objectionDays: number };
};
interface ScopeMatches {
  checkedOn: string;
  items: { id: string; kind: string; parameterZh: string; standardCode: string; qualificationNumber: string }[];
  lines: {
    lineId: string;
    chosenItemId: string | null;
    matchedItemIds: string[];
    closest: { itemId: string; score: number }[];
  }[];
}
interface Report {
  id: string;
  sampleSummary: Record<string, unknown>;
  results: { lineId: string | null; parameterZh: string; standardCode: string; inCmaScope: boolean }[];
  cmaMark: boolean;
}

beforeAll(async () => {
  call = api(t.app);
  // Start from the defaults: auto-quote on, expedite 30 / 100 / 150 %, 15 days to object.
  labId = (await aLab(t).withDefaultOrderTerms().create()).id;
  saltSpray = await serviceId(t.db, labId, '中性盐雾试验');
  tensile = await serviceId(t.db, labId, '金属材料室温拉伸试验');
  tk = await signIn(t.app, [...(Object.keys(USERS) as (keyof typeof USERS)[]), 'reviewer'], {
    ...USERS,
    reviewer: REVIEWER,
  });
});

const request = (line: Record<string, unknown>) =>
  anOrder(t, { customer: tk.sme, lab: tk.lab, labId }).withLine(line).requested<QuoteDetail>();

const accept = (id: string, extra: Record<string, unknown>, commission: Record<string, unknown> = COMMISSION) =>
  acceptQuote<QuoteDetail>(t, tk.sme, id, extra, commission);

const setTerms = async (terms: Record<string, number>) =>
  ok(await call(tk.lab, 'PUT', `/v1/labs/${labId}/order-settings`, terms));
const countRows = async (sql: string, params: unknown[] = []) =>
  (await t.db.pool.query<{ n: number }>(sql, params)).rows[0]!.n;

/** Works a sample order from acceptance to a reviewed report and issues it (tester, reviewer, signatory apart). */
async function issueReport(orderId: string): Promise<QuoteDetail> {
  const d = ok<QuoteDetail>(await call(tk.lab, 'GET', `/v1/orders/${orderId}`));
  for (const s of d.samples) {
    ok(
      await call(tk.lab, 'POST', `/v1/orders/${orderId}/samples/${s.id}/receive`, {
        conditionOnArrival: '完好',
        quantity: s.quantity,
      }),
    );
  }
  ok(await call(tk.lab, 'POST', `/v1/orders/${orderId}/start`));
  const { rows } = await t.db.pool.query<{ id: string }>('SELECT id FROM users WHERE email = $1', [USERS.operator]);
  const draft = ok<Report>(await call(tk.lab, 'POST', `/v1/orders/${orderId}/reports`, { testerId: rows[0]!.id }), 201);
  ok(
    await call(tk.lab, 'PATCH', `/v1/reports/${draft.id}`, {
      results: draft.results.map((r) => ({
        lineId: r.lineId,
        parameterZh: r.parameterZh,
        standardCode: r.standardCode,
        result: '96 h 无红锈',
        verdict: 'pass',
      })),
    }),
  );
  ok(await call(tk.lab, 'POST', `/v1/reports/${draft.id}/submit`));
  ok(await call(tk.reviewer, 'POST', `/v1/reports/${draft.id}/review`, { decision: 'approve' }));
  ok(await call(tk.lab, 'POST', `/v1/reports/${draft.id}/issue`));
  return ok(await call(tk.sme, 'GET', `/v1/orders/${orderId}`));
}

describe('the terms shown with a quote', () => {
  it('bind the acceptance: a lab raising its expedite surcharge after quoting charges the quoted percentage', async () => {
    await setTerms({ expediteH72Pct: 30, expediteH24Pct: 100, expediteH8Pct: 150, objectionDays: 15 });
    const d = await request({ serviceId: saltSpray, quantity: 10 });
    expect(d.order.status).toBe('quoted');
    expect(d.labTerms).toEqual({ expediteH72Pct: 30, expediteH24Pct: 100, expediteH8Pct: 150, objectionDays: 15 });

    // The lab raises every surcharge after the customer has seen the quote.
    await setTerms({ expediteH72Pct: 200, expediteH24Pct: 300, expediteH8Pct: 400 });
    const seen = ok<QuoteDetail>(await call(tk.sme, 'GET', `/v1/orders/${d.order.id}`));
    expect(seen.labTerms.expediteH72Pct).toBe(30);

    const a = await accept(d.order.id, { expedite: 'h72' });
    expect(a.order.expeditePct).toBe(30);
    expect(a.order.surcharge.amount).toBe(Math.round(10 * 3000 * 0.3));
    expect(a.order.total.amount).toBe(10 * 3000 + Math.round(10 * 3000 * 0.3));

    // A new quote is a new offer: it carries the terms of the day it is made.
    const e = await request({ serviceId: saltSpray, quantity: 10 });
    expect(e.labTerms.expediteH24Pct).toBe(300);
    await setTerms({ expediteH24Pct: 50 });
    ok(
      await call(tk.lab, 'POST', `/v1/orders/${e.order.id}/quote`, {
        lines: [{ lineId: e.lines[0]!.id, unitPriceFen: 3000 }],
        validUntil: '2026-12-31',
      }),
    );
    const ea = await accept(e.order.id, { expedite: 'h24' });
    expect(ea.order.expeditePct).toBe(50);
    expect(ea.order.surcharge.amount).toBe(15000);
  });

  it('keep the objection window shown with the quote, for a delivered order and for an issued report', async () => {
    await setTerms({ expediteH72Pct: 30, expediteH24Pct: 100, expediteH8Pct: 150, objectionDays: 15 });
    const c = await request({ serviceId: await aNoSampleService(t.db, labId), quantity: 1 });
    const test = await request({ serviceId: saltSpray, quantity: 96 });
    expect([c.order.status, test.order.status]).toEqual(['quoted', 'quoted']);
    await accept(c.order.id, { deadlineTierDays: 30 });
    await accept(test.order.id, { deadlineTierDays: 15 }, { ...COMMISSION, quantity: 1 });

    // The lab shortens the window to 3 days after both quotes were accepted.
    await setTerms({ objectionDays: 3 });
    const delivered = ok<QuoteDetail>(await call(tk.lab, 'POST', `/v1/orders/${c.order.id}/deliver`));
    expect(delivered.order.objectionUntil).toBe(new Date(clock.now.getTime() + 15 * 86_400_000).toISOString());
    const issued = await issueReport(test.order.id);
    expect(issued.order.status).toBe('report_issued');
    expect(issued.order.objectionUntil).toBe(new Date(clock.now.getTime() + 15 * 86_400_000).toISOString());
    await setTerms({ objectionDays: 15 });
  });
});

describe('number of samples and priced quantity', () => {
  it('stay apart from the request through the quote and the acceptance to the report', async () => {
    // Three panels for a salt-spray test priced per hour: the hours are the lab's to quote.
    const d = await request({
      serviceId: saltSpray,
      sampleCount: 3,
      parameterZh: '中性盐雾试验',
      standardCode: 'GB/T 10125-2021',
    });
    expect(d.lines[0]).toMatchObject({ sampleCount: 3, quantity: 1, unit: 'hour' });
    expect(d.order.status).toBe('requested');

    const q = ok<QuoteDetail>(
      await call(tk.lab, 'POST', `/v1/orders/${d.order.id}/quote`, {
        lines: [{ lineId: d.lines[0]!.id, unitPriceFen: 3000, quantity: 96 }],
        validUntil: '2026-12-31',
      }),
    );
    expect(q.lines[0]).toMatchObject({ sampleCount: 3, quantity: 96, unit: 'hour' });
    expect(q.order.subtotal.amount).toBe(96 * 3000);

    const a = await accept(d.order.id, { deadlineTierDays: 15 }, { ...COMMISSION, quantity: 3 });
    expect(a.samples).toEqual([expect.objectContaining({ quantity: 3 })]);
    expect(a.lines[0]).toMatchObject({ sampleCount: 3, quantity: 96 });

    const r = ok<QuoteDetail>(
      await call(tk.lab, 'POST', `/v1/orders/${d.order.id}/samples/${a.samples[0]!.id}/receive`, {
        conditionOnArrival: '完好',
        quantity: 3,
      }),
    );
    expect(r.order.status).toBe('samples_received');
    ok(await call(tk.lab, 'POST', `/v1/orders/${d.order.id}/start`));
    const report = ok<Report>(await call(tk.lab, 'POST', `/v1/orders/${d.order.id}/reports`, {}), 201);
    expect(report.sampleSummary.quantity).toBe('3 件');
  });

  it('a service priced per sample counts the samples; a stated quantity is quoted as stated', async () => {
    const perSample = await request({ serviceId: tensile, sampleCount: 4 });
    expect(perSample.lines[0]).toMatchObject({ sampleCount: 4, quantity: 4, unit: 'sample' });
    expect(perSample.order.status).toBe('quoted');
    const stated = await request({ serviceId: saltSpray, sampleCount: 2, quantity: 48 });
    expect(stated.lines[0]).toMatchObject({ sampleCount: 2, quantity: 48, unit: 'hour' });
    expect(stated.order.status).toBe('quoted');
    expect(stated.order.subtotal.amount).toBe(48 * 3000);
  });

  it('refuses a number of samples out of range, and creates nothing', async () => {
    const before = await countRows('SELECT count(*)::int AS n FROM orders');
    for (const sampleCount of [0, -1, 100001, 2 ** 31, 1.5]) {
      expectProblem(
        await call(tk.sme, 'POST', '/v1/orders', {
          labId,
          requestNotes: '',
          lines: [{ serviceId: saltSpray, sampleCount }],
        }),
        400,
        'validation_failed',
      );
    }
    expect(await countRows('SELECT count(*)::int AS n FROM orders')).toBe(before);
  });
});

describe('scope items on quoted lines', () => {
  it('the lab places a line under an item of its own valid scope; a line that matches nothing is offered the closest', async () => {
    // The customer's wording (as the form's example suggests) matches no scope item word for word.
    const d = await request({
      serviceId: saltSpray,
      sampleCount: 3,
      parameterZh: '中性盐雾 96 h',
      standardCode: 'GB/T10125—2021',
    });
    const m = ok<ScopeMatches>(await call(tk.lab, 'GET', `/v1/orders/${d.order.id}/scope-matches`));
    expect(m.checkedOn).toBe('2026-11-26');
    expect(m.items.length).toBeGreaterThan(0);
    const line = m.lines.find((l) => l.lineId === d.lines[0]!.id)!;
    expect(line.chosenItemId).toBeNull();
    expect(line.matchedItemIds).toEqual([]);
    const best = m.items.find((i) => i.id === line.closest[0]!.itemId)!;
    expect(best).toMatchObject({ parameterZh: '中性盐雾试验', standardCode: 'GB/T 10125-2021' });

    // Only the lab reads it.
    expectProblem(await call(tk.sme, 'GET', `/v1/orders/${d.order.id}/scope-matches`), 403, 'forbidden');
    expectProblem(await call(tk.lab2, 'GET', `/v1/orders/${d.order.id}/scope-matches`), 404, 'not_found');
    // The enterprise's service officer reads the order, not the lab's working papers.
    expectProblem(await call(tk.officer, 'GET', `/v1/orders/${d.order.id}/scope-matches`), 403, 'forbidden');
    expectProblem(await call(tk.lab, 'GET', '/v1/orders/not-an-id/scope-matches'), 400, 'validation_failed');

    const q = ok<QuoteDetail>(
      await call(tk.lab, 'POST', `/v1/orders/${d.order.id}/quote`, {
        lines: [{ lineId: d.lines[0]!.id, unitPriceFen: 3000, quantity: 96, scopeItemId: best.id }],
        validUntil: '2026-12-31',
      }),
    );
    expect(q.lines[0]).toMatchObject({
      scopeItemId: best.id,
      parameterZh: '中性盐雾试验',
      standardCode: 'GB/T 10125-2021',
      inCmaScope: true,
      inCnasScope: true,
    });
    const quoted = q.timeline.find((e) => e.action === 'order.quoted')!;
    expect(quoted.data.scopeChoices).toEqual([
      { position: 1, scopeItemId: best.id, was: { parameterZh: '中性盐雾 96 h', standardCode: 'GB/T10125—2021' } },
    ]);
    const after = ok<ScopeMatches>(await call(tk.lab, 'GET', `/v1/orders/${d.order.id}/scope-matches`));
    expect(after.lines[0]!.chosenItemId).toBe(best.id);

    // The mark carries to the report drafted from the line.
    await accept(d.order.id, { deadlineTierDays: 15 });
    const issued = await issueReport(d.order.id);
    const { rows } = await t.db.pool.query<{ cma_mark: boolean; results: Report['results'] }>(
      'SELECT cma_mark, results FROM reports WHERE order_id = $1',
      [issued.order.id],
    );
    expect(rows[0]!.cma_mark).toBe(true);
    expect(rows[0]!.results[0]).toMatchObject({ parameterZh: '中性盐雾试验', inCmaScope: true });
  });

  it('refuses a scope item of another lab, of a lapsed certificate or unknown, and changes nothing', async () => {
    const d = await request({ serviceId: saltSpray, sampleCount: 1, parameterZh: '盐雾', standardCode: '10125' });
    const lineId = d.lines[0]!.id;
    const lab2 = await orgOf(t.db, USERS.lab2);
    const { rows: foreign } = await t.db.pool.query<{ id: string }>(
      `SELECT i.id FROM lab_qualification_scope_items i JOIN lab_qualifications q ON q.id = i.qualification_id
        WHERE q.lab_id = $1 LIMIT 1`,
      [lab2],
    );
    // A CMA certificate of this lab that lapsed in 2016, with the same item on it.
    const { rows: lapsed } = await t.db.pool.query<{ id: string }>(
      `WITH q AS (
         INSERT INTO lab_qualifications (lab_id, kind, number, issued_on, valid_until)
         VALUES ($1, 'cma', '160000000001', '2010-01-01', '2016-01-01') RETURNING id)
       INSERT INTO lab_qualification_scope_items (qualification_id, parameter_zh, standard_code)
       SELECT id, '中性盐雾试验', 'GB/T 10125-2012' FROM q RETURNING id`,
      [labId],
    );
    const before = await t.db.pool.query('SELECT * FROM order_lines WHERE id = $1', [lineId]);
    for (const [i, scopeItemId] of [foreign[0]!.id, lapsed[0]!.id, randomUUID()].entries()) {
      const body = expectProblem(
        await call(tk.lab, 'POST', `/v1/orders/${d.order.id}/quote`, {
          lines: [{ lineId, unitPriceFen: 3000, quantity: 96, scopeItemId }],
          validUntil: '2026-12-31',
        }),
        422,
        'scope_item_not_valid',
      );
      expect(body.errors?.[0], String(i)).toMatchObject({ path: '/lines/0/scopeItemId' });
    }
    expectProblem(
      await call(tk.lab, 'POST', `/v1/orders/${d.order.id}/quote`, {
        lines: [{ lineId, unitPriceFen: 3000, scopeItemId: 'not-a-uuid' }],
        validUntil: '2026-12-31',
      }),
      400,
      'validation_failed',
    );
    const after = await t.db.pool.query('SELECT * FROM order_lines WHERE id = $1', [lineId]);
    expect(after.rows[0]).toEqual(before.rows[0]);
    const o = ok<QuoteDetail>(await call(tk.lab, 'GET', `/v1/orders/${d.order.id}`));
    expect(o.order.status).toBe('requested');
  });

  it('marks a line whose standard is written without year or prefix as inside the scope', async () => {
    const d = await request({
      serviceId: tensile,
      sampleCount: 2,
      parameterZh: '室温拉伸性能',
      standardCode: 'GB/T 228.1',
    });
    expect(d.order.status).toBe('quoted');
    expect(d.lines[0]).toMatchObject({ inCmaScope: true, inCnasScope: true, scopeItemId: null });
    const m = ok<ScopeMatches>(await call(tk.lab, 'GET', `/v1/orders/${d.order.id}/scope-matches`));
    const matched = m.items.filter((i) => m.lines[0]!.matchedItemIds.includes(i.id));
    expect(matched.map((i) => i.kind).sort()).toEqual(['cma', 'cnas']);
    expect(new Set(matched.map((i) => i.standardCode))).toEqual(new Set(['GB/T 228.1-2021']));
  });
});

describe('amounts too large for the order columns', () => {
  async function linePrices(orderId: string) {
    const { rows } = await t.db.pool.query<{ unit_price_fen: number | null; amount_fen: number | null }>(
      'SELECT unit_price_fen, amount_fen FROM order_lines WHERE order_id = $1 ORDER BY position',
      [orderId],
    );
    return rows;
  }

  it('refuse a quote line or total above the integer range with 422 amount_too_large, writing nothing', async () => {
    const d = await request({ serviceId: saltSpray, quantity: 24 });
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

  it('refuse an acceptance whose expedite surcharge would pass the range with 422 amount_too_large', async () => {
    const d = await request({ serviceId: saltSpray, quantity: 24 });
    const q = ok(
      await call(tk.lab, 'POST', `/v1/orders/${d.order.id}/quote`, {
        lines: [{ lineId: d.lines[0]!.id, unitPriceFen: 1_000_000_000, quantity: 2 }],
        validUntil: '2026-12-31',
      }),
    );
    expect(q.order.subtotal.amount).toBe(2_000_000_000);
    for (const expedite of ['h72', 'h24', 'h8']) {
      expectProblem(await sendAcceptance(t, tk.sme, q, { expedite }), 422, 'amount_too_large');
    }
    const still = ok(await call(tk.sme, 'GET', `/v1/orders/${d.order.id}`));
    expect(still.order.status).toBe('quoted');
    expect(still.order.surcharge.amount).toBe(0);
    // Without a surcharge it fits.
    expect((await acceptQuote(t, tk.sme, q, { deadlineTierDays: 15 })).order.status).toBe('awaiting_samples');
  });
});
