import { beforeAll, describe, expect, it } from 'vitest';
import { expectProblem, testClock, useSeededApp } from '../support/app.ts';
import { reportDesk, type ReportBody } from '../support/report-desk.ts';

/**
 * Several reports per order: each report covers some of the order's lines, a line is in at most one
 * live report, the order follows its least advanced line (in_progress while a line is still being
 * written, report_review once every line not yet reported is with the reviewer) and is issued —
 * stamped, objection window, efficiency facts — only when issued reports cover every line. Orders
 * are set up in `in_progress` with SQL, as in reports.test.ts.
 */
const clock = testClock(new Date('2026-11-26T02:00:00Z'));
const t = useSeededApp({ clock });

const desk = reportDesk(t, clock, {
  signer: { email: 'multi-signer@demo.qihub.test', name: '吴签发' },
  orderTitle: '多项目委托',
  firstNumber: 950000,
});
const { tok, ids, send, post, get, draft, submitted, approved, signed } = desk;
const twoLineOrder = desk.orderWithLines;

async function orderRow(orderId: string) {
  const { rows } = await t.db.pool.query<{
    status: string;
    report_issued_at: Date | null;
    objection_until: Date | null;
    on_time: boolean | null;
  }>('SELECT status, report_issued_at, objection_until, on_time FROM orders WHERE id = $1', [orderId]);
  return rows[0]!;
}

beforeAll(desk.setUp);

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
    const a = await signed(first);
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
    const b = await signed(second);
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
        [ids.customerId],
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
    await signed(first);
    // The other line is still awaiting its signature: the order stays in review.
    expect((await orderRow(orderId)).status).toBe('report_review');
    await signed(second);
    expect((await orderRow(orderId)).status).toBe('report_issued');
    expect(await totals()).toEqual({ st: before.st + 2, rep: before.rep + 2, comp: before.comp + 1 });
  });

  it('counts each report under the kind of the lines it covers, in the rollups and in their rebuild alike', async () => {
    const byKind = async () => {
      const { rows } = await t.db.pool.query<{ kind: string; st: number }>(
        `SELECT kind, sum(service_times)::int AS st FROM stat_enterprise_months
          WHERE enterprise_id = $1 AND kind <> '' GROUP BY kind`,
        [ids.customerId],
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
      await signed(r);
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
    await signed(second);
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
        [orderId, ids.labId, [lines[0]]],
      ),
    ).rejects.toThrow(/covered by another live report/);
    const other = await twoLineOrder(1);
    await expect(
      t.db.pool.query(
        `INSERT INTO reports (order_id, lab_id, verification_code, line_ids) VALUES ($1, $2, 'multi-backstop-2', $3)`,
        [orderId, ids.labId, [other.lines[0]]],
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
    const a = await signed(first);
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
    const b = await signed(replacement);
    expect(b).toMatchObject({ lineIds: [lines[1]] });
    expect((await get(`/v1/reports/${a.id}`, tok.lab)).json<ReportBody>().status).toBe('replaced');
    // Still one line open: the order waits for it.
    expect((await orderRow(orderId)).status).toBe('in_progress');
    await submitted(rest);
    await approved(rest);
    await signed(rest);
    expect((await orderRow(orderId)).status).toBe('report_issued');
  });
});
