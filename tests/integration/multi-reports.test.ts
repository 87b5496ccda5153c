import { beforeAll, describe, expect, it } from 'vitest';
import { bearer, expectProblem, login, testClock, useSeededApp } from '../support/app.ts';
import { orgOf, USERS } from '../support/scenario.ts';

import { userIdOf } from '../factories/index.ts';

/**
 * Several reports per order: each report covers some of the order's lines, a line is in at most one
 * live report, the order follows its least advanced line (in_progress while a line is still being
 * written, report_review once every line not yet reported is with the reviewer) and is issued —
 * stamped, objection window, efficiency facts — only when issued reports cover every line. Orders
 * are set up in `in_progress` with SQL, as in reports.test.ts.
 */
const clock = testClock(new Date('2026-11-26T02:00:00Z'));
const t = useSeededApp({ clock });

const tok = {} as Record<'sme' | 'sme2' | 'lab' | 'lab2' | 'signer', string>;
const uid = {} as Record<'sme' | 'operator', string>;
let labId: string;
let customerId: string;

interface ReportBody {
  id: string;
  number: string | null;
  status: string;
  lineIds: string[];
  verificationCode: string;
  results: { lineId: string | null; parameterZh: string; standardCode: string }[];
  replacesReportId: string | null;
  issuedAt: string | null;
}

const send = (method: 'GET' | 'POST' | 'PATCH', url: string, token: string | null, payload?: object) =>
  t.app.inject({ method, url, ...(token ? { headers: bearer(token) } : {}), ...(payload ? { payload } : {}) });
const post = (url: string, token: string | null, payload?: object) => send('POST', url, token, payload);
const get = (url: string, token: string | null) => send('GET', url, token);

let orderSeq = 0;
/** An order in `in_progress` at the demo lab for the demo enterprise, with `n` lines; returns its id and line ids. */
async function twoLineOrder(n = 2): Promise<{ orderId: string; lines: string[] }> {
  orderSeq += 1;
  const number = `QI2026${String(950000 + orderSeq)}`;
  const { rows } = await t.db.pool.query<{ id: string }>(
    `INSERT INTO orders (number, customer_org_id, lab_id, requested_by, status, title_zh, subtotal_fen, surcharge_fen,
       total_fen, commission, due_at, clock_started_at, work_started_at, accepted_at, quoted_at)
     VALUES ($1, $2, $3, $4, 'in_progress', '多项目委托', 100000, 0, 100000, $5, '2026-12-20T10:00:00Z',
       now(), now(), now(), now())
     RETURNING id`,
    [number, customerId, labId, uid.sme, JSON.stringify({ sampleName: '不锈钢螺栓', reportLanguage: 'zh' })],
  );
  const orderId = rows[0]!.id;
  const specs = [
    ['中性盐雾试验', 'GB/T 10125-2021'],
    ['涂层附着力（划格法）', 'GB/T 9286-2021'],
    ['硬度试验', 'GB/T 230.1-2018'],
  ].slice(0, n);
  const lines: string[] = [];
  for (const [i, [parameter, standard]] of specs.entries()) {
    const line = await t.db.pool.query<{ id: string }>(
      `INSERT INTO order_lines (order_id, position, kind, description_zh, parameter_zh, standard_code, quantity,
         unit_price_fen, amount_fen)
       VALUES ($1, $2, 'commissioned_test', $3, $3, $4, 1, 50000, 50000) RETURNING id`,
      [orderId, i + 1, parameter, standard],
    );
    lines.push(line.rows[0]!.id);
  }
  return { orderId, lines };
}

async function orderRow(orderId: string) {
  const { rows } = await t.db.pool.query<{
    status: string;
    report_issued_at: Date | null;
    objection_until: Date | null;
    on_time: boolean | null;
  }>('SELECT status, report_issued_at, objection_until, on_time FROM orders WHERE id = $1', [orderId]);
  return rows[0]!;
}

async function draft(orderId: string, lineIds?: string[]) {
  const res = await post(`/v1/orders/${orderId}/reports`, tok.lab, lineIds ? { lineIds } : {});
  expect(res.statusCode, res.body).toBe(201);
  return res.json<ReportBody>();
}

/** Tester, results, submit. */
async function submitted(report: ReportBody) {
  const patched = await send('PATCH', `/v1/reports/${report.id}`, tok.lab, {
    testerId: uid.operator,
    results: report.results.map((r) => ({
      lineId: r.lineId,
      parameterZh: r.parameterZh,
      standardCode: r.standardCode,
      result: '合格',
      verdict: 'pass',
    })),
  });
  expect(patched.statusCode, patched.body).toBe(200);
  const res = await post(`/v1/reports/${report.id}/submit`, tok.lab);
  expect(res.statusCode, res.body).toBe(200);
}

async function approved(report: ReportBody) {
  const res = await post(`/v1/reports/${report.id}/review`, tok.lab, { decision: 'approve' });
  expect(res.statusCode, res.body).toBe(200);
}

async function issued(report: ReportBody) {
  const res = await post(`/v1/reports/${report.id}/issue`, tok.signer);
  expect(res.statusCode, res.body).toBe(200);
  return res.json<ReportBody>();
}

beforeAll(async () => {
  labId = await orgOf(t.db, USERS.lab);
  customerId = await orgOf(t.db, USERS.sme);
  uid.sme = await userIdOf(t.db, USERS.sme);
  uid.operator = await userIdOf(t.db, USERS.operator);
  const signer = await t.db.pool.query<{ id: string }>(
    `INSERT INTO users (email, password_hash, display_name)
     SELECT 'multi-signer@demo.qihub.test', password_hash, '吴签发' FROM users WHERE email = $1 RETURNING id`,
    [USERS.lab],
  );
  await t.db.pool.query(`INSERT INTO memberships (user_id, org_id, role) VALUES ($1, $2, 'staff')`, [
    signer.rows[0]!.id,
    labId,
  ]);
  await t.db.pool.query('DELETE FROM lab_signatories WHERE lab_id = $1', [labId]);
  await t.db.pool.query('INSERT INTO lab_signatories (lab_id, user_id) VALUES ($1, $2)', [labId, signer.rows[0]!.id]);
  for (const k of ['sme', 'sme2', 'lab', 'lab2'] as const) tok[k] = await login(t.app, USERS[k]);
  tok.signer = await login(t.app, 'multi-signer@demo.qihub.test');
});

describe('two reports for a two-line order', () => {
  it('each covers its line; the order is issued only when the second one is', async () => {
    const { orderId, lines } = await twoLineOrder();
    const first = await draft(orderId, [lines[0]!]);
    expect(first.lineIds).toEqual([lines[0]]);
    expect(first.results.map((r) => r.lineId)).toEqual([lines[0]]);
    // By default a draft takes the lines no report covers yet.
    const second = await draft(orderId);
    expect(second.lineIds).toEqual([lines[1]]);
    expect(second.results.map((r) => r.parameterZh)).toEqual(['涂层附着力（划格法）']);

    // The first is with the reviewer, the second still being written: the order stays in progress.
    await submitted(first);
    expect((await orderRow(orderId)).status).toBe('in_progress');
    await approved(first);
    clock.advance(60_000);
    const a = await issued(first);
    expect(a).toMatchObject({ status: 'issued', lineIds: [lines[0]] });
    expect(await orderRow(orderId)).toMatchObject({
      status: 'in_progress',
      report_issued_at: null,
      objection_until: null,
    });

    // The customer already sees, downloads the record of and verifies the partial report, not the draft.
    const seen = await get(`/v1/orders/${orderId}/reports`, tok.sme);
    expect(seen.json<{ items: ReportBody[] }>().items.map((r) => [r.number, r.lineIds])).toEqual([
      [a.number, [lines[0]]],
    ]);
    const detail = await get(`/v1/orders/${orderId}`, tok.sme);
    expect(detail.json<{ reports: { id: string; lineIds: string[] }[] }>().reports).toEqual([
      expect.objectContaining({ id: a.id, lineIds: [lines[0]] }),
    ]);
    expect((await get(`/v1/reports/verify/${a.verificationCode}`, null)).json()).toMatchObject({
      number: a.number,
      status: 'valid',
    });
    expectProblem(await get(`/v1/reports/${second.id}`, tok.sme), 404, 'not_found');

    // Once the last line's report is with the reviewer the order is in review; its issue settles the order.
    await submitted(second);
    expect((await orderRow(orderId)).status).toBe('report_review');
    await approved(second);
    clock.advance(60_000);
    const b = await issued(second);
    const order = await orderRow(orderId);
    expect(order).toMatchObject({ status: 'report_issued', on_time: true });
    expect(order.report_issued_at!.toISOString()).toBe(b.issuedAt);
    expect(order.objection_until).not.toBeNull();
    // The efficiency facts' "report issued" is when the last line got covered.
    const facts = await t.db.pool.query<{ report_issued_at: Date }>(
      'SELECT report_issued_at FROM order_efficiency_facts WHERE order_id = $1',
      [orderId],
    );
    expect(facts.rows[0]!.report_issued_at.toISOString()).toBe(b.issuedAt);
    const events = await t.db.pool.query<{ action: string; to_status: string | null; partial: string | null }>(
      `SELECT action, to_status, data->>'partial' AS partial FROM order_events
       WHERE order_id = $1 AND action = 'report.issued' ORDER BY id`,
      [orderId],
    );
    expect(events.rows).toEqual([
      { action: 'report.issued', to_status: null, partial: 'true' },
      { action: 'report.issued', to_status: 'report_issued', partial: null },
    ]);
    const listed = await get(`/v1/orders/${orderId}/reports`, tok.sme);
    expect(listed.json<{ items: ReportBody[] }>().items.map((r) => r.lineIds)).toEqual([[lines[0]], [lines[1]]]);
  });

  it('counts two original reports as two service times and one order completed', async () => {
    const totals = async () => {
      const { rows } = await t.db.pool.query<{ st: string; rep: string; comp: string }>(
        `SELECT coalesce(sum(service_times), 0) AS st, coalesce(sum(reports_issued), 0) AS rep,
                coalesce(sum(orders_completed), 0) AS comp
         FROM stat_enterprise_months WHERE enterprise_id = $1`,
        [customerId],
      );
      return { st: Number(rows[0]!.st), rep: Number(rows[0]!.rep), comp: Number(rows[0]!.comp) };
    };
    const before = await totals();
    const { orderId, lines } = await twoLineOrder();
    const first = await draft(orderId, [lines[1]!]);
    const second = await draft(orderId, [lines[0]!]);
    for (const r of [first, second]) await submitted(r);
    expect((await orderRow(orderId)).status).toBe('report_review');
    for (const r of [first, second]) await approved(r);
    await issued(first);
    // The other line is still awaiting its signature: the order stays in review.
    expect((await orderRow(orderId)).status).toBe('report_review');
    await issued(second);
    expect((await orderRow(orderId)).status).toBe('report_issued');
    expect(await totals()).toEqual({ st: before.st + 2, rep: before.rep + 2, comp: before.comp + 1 });
  });

  it('counts each report under the kind of the lines it covers, in the rollups and in their rebuild alike', async () => {
    const byKind = async () => {
      const { rows } = await t.db.pool.query<{ kind: string; st: number }>(
        `SELECT kind, sum(service_times)::int AS st FROM stat_enterprise_months
          WHERE enterprise_id = $1 AND kind <> '' GROUP BY kind`,
        [customerId],
      );
      return Object.fromEntries(rows.map((r) => [r.kind, r.st])) as Record<string, number>;
    };
    const before = await byKind();
    const { orderId, lines } = await twoLineOrder();
    // The second line is a calibration: its certificate is a service time of calibration, not of testing.
    await t.db.pool.query(`UPDATE order_lines SET kind = 'calibration' WHERE id = $1`, [lines[1]!]);
    const certificate = await draft(orderId, [lines[1]!]);
    const report = await draft(orderId, [lines[0]!]);
    for (const r of [certificate, report]) {
      await submitted(r);
      await approved(r);
      await issued(r);
    }
    const after = await byKind();
    expect((after.calibration ?? 0) - (before.calibration ?? 0)).toBe(1);
    expect((after.commissioned_test ?? 0) - (before.commissioned_test ?? 0)).toBe(1);
    // The rebuild from the records agrees with what the triggers kept.
    await t.db.pool.query('SELECT rebuild_statistics_rollups()');
    expect(await byKind()).toEqual(after);
  });

  it('a returned report takes its lines back to work: the order follows', async () => {
    const { orderId, lines } = await twoLineOrder();
    const first = await draft(orderId, [lines[0]!]);
    const second = await draft(orderId, [lines[1]!]);
    await submitted(first);
    await submitted(second);
    expect((await orderRow(orderId)).status).toBe('report_review');
    const back = await post(`/v1/reports/${first.id}/review`, tok.signer, { decision: 'return', comment: '数据缺失' });
    expect(back.statusCode, back.body).toBe(200);
    expect((await orderRow(orderId)).status).toBe('in_progress');
    // The other one is still reviewed and issued meanwhile; the order waits for the first.
    await approved(second);
    await issued(second);
    expect((await orderRow(orderId)).status).toBe('in_progress');
    await submitted(first);
    expect((await orderRow(orderId)).status).toBe('report_review');
  });
});

describe('the lines a report covers', () => {
  it('refuses lines already in a live report, lines of another order, and a draft with nothing left', async () => {
    const { orderId, lines } = await twoLineOrder(3);
    const other = await twoLineOrder(1);
    await draft(orderId, [lines[0]!, lines[1]!]);
    const overlap = await post(`/v1/orders/${orderId}/reports`, tok.lab, { lineIds: [lines[2], lines[1]] });
    expectProblem(overlap, 409, 'line_already_reported');
    expect(overlap.json<{ errors: { path: string }[] }>().errors[0]!.path).toBe('/lineIds/1');
    expectProblem(
      await post(`/v1/orders/${orderId}/reports`, tok.lab, { lineIds: [other.lines[0]] }),
      422,
      'unknown_line',
    );
    expectProblem(await post(`/v1/orders/${orderId}/reports`, tok.lab, { lineIds: [] }), 400, 'validation_failed');
    expectProblem(
      await post(`/v1/orders/${orderId}/reports`, tok.lab, { lineIds: [lines[2], lines[2]] }),
      400,
      'validation_failed',
    );
    // Nothing changed: one report still.
    const { rows } = await t.db.pool.query('SELECT id FROM reports WHERE order_id = $1', [orderId]);
    expect(rows).toHaveLength(1);
    const last = await draft(orderId);
    expect(last.lineIds).toEqual([lines[2]]);
    expectProblem(await post(`/v1/orders/${orderId}/reports`, tok.lab, {}), 409, 'report_exists');
    // A result row may only name a line of its own report.
    expectProblem(
      await send('PATCH', `/v1/reports/${last.id}`, tok.lab, {
        results: [{ lineId: lines[0], parameterZh: '中性盐雾试验' }],
      }),
      422,
      'unknown_line',
    );
  });

  it('the database refuses a second live report of a covered line (the backstop of the rule)', async () => {
    const { orderId, lines } = await twoLineOrder();
    await draft(orderId, [lines[0]!]);
    await expect(
      t.db.pool.query(
        `INSERT INTO reports (order_id, lab_id, verification_code, line_ids) VALUES ($1, $2, 'multi-backstop-1', $3)`,
        [orderId, labId, [lines[0]]],
      ),
    ).rejects.toThrow(/covered by another live report/);
    const other = await twoLineOrder(1);
    await expect(
      t.db.pool.query(
        `INSERT INTO reports (order_id, lab_id, verification_code, line_ids) VALUES ($1, $2, 'multi-backstop-2', $3)`,
        [orderId, labId, [other.lines[0]]],
      ),
    ).rejects.toThrow(/line of another order/);
  });

  it('two drafts for the same line at once: exactly one is made', async () => {
    const { orderId, lines } = await twoLineOrder();
    const answers = await Promise.all([
      post(`/v1/orders/${orderId}/reports`, tok.lab, { lineIds: [lines[0]] }),
      post(`/v1/orders/${orderId}/reports`, tok.lab, { lineIds: [lines[1], lines[0]] }),
      post(`/v1/orders/${orderId}/reports`, tok.lab, { lineIds: [lines[0]] }),
    ]);
    expect(answers.filter((r) => r.statusCode === 201)).toHaveLength(1);
    for (const r of answers.filter((x) => x.statusCode !== 201)) {
      expect(r.statusCode, r.body).toBe(409);
      expect(r.json<{ code: string }>().code).toBe('line_already_reported');
    }
    const { rows } = await t.db.pool.query<{ line_ids: string[] }>('SELECT line_ids FROM reports WHERE order_id = $1', [
      orderId,
    ]);
    expect(rows).toHaveLength(1);
  });

  it('drafts stay inside the lab: the customer, another customer and another lab see none', async () => {
    const { orderId, lines } = await twoLineOrder();
    const d = await draft(orderId, [lines[0]!]);
    for (const token of [tok.sme, tok.sme2, tok.lab2]) {
      expectProblem(await get(`/v1/reports/${d.id}`, token), 404, 'not_found');
    }
    expect((await get(`/v1/orders/${orderId}/reports`, tok.sme)).json<{ items: unknown[] }>().items).toEqual([]);
    expectProblem(await get(`/v1/orders/${orderId}/reports`, tok.lab2), 404, 'not_found');
    // Another lab cannot draft on the order either.
    expectProblem(await post(`/v1/orders/${orderId}/reports`, tok.lab2, { lineIds: [lines[1]] }), 404, 'not_found');
    const lab = await get(`/v1/orders/${orderId}/reports`, tok.lab);
    expect(lab.json<{ items: ReportBody[] }>().items.map((r) => r.lineIds)).toEqual([[lines[0]]]);
  });

  it('a replacement covers the same lines as the report it replaces, and the line stays covered', async () => {
    const { orderId, lines } = await twoLineOrder();
    const first = await draft(orderId, [lines[1]!]);
    await submitted(first);
    await approved(first);
    const a = await issued(first);
    // The other line is still open: a replacement may be drafted meanwhile, and a draft of the other line.
    const rep = await post(`/v1/reports/${a.id}/replace`, tok.lab, { reason: '结论笔误' });
    expect(rep.statusCode, rep.body).toBe(201);
    const replacement = rep.json<ReportBody>();
    expect(replacement).toMatchObject({ replacesReportId: a.id, lineIds: [lines[1]] });
    const rest = await draft(orderId);
    expect(rest.lineIds).toEqual([lines[0]]);
    expectProblem(await post(`/v1/reports/${a.id}/replace`, tok.lab, { reason: '再次' }), 409, 'replacement_exists');
    await submitted(replacement);
    await approved(replacement);
    const b = await issued(replacement);
    expect(b).toMatchObject({ lineIds: [lines[1]] });
    expect((await get(`/v1/reports/${a.id}`, tok.lab)).json<ReportBody>().status).toBe('replaced');
    // Still one line open: the order waits for it.
    expect((await orderRow(orderId)).status).toBe('in_progress');
    await submitted(rest);
    await approved(rest);
    await issued(rest);
    expect((await orderRow(orderId)).status).toBe('report_issued');
  });
});
