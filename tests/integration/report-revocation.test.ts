import { beforeAll, describe, expect, it } from 'vitest';
import { expectProblem, testClock, useSeededApp } from '../support/app.ts';
import { reportDesk, type ReportBody } from '../support/report-desk.ts';
import { databaseDigest } from '../support/db.ts';
import { expectMoneyConsistent, moneyDigest } from '../support/money-invariants.ts';
import { USERS } from '../support/scenario.ts';

import { anOrder, serviceId, userIdOf } from '../factories/index.ts';

/**
 * Revoking an issued report: verification shows it revoked, the lines it covered are no longer
 * reported (a new report of them is drafted; an open replacement keeps them), and the order follows
 * its least advanced line — a settled order (report_issued, closed) goes back to work with its issue
 * stamps cleared, so the on-time judgement, the objection window and the efficiency facts wait for
 * the next issue covering every line. Reissuing charges nothing and credits a waived surcharge at most
 * once. Stale or foreign revocations are refused and change nothing; a revocation racing a new draft
 * of the same lines never leaves two live reports on a line. Orders are set up in `in_progress` with
 * SQL as in multi-reports.test.ts, except the money ones, which go through the real flow (charged at
 * acceptance, invoiced, paid).
 */
const clock = testClock(new Date('2026-11-26T02:00:00Z'));
const t = useSeededApp({ clock });

const desk = reportDesk(t, clock, {
  signer: { email: 'revoke-signer@demo.qihub.test', name: '郑签发' },
  orderTitle: '撤销测试委托',
  firstNumber: 960000,
});
const { tok, ids, post, get, orderWithLines, draft, submitted, issued } = desk;
const revoke = (id: string, token = tok.lab, reason = '样品编号录入错误') =>
  post(`/v1/reports/${id}/revoke`, token, { reason });

interface OrderRow {
  status: string;
  report_issued_at: Date | null;
  objection_until: Date | null;
  on_time: boolean | null;
  closed_at: Date | null;
  surcharge_waived: boolean;
  total_fen: number;
}
async function orderRow(orderId: string): Promise<OrderRow> {
  const { rows } = await t.db.pool.query<OrderRow>(
    `SELECT status, report_issued_at, objection_until, on_time, closed_at, surcharge_waived, total_fen::int AS total_fen
       FROM orders WHERE id = $1`,
    [orderId],
  );
  return rows[0]!;
}

async function facts(orderId: string) {
  const { rows } = await t.db.pool.query<{ status: string; report_issued_at: Date | null; on_time: boolean | null }>(
    'SELECT status, report_issued_at, on_time FROM order_efficiency_facts WHERE order_id = $1',
    [orderId],
  );
  return rows[0]!;
}

/** Lines of the order held by more than one live report (must always be none). */
async function doublyCovered(orderId: string): Promise<string[]> {
  const { rows } = await t.db.pool.query<{ line: string }>(
    `SELECT l AS line FROM reports r, unnest(r.line_ids) AS l
      WHERE r.order_id = $1 AND r.status IN ('draft', 'reviewed', 'issued') AND r.replaces_report_id IS NULL
      GROUP BY l HAVING count(*) > 1`,
    [orderId],
  );
  return rows.map((r) => r.line);
}

/** An order whose lines are all reported by one issued report each (one report when `n` is 1). */
async function settled(n = 1, dueAt?: string) {
  const { orderId, lines } = await orderWithLines(n, dueAt);
  const reports: ReportBody[] = [];
  for (const line of lines) reports.push(await issued(await draft(orderId, [line])));
  expect((await orderRow(orderId)).status).toBe('report_issued');
  return { orderId, lines, reports };
}

/**
 * The service times (家次) of the order's customer in the statistics rollups, checked against the
 * rebuild from the records: a revoked report is none, its new report or replacement is one.
 */
async function serviceTimes(orderId: string): Promise<number> {
  const sql = `SELECT coalesce(sum(m.service_times), 0)::int AS n FROM stat_enterprise_months m
                 JOIN orders o ON o.customer_org_id = m.enterprise_id WHERE o.id = $1`;
  const kept = (await t.db.pool.query<{ n: number }>(sql, [orderId])).rows[0]!.n;
  await t.db.pool.query('SELECT rebuild_statistics_rollups()');
  expect((await t.db.pool.query<{ n: number }>(sql, [orderId])).rows[0]!.n).toBe(kept);
  return kept;
}

async function notices(orderId: string, kind: string) {
  const { rows } = await t.db.pool.query<{ title_zh: string; title_en: string; body_zh: string; body_en: string }>(
    `SELECT title_zh, title_en, body_zh, body_en FROM notifications WHERE kind = $1 AND link = $2 ORDER BY id`,
    [kind, `/orders/${orderId}`],
  );
  return rows;
}

const TABLES = [
  'reports',
  'orders',
  'order_events',
  'order_efficiency_facts',
  'notifications',
  'audit_log',
  'outbox',
  'invoice_lines',
  'invoices',
];

beforeAll(desk.setUp);

describe('a revoked report takes its lines back to work', () => {
  it('the only report of an issued order: the order is in progress again, unstamped; a new report settles it afresh', async () => {
    const { orderId, lines, reports } = await settled(2);
    const [a, b] = reports as [ReportBody, ReportBody];
    const first = await orderRow(orderId);
    expect(first).toMatchObject({ status: 'report_issued', on_time: true });
    expect(first.report_issued_at!.toISOString()).toBe(b.issuedAt);
    const servedBefore = await serviceTimes(orderId);

    clock.advance(3_600_000);
    const res = await revoke(a.id);
    expect(res.statusCode, res.body).toBe(200);
    // The revoked report is no service time any more.
    expect(await serviceTimes(orderId)).toBe(servedBefore - 1);
    expect(res.json<ReportBody>()).toMatchObject({ status: 'revoked', revokeReason: '样品编号录入错误' });
    // The order follows its least advanced line: the revoked line is to come again.
    expect(await orderRow(orderId)).toMatchObject({
      status: 'in_progress',
      report_issued_at: null,
      on_time: null,
      objection_until: null,
    });
    expect(await facts(orderId)).toEqual({ status: 'in_progress', report_issued_at: null, on_time: null });
    const events = await t.db.pool.query<{ from_status: string; to_status: string; data: Record<string, unknown> }>(
      `SELECT from_status, to_status, data FROM order_events WHERE order_id = $1 AND action = 'report.revoked'`,
      [orderId],
    );
    expect(events.rows).toEqual([
      {
        from_status: 'report_issued',
        to_status: 'in_progress',
        data: { reportId: a.id, number: a.number, reason: '样品编号录入错误', lineIds: [lines[0]], reopened: true },
      },
    ]);
    // Verification says revoked; the customer sees it revoked beside the other, still valid, report.
    expect((await get(`/v1/reports/verify/${a.verificationCode}`, null)).json()).toMatchObject({ status: 'revoked' });
    expect((await get(`/v1/reports/verify/${b.verificationCode}`, null)).json()).toMatchObject({ status: 'valid' });
    const seen = await get(`/v1/orders/${orderId}`, tok.sme);
    expect(seen.statusCode, seen.body).toBe(200);
    const detail = seen.json<{ order: { status: string }; reports: { id: string; status: string }[] }>();
    expect(detail.order.status).toBe('in_progress');
    expect(detail.reports.map((r) => [r.id, r.status])).toEqual([
      [a.id, 'revoked'],
      [b.id, 'issued'],
    ]);
    // The customer is told, in Chinese and English, why and what comes next.
    const [note] = await notices(orderId, 'report_revoked');
    expect(note!.title_zh).toBe(`报告已撤销：${a.number}`);
    expect(note!.title_en).toBe(`Report revoked: ${a.number}`);
    expect(note!.body_zh).toContain('撤销原因：样品编号录入错误');
    expect(note!.body_zh).toContain('重新出具报告');
    expect(note!.body_en).toContain('Reason: 样品编号录入错误');
    expect(note!.body_en).toContain('new report');
    // An objection is no longer possible: there is no report to object to until the new one issues.
    expect((await post(`/v1/orders/${orderId}/objections`, tok.sme, { reason: '结论有误' })).statusCode).toBe(409);

    // A new report of the freed line (by default the draft takes the lines no report covers).
    clock.advance(3_600_000);
    const again = await draft(orderId);
    expect(again.lineIds).toEqual([lines[0]]);
    expect(again.replacesReportId).toBeNull();
    const c = await issued(again);
    expect(c.number).not.toBe(a.number);
    const reissued = await orderRow(orderId);
    expect(reissued).toMatchObject({ status: 'report_issued', on_time: true });
    expect(reissued.report_issued_at!.toISOString()).toBe(c.issuedAt);
    expect(reissued.objection_until!.getTime()).toBeGreaterThan(first.objection_until!.getTime());
    expect((await facts(orderId)).report_issued_at!.toISOString()).toBe(c.issuedAt);
    // The revoked report stays revoked (it is not "replaced": nothing replaced it).
    expect((await get(`/v1/reports/${a.id}`, tok.lab)).json<ReportBody>()).toMatchObject({
      status: 'revoked',
      replacedByReportId: null,
    });
    expect(await doublyCovered(orderId)).toEqual([]);
    // One service, two reports of it: one service time, as before the revocation.
    expect(await serviceTimes(orderId)).toBe(servedBefore);
  });

  it('a report issued late and revoked: the next issue judges on time afresh (never better than the first)', async () => {
    const { orderId, reports } = await settled(1, new Date(clock.now.getTime() - 60_000).toISOString());
    expect((await orderRow(orderId)).on_time).toBe(false);
    expect((await revoke(reports[0]!.id)).statusCode).toBe(200);
    const again = await issued(await draft(orderId));
    expect(await orderRow(orderId)).toMatchObject({ status: 'report_issued', on_time: false });
    expect((await facts(orderId)).report_issued_at!.toISOString()).toBe(again.issuedAt);
  });

  it('a report of some lines on an order still in work: the order follows its lines, no stamps to clear', async () => {
    const { orderId, lines } = await orderWithLines(2);
    const a = await issued(await draft(orderId, [lines[0]!]));
    const b = await draft(orderId, [lines[1]!]);
    await submitted(b);
    // The only line not yet reported is with the reviewer.
    expect((await orderRow(orderId)).status).toBe('report_review');
    expect((await revoke(a.id)).statusCode).toBe(200);
    // The revoked line waits for a report again: back in progress.
    expect(await orderRow(orderId)).toMatchObject({ status: 'in_progress', report_issued_at: null });
    const c = await draft(orderId);
    expect(c.lineIds).toEqual([lines[0]]);
    await submitted(c);
    expect((await orderRow(orderId)).status).toBe('report_review');
  });

  it('a closed order reopens too; the customer closes it again once the new report is out', async () => {
    const { orderId, reports } = await settled(1);
    const closed = await post(`/v1/orders/${orderId}/close`, tok.sme);
    expect(closed.statusCode, closed.body).toBe(200);
    expect((await orderRow(orderId)).status).toBe('closed');
    expect((await revoke(reports[0]!.id)).statusCode).toBe(200);
    expect(await orderRow(orderId)).toMatchObject({ status: 'in_progress', closed_at: null, report_issued_at: null });
    await issued(await draft(orderId));
    expect((await orderRow(orderId)).status).toBe('report_issued');
    expect((await post(`/v1/orders/${orderId}/close`, tok.sme)).statusCode).toBe(200);
  });

  it('the customer objected to the report: revoking it upholds the objection, and the order closes after the new one', async () => {
    const { orderId, reports } = await settled(1);
    const [a] = reports as [ReportBody];
    const raised = await post(`/v1/orders/${orderId}/objections`, tok.sme, { reason: '盐雾试验时间与委托不符' });
    expect(raised.statusCode, raised.body).toBe(201);
    expect((await revoke(a.id, tok.lab, '试验时间记录错误')).statusCode).toBe(200);

    const objections = await t.db.pool.query<{ id: string; status: string; resolution: string; resolved_by: string }>(
      'SELECT id, status, resolution, resolved_by FROM order_objections WHERE order_id = $1',
      [orderId],
    );
    const labUser = await userIdOf(t.db, USERS.lab);
    expect(objections.rows).toHaveLength(1);
    expect(objections.rows[0]).toMatchObject({ status: 'upheld', resolved_by: labUser });
    expect(objections.rows[0]!.resolution).toContain(`${a.number} 已撤销`);
    expect(objections.rows[0]!.resolution).toContain('试验时间记录错误');
    const event = await t.db.pool.query<{ data: { objectionId?: string } }>(
      `SELECT data FROM order_events WHERE order_id = $1 AND action = 'report.revoked'`,
      [orderId],
    );
    expect(event.rows[0]!.data.objectionId).toBe(objections.rows[0]!.id);
    const [note] = await notices(orderId, 'report_revoked');
    expect(note!.body_zh).toContain('您对该报告提出的异议已成立');
    expect(note!.body_en).toContain('Your objection to this report is upheld');
    // The lab's efficiency figures count it as an upheld objection.
    const upheld = await t.db.pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM order_objections WHERE order_id = $1 AND status = 'upheld'`,
      [orderId],
    );
    expect(upheld.rows[0]!.n).toBe(1);

    // Nothing is left open: the new report issues, the customer may object to it afresh, or close.
    await issued(await draft(orderId));
    expect((await orderRow(orderId)).status).toBe('report_issued');
    expect((await post(`/v1/orders/${orderId}/close`, tok.sme)).statusCode).toBe(200);
  });

  it('an objection to another report of the order is left to the lab to answer', async () => {
    const { orderId, reports } = await settled(2);
    expect((await post(`/v1/orders/${orderId}/objections`, tok.sme, { reason: '附着力等级有误' })).statusCode).toBe(
      201,
    );
    const before = await t.db.pool.query<{ report_id: string }>(
      'SELECT report_id FROM order_objections WHERE order_id = $1',
      [orderId],
    );
    // The lab revokes the report the objection is not about.
    const other = reports.find((r) => r.id !== before.rows[0]!.report_id)!;
    expect(other).toBeDefined();
    expect((await revoke(other.id)).statusCode).toBe(200);
    const after = await t.db.pool.query<{ status: string }>('SELECT status FROM order_objections WHERE order_id = $1', [
      orderId,
    ]);
    expect(after.rows).toEqual([{ status: 'open' }]);
    const [note] = await notices(orderId, 'report_revoked');
    expect(note!.body_zh).not.toContain('异议');
  });

  it('a replacement being drafted keeps the lines of the report revoked meanwhile, and issues as their report', async () => {
    const { orderId, lines, reports } = await settled(1);
    const rep = await post(`/v1/reports/${reports[0]!.id}/replace`, tok.lab, { reason: '结论笔误' });
    expect(rep.statusCode, rep.body).toBe(201);
    const replacement = rep.json<ReportBody>();
    await submitted(replacement);
    const servedBefore = await serviceTimes(orderId);
    expect((await revoke(reports[0]!.id)).statusCode).toBe(200);
    expect(await serviceTimes(orderId)).toBe(servedBefore - 1);
    // The replacement is with the reviewer and holds the only line: the order is in review.
    expect((await orderRow(orderId)).status).toBe('report_review');
    expectProblem(await post(`/v1/orders/${orderId}/reports`, tok.lab, { lineIds: lines }), 409, 'illegal_transition');
    expect(await doublyCovered(orderId)).toEqual([]);
    const ok = await post(`/v1/reports/${replacement.id}/review`, tok.lab, { decision: 'approve' });
    expect(ok.statusCode, ok.body).toBe(200);
    const issue = await post(`/v1/reports/${replacement.id}/issue`, tok.signer);
    expect(issue.statusCode, issue.body).toBe(200);
    expect((await orderRow(orderId)).status).toBe('report_issued');
    // The replacement of a revoked report carries the service: one service time again.
    expect(await serviceTimes(orderId)).toBe(servedBefore);
    // The old report stays revoked; verification names its successor.
    const v = await get(`/v1/reports/verify/${reports[0]!.verificationCode}`, null);
    expect(v.json()).toMatchObject({ status: 'revoked', replacedByNumber: issue.json<ReportBody>().number });
  });
});

describe('stale and foreign revocations change nothing', () => {
  it('revoking twice, revoking a replaced report or a draft, replacing a revoked report: refused', async () => {
    const { orderId, reports } = await settled(2);
    const [a, b] = reports as [ReportBody, ReportBody];
    // b is replaced by a newer report.
    const rep = await post(`/v1/reports/${b.id}/replace`, tok.lab, { reason: '更正' });
    const replacement = rep.json<ReportBody>();
    await issued(replacement);
    expect((await revoke(a.id)).statusCode).toBe(200);
    const d = await draft(orderId);

    const before = await databaseDigest(t.db, TABLES);
    expectProblem(await revoke(a.id, tok.lab, '再次撤销'), 409, 'report_revoked');
    expectProblem(await revoke(b.id), 409, 'report_replaced');
    expectProblem(await revoke(d.id), 409, 'illegal_transition');
    expectProblem(await post(`/v1/reports/${a.id}/replace`, tok.lab, { reason: '替代' }), 409, 'report_revoked');
    expectProblem(await revoke('00000000-0000-4000-8000-000000000000'), 404, 'not_found');
    expect(await databaseDigest(t.db, TABLES)).toEqual(before);
  });

  it('only a manager of the lab revokes: the customer and staff are refused, another lab and customer see nothing', async () => {
    const { orderId, reports } = await settled(1);
    const before = await databaseDigest(t.db, TABLES);
    expectProblem(await revoke(reports[0]!.id, tok.sme), 403, 'forbidden');
    expectProblem(await revoke(reports[0]!.id, tok.signer), 403, 'forbidden');
    expectProblem(await revoke(reports[0]!.id, tok.lab2), 404, 'not_found');
    expectProblem(await revoke(reports[0]!.id, tok.sme2), 404, 'not_found');
    expect((await post(`/v1/reports/${reports[0]!.id}/revoke`, null, { reason: '撤销' })).statusCode).toBe(401);
    expect(await databaseDigest(t.db, TABLES)).toEqual(before);
    expect((await orderRow(orderId)).status).toBe('report_issued');
  });
});

describe('racing a revocation', () => {
  it('revoke and a new draft of the same lines at once: never two live reports on a line', async () => {
    for (let round = 0; round < 4; round++) {
      // A settled order (the draft needs the revocation first), and one in work (the line is taken until revoked).
      const settledOrder = await settled(1);
      const working = await orderWithLines(2);
      const partial = await issued(await draft(working.orderId, [working.lines[0]!]));
      const answers = await Promise.all([
        revoke(settledOrder.reports[0]!.id),
        post(`/v1/orders/${settledOrder.orderId}/reports`, tok.lab, { lineIds: settledOrder.lines }),
        post(`/v1/orders/${working.orderId}/reports`, tok.lab, { lineIds: [working.lines[0]] }),
        revoke(partial.id),
      ]);
      const [r1, d1, d2, r2] = answers;
      expect(r1!.statusCode, r1!.body).toBe(200);
      expect(r2!.statusCode, r2!.body).toBe(200);
      for (const d of [d1!, d2!]) {
        if (d.statusCode !== 201) {
          expect(d.statusCode, d.body).toBe(409);
          expect(['illegal_transition', 'line_already_reported']).toContain(d.json<{ code: string }>().code);
        }
      }
      for (const o of [settledOrder.orderId, working.orderId]) {
        expect(await doublyCovered(o)).toEqual([]);
        expect((await orderRow(o)).status).toBe('in_progress');
      }
      // Whichever came first, the lines are free or in the one new draft.
      for (const [o, lineIds, d] of [
        [settledOrder.orderId, settledOrder.lines, d1!],
        [working.orderId, [working.lines[0]!], d2!],
      ] as const) {
        const retry = await post(`/v1/orders/${o}/reports`, tok.lab, { lineIds });
        expect(retry.statusCode === 201).toBe(d.statusCode !== 201);
      }
    }
  });

  it('two revocations of one report at once: one wins, the customer is told once', async () => {
    const { orderId, reports } = await settled(1);
    const answers = await Promise.all([revoke(reports[0]!.id), revoke(reports[0]!.id, tok.lab, '重复提交')]);
    expect(answers.map((r) => r.statusCode).sort()).toEqual([200, 409]);
    expect(answers.find((r) => r.statusCode === 409)!.json<{ code: string }>().code).toBe('report_revoked');
    const { rows } = await t.db.pool.query(
      `SELECT 1 FROM order_events WHERE order_id = $1 AND action = 'report.revoked'`,
      [orderId],
    );
    expect(rows).toHaveLength(1);
    const told = await t.db.pool.query<{ user_id: string; n: number }>(
      `SELECT user_id, count(*)::int AS n FROM notifications WHERE kind = 'report_revoked' AND link = $1 GROUP BY user_id`,
      [`/orders/${orderId}`],
    );
    expect(told.rows.length).toBeGreaterThan(0);
    expect(told.rows.every((r) => r.n === 1)).toBe(true);
  });
});

describe('money when a report is revoked and reissued', () => {
  interface Line {
    charge: string;
    amount_fen: number;
    invoice_id: string | null;
  }
  const linesOf = async (orderId: string) =>
    (
      await t.db.pool.query<Line>(
        `SELECT charge, amount_fen::int AS amount_fen, invoice_id FROM invoice_lines
          WHERE source_kind = 'order' AND source_id = $1 ORDER BY occurred_at, created_at`,
        [orderId],
      )
    ).rows;

  /** An expedited order through the real flow: charged at acceptance, its invoice paid in full, work started. */
  async function paidExpeditedOrder() {
    const service = await serviceId(t.db, ids.labId, '中性盐雾试验');
    const d = await anOrder(t, { customer: tok.sme, lab: tok.lab, labId: ids.labId })
      .ofService(service, 24)
      .started({ expedite: 'h72' });
    expect(d.order.status).toBe('in_progress');
    expect(d.order.surcharge.amount).toBeGreaterThan(0);
    const [line] = await linesOf(d.order.id);
    expect(line).toMatchObject({ charge: 'order', amount_fen: d.order.total.amount });
    const paid = await post(`/v1/invoices/${line!.invoice_id}/payments`, tok.lab, {
      amount: d.order.total.amount,
      receivedOn: '2026-11-26',
      channel: 'bank_transfer',
      note: '网银',
    });
    expect(paid.statusCode, paid.body).toBe(201);
    return d;
  }

  it('a late, paid order: revoking and reissuing charge nothing more and credit the surcharge once', async () => {
    const d = await paidExpeditedOrder();
    const surcharge = d.order.surcharge.amount;
    // Issued after the promised time: the surcharge is waived by a credit note (the invoice was paid).
    clock.now = new Date(new Date(d.order.dueAt!).getTime() + 3_600_000);
    const first = await issued(await draft(d.order.id));
    expect(await orderRow(d.order.id)).toMatchObject({ on_time: false, surcharge_waived: true });
    const afterIssue = await linesOf(d.order.id);
    expect(afterIssue.map((l) => [l.charge, l.amount_fen])).toEqual([
      ['order', d.order.total.amount],
      ['surcharge_waiver', -surcharge],
    ]);
    const money = await moneyDigest(t.db);

    clock.advance(3_600_000);
    expect((await revoke(first.id)).statusCode).toBe(200);
    // Revoking takes nothing back: no line, no journal, the waiver stays.
    expect(await moneyDigest(t.db)).toBe(money);
    expect(await orderRow(d.order.id)).toMatchObject({
      status: 'in_progress',
      surcharge_waived: true,
      total_fen: d.order.subtotal.amount,
    });

    clock.advance(3_600_000);
    await issued(await draft(d.order.id));
    expect(await orderRow(d.order.id)).toMatchObject({
      status: 'report_issued',
      on_time: false,
      surcharge_waived: true,
      total_fen: d.order.subtotal.amount,
    });
    expect(await linesOf(d.order.id)).toEqual(afterIssue);
    expect(await moneyDigest(t.db)).toBe(money);
    await expectMoneyConsistent(t.db);
  });

  it('on time, revoked, reissued late: the customer gets the surcharge back once, as for any late report', async () => {
    const d = await paidExpeditedOrder();
    const surcharge = d.order.surcharge.amount;
    const first = await issued(await draft(d.order.id));
    expect(await orderRow(d.order.id)).toMatchObject({ on_time: true, surcharge_waived: false });
    const money = await moneyDigest(t.db);
    expect((await revoke(first.id)).statusCode).toBe(200);
    expect(await moneyDigest(t.db)).toBe(money);

    // The valid report comes after the promised time.
    clock.now = new Date(new Date(d.order.dueAt!).getTime() + 3_600_000);
    const again = await draft(d.order.id);
    await issued(again);
    expect(await orderRow(d.order.id)).toMatchObject({ on_time: false, surcharge_waived: true });
    const lines = await linesOf(d.order.id);
    expect(lines.map((l) => [l.charge, l.amount_fen])).toEqual([
      ['order', d.order.total.amount],
      ['surcharge_waiver', -surcharge],
    ]);
    // Revoked and reissued once more: still one waiver, one charge.
    expect((await revoke(again.id)).statusCode).toBe(200);
    await issued(await draft(d.order.id));
    expect(await linesOf(d.order.id)).toEqual(lines);
    await expectMoneyConsistent(t.db);
  });
});
