import { createHash, randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import jsQRModule from 'jsqr';
import { PDFParse } from 'pdf-parse';
import { PNG } from 'pngjs';
import { createJobHandlers, createRegistry } from '@qihub/api/jobs';
import { verificationQrPng } from '@qihub/api/modules/reports/pdf';
import { bearer, expectProblem, login, testClock, useSeededApp } from '../support/app.ts';
import { databaseDigest, type TestDatabase } from '../support/db.ts';
import { orgOf, USERS } from '../support/scenario.ts';

import { anOrder, api, ok, serviceId, userIdOf } from '../factories/index.ts';

// jsqr is CommonJS whose types declare an ES default export: at run time the module is the function.
const jsQR = (typeof jsQRModule === 'function' ? jsQRModule : jsQRModule.default) as typeof jsQRModule.default;

/**
 * Test reports end to end on orders set up in `in_progress` with SQL (the order flow's own
 * endpoints are tested elsewhere): draft → submit → review → issue, the refusals on the way,
 * report numbers, scope marks, the late-expedite waiver, replace/revoke and what verification then
 * shows, signatories, the render job and sweep, and who may download the PDF.
 */
const clock = testClock(new Date('2026-11-26T02:00:00Z'));
const t = useSeededApp({ clock });

const tok = {} as Record<'sme' | 'sme2' | 'lab' | 'operator' | 'lab2' | 'officer' | 'admin' | 'signer', string>;
const uid = {} as Record<'sme' | 'lab' | 'operator' | 'signer', string>;
let labId: string;
let customerId: string;
let shmatId: string;
const shmat = {} as { manager: string; signer: string; managerId: string; testerId: string };

interface ResultItem {
  lineId: string | null;
  parameterZh: string;
  standardCode: string;
  result: string;
  inCmaScope: boolean;
  inCnasScope: boolean;
}
interface ReportBody {
  id: string;
  orderId: string;
  number: string | null;
  status: string;
  kind: string;
  language: string;
  verificationCode: string;
  verificationUrl: string;
  sampleSummary: Record<string, unknown>;
  results: ResultItem[];
  cmaMark: boolean;
  cnasMark: boolean;
  tester: { id: string; name: string } | null;
  reviewer: { id: string; name: string } | null;
  signatory: { id: string; name: string } | null;
  issuedAt: string | null;
  pdfSha256: string | null;
  pdfReady: boolean;
  replacesReportId: string | null;
  replacedByReportId: string | null;
}

const send = (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, token: string | null, payload?: object) =>
  t.app.inject({ method, url, ...(token ? { headers: bearer(token) } : {}), ...(payload ? { payload } : {}) });
const post = (url: string, token: string | null, payload?: object) => send('POST', url, token, payload);
const get = (url: string, token: string | null) => send('GET', url, token);

/** A new lab member who signs in with the demo password. */
async function addMember(db: TestDatabase, email: string, name: string, orgId: string, role: string) {
  const { rows } = await db.pool.query<{ id: string }>(
    `INSERT INTO users (email, password_hash, display_name)
     SELECT $1, password_hash, $2 FROM users WHERE email = $3 RETURNING id`,
    [email, name, USERS.lab],
  );
  await db.pool.query('INSERT INTO memberships (user_id, org_id, role) VALUES ($1, $2, $3)', [
    rows[0]!.id,
    orgId,
    role,
  ]);
  return rows[0]!.id;
}

interface LineSpec {
  kind?: string;
  parameterZh: string;
  standardCode: string;
  descriptionZh?: string;
  details?: Record<string, unknown>;
}

let orderSeq = 0;
/** An order in `in_progress` at `lab` for the demo enterprise, with lines and one received sample. */
async function orderInProgress(
  options: {
    lab?: string;
    lines?: LineSpec[];
    dueAt?: Date | null;
    subtotalFen?: number;
    surchargeFen?: number;
    sampleName?: string;
  } = {},
): Promise<string> {
  const lab = options.lab ?? labId;
  orderSeq += 1;
  const number = `QI2026${String(900000 + orderSeq)}`;
  const subtotal = options.subtotalFen ?? 100_000;
  const surcharge = options.surchargeFen ?? 0;
  const commission = {
    sampleName: options.sampleName ?? '不锈钢六角头螺栓',
    specification: 'M12×50',
    manufacturer: '苏州恒瑞精密机械有限公司',
    batch: 'B2026-11-07',
    quantity: 6,
    trademark: '恒瑞',
    productionDate: '2026-10-20',
    packagingCondition: '纸箱包装，完好',
    testScope: 'partial',
    purpose: '委托检验',
    testBasis: 'GB/T 10125-2021',
    evaluationBasis: 'GB/T 3098.6-2023',
    subcontractingAllowed: false,
    leftoverSamples: 'return',
    storageConditions: '常温干燥',
    reportCopies: 2,
    reportLanguage: 'zh',
    reportDelivery: 'electronic',
    deliveryAddress: '',
  };
  const { rows } = await t.db.pool.query<{ id: string }>(
    `INSERT INTO orders (number, customer_org_id, lab_id, requested_by, status, title_zh, subtotal_fen, surcharge_fen,
       total_fen, expedite, expedite_pct, commission, due_at, clock_started_at, work_started_at, accepted_at, quoted_at)
     VALUES ($1, $2, $3, $4, 'in_progress', '盐雾试验委托', $5, $6, $7, $8, $9, $10, $11, now(), now(), now(), now())
     RETURNING id`,
    [
      number,
      customerId,
      lab,
      uid.sme,
      subtotal,
      surcharge,
      subtotal + surcharge,
      surcharge > 0 ? 'h72' : 'none',
      surcharge > 0 ? 30 : 0,
      JSON.stringify(commission),
      options.dueAt === undefined ? new Date('2026-12-20T10:00:00Z') : options.dueAt,
    ],
  );
  const orderId = rows[0]!.id;
  const lines = options.lines ?? [
    { parameterZh: '中性盐雾试验', standardCode: 'GB/T 10125-2021', descriptionZh: '中性盐雾试验 48 h' },
  ];
  let position = 0;
  for (const l of lines) {
    position += 1;
    await t.db.pool.query(
      `INSERT INTO order_lines (order_id, position, kind, description_zh, parameter_zh, standard_code, quantity,
         unit_price_fen, amount_fen, details)
       VALUES ($1, $2, $3, $4, $5, $6, 1, 50000, 50000, $7)`,
      [
        orderId,
        position,
        l.kind ?? 'commissioned_test',
        l.descriptionZh ?? l.parameterZh,
        l.parameterZh,
        l.standardCode,
        JSON.stringify(l.details ?? {}),
      ],
    );
  }
  await t.db.pool.query(
    `INSERT INTO order_samples (order_id, code, name_zh, quantity, unit, status, condition_on_arrival, received_at)
     VALUES ($1, $2, $3, 6, '件', 'received', '完好', '2026-11-20T02:00:00Z')`,
    [orderId, `${number}-S1`, commission.sampleName],
  );
  return orderId;
}

async function orderRow(orderId: string) {
  const { rows } = await t.db.pool.query<{
    status: string;
    on_time: boolean | null;
    surcharge_waived: boolean;
    surcharge_fen: number;
    subtotal_fen: number;
    total_fen: number;
    report_issued_at: Date | null;
    objection_until: Date | null;
  }>('SELECT * FROM orders WHERE id = $1', [orderId]);
  return rows[0]!;
}

/** Draft (tester: the operator), fill every result, submit, review (lab@) — ready for a signatory. */
async function reviewedReport(orderId: string) {
  const tokens = { lab: tok.lab };
  const testerId = uid.operator;
  const draft = await post(`/v1/orders/${orderId}/reports`, tokens.lab, {});
  expect(draft.statusCode, draft.body).toBe(201);
  const report = draft.json<ReportBody>();
  const patched = await send('PATCH', `/v1/reports/${report.id}`, tokens.lab, {
    testerId,
    conclusionZh: '所检项目符合 GB/T 3098.6-2023 的要求。',
    results: report.results.map((r) => ({
      lineId: r.lineId,
      parameterZh: r.parameterZh,
      standardCode: r.standardCode,
      requirement: '≥48 h 无红锈',
      result: '48 h 无红锈',
      unit: 'h',
      verdict: 'pass',
    })),
  });
  expect(patched.statusCode, patched.body).toBe(200);
  const submitted = await post(`/v1/reports/${report.id}/submit`, tokens.lab);
  expect(submitted.statusCode, submitted.body).toBe(200);
  const reviewed = await post(`/v1/reports/${report.id}/review`, tokens.lab, { decision: 'approve' });
  expect(reviewed.statusCode, reviewed.body).toBe(200);
  return reviewed.json<ReportBody>();
}

async function issued(reportId: string, token = tok.signer) {
  const res = await post(`/v1/reports/${reportId}/issue`, token);
  expect(res.statusCode, res.body).toBe(200);
  return res.json<ReportBody>();
}

beforeAll(async () => {
  labId = await orgOf(t.db, USERS.lab);
  customerId = await orgOf(t.db, USERS.sme);
  const { rows } = await t.db.pool.query<{ id: string }>(
    "SELECT o.id FROM organisations o JOIN lab_qualifications q ON q.lab_id = o.id WHERE q.number = '190912340876'",
  );
  shmatId = rows[0]!.id;
  uid.sme = await userIdOf(t.db, USERS.sme);
  uid.lab = await userIdOf(t.db, USERS.lab);
  uid.operator = await userIdOf(t.db, USERS.operator);
  uid.signer = await addMember(t.db, 'signer@demo.qihub.test', '周签发', labId, 'staff');
  shmat.managerId = await addMember(t.db, 'shmat-manager@demo.qihub.test', '沪材经理', shmatId, 'manager');
  await addMember(t.db, 'shmat-signer@demo.qihub.test', '沪材签字人', shmatId, 'staff');
  shmat.testerId = await addMember(t.db, 'shmat-tester@demo.qihub.test', '沪材检验员', shmatId, 'operator');
  // The tests name the signatories themselves (the demo seed may name some).
  await t.db.pool.query('DELETE FROM lab_signatories WHERE lab_id = ANY($1)', [[labId, shmatId]]);
  await t.db.pool.query('DELETE FROM lab_order_settings WHERE lab_id = $1', [shmatId]);
  await t.db.pool.query(
    `INSERT INTO lab_order_settings (lab_id, report_prefix, objection_days) VALUES ($1, 'SZTI', 15)
     ON CONFLICT (lab_id) DO UPDATE SET report_prefix = 'SZTI', objection_days = 15`,
    [labId],
  );
  // The officer looks after the demo enterprise (so they stand on its orders as "officer").
  await t.db.pool.query(
    `INSERT INTO enterprise_officers (enterprise_id, platform_org_id, officer_user_id)
     SELECT $1, m.org_id, m.user_id FROM memberships m JOIN users u ON u.id = m.user_id WHERE u.email = $2
     ON CONFLICT DO NOTHING`,
    [customerId, USERS.officer],
  );
  for (const k of ['sme', 'sme2', 'lab', 'operator', 'lab2', 'officer', 'admin'] as const) {
    tok[k] = await login(t.app, USERS[k]);
  }
  tok.signer = await login(t.app, 'signer@demo.qihub.test');
  shmat.manager = await login(t.app, 'shmat-manager@demo.qihub.test');
  shmat.signer = await login(t.app, 'shmat-signer@demo.qihub.test');
});

describe('signatories', () => {
  it('a lab manager names members as signatories; others may not; non-members are refused', async () => {
    const url = `/v1/labs/${labId}/signatories`;
    expectProblem(await post(url, tok.operator, { email: 'signer@demo.qihub.test' }), 403, 'forbidden');
    expectProblem(await post(url, tok.lab2, { email: 'signer@demo.qihub.test' }), 403, 'forbidden');
    expectProblem(await post(url, tok.lab, { email: USERS.sme }), 422, 'not_a_member');
    const added = await post(url, tok.lab, { email: 'signer@demo.qihub.test', scopeZh: '金属材料、涂层' });
    expect(added.statusCode, added.body).toBe(201);
    expect(added.json()).toMatchObject({ user: { id: uid.signer }, scopeZh: '金属材料、涂层', active: true });
    const list = await get(url, tok.operator);
    expect(list.statusCode).toBe(200);
    expect(list.json<{ items: { user: { id: string } }[] }>().items.map((s) => s.user.id)).toEqual([uid.signer]);
    expectProblem(await get(url, tok.sme), 403, 'forbidden');

    // The shmat lab's signatory.
    const other = await post(`/v1/labs/${shmatId}/signatories`, shmat.manager, {
      email: 'shmat-signer@demo.qihub.test',
    });
    expect(other.statusCode, other.body).toBe(201);
  });

  it('a withdrawn signatory can no longer issue, and may be named again', async () => {
    const orderId = await orderInProgress();
    const report = await reviewedReport(orderId);
    const del = await send('DELETE', `/v1/labs/${labId}/signatories/${uid.signer}`, tok.lab);
    expect(del.statusCode, del.body).toBe(204);
    expectProblem(await send('DELETE', `/v1/labs/${labId}/signatories/${uid.signer}`, tok.lab), 404, 'not_found');
    expectProblem(await post(`/v1/reports/${report.id}/issue`, tok.signer), 403, 'not_a_signatory');
    const again = await post(`/v1/labs/${labId}/signatories`, tok.lab, { email: 'signer@demo.qihub.test' });
    expect(again.statusCode).toBe(201);
    await issued(report.id);
  });
});

describe('the report path', () => {
  let orderId: string;
  let report: ReportBody;

  it('drafts from the order: kind, sample details from the commission form, results from the lines with scope marks', async () => {
    orderId = await orderInProgress({
      lines: [
        { parameterZh: '中性盐雾试验', standardCode: 'GB/T 10125-2021' },
        { parameterZh: '涂层附着力（划格法）', standardCode: 'GB/T 9286-2021' },
      ],
    });
    // Only the lab's managers and staff draft; the customer and strangers cannot.
    expectProblem(await post(`/v1/orders/${orderId}/reports`, tok.operator, {}), 403, 'forbidden');
    expectProblem(await post(`/v1/orders/${orderId}/reports`, tok.sme, {}), 403, 'forbidden');
    expectProblem(await post(`/v1/orders/${orderId}/reports`, tok.lab2, {}), 404, 'not_found');
    const res = await post(`/v1/orders/${orderId}/reports`, tok.lab, {});
    expect(res.statusCode, res.body).toBe(201);
    report = res.json<ReportBody>();
    expect(report).toMatchObject({ status: 'draft', kind: 'test', language: 'zh', number: null, cmaMark: true });
    expect(report.verificationCode).toMatch(/^[A-Za-z0-9_-]{16,}$/);
    expect(report.sampleSummary).toMatchObject({
      sampleName: '不锈钢六角头螺栓',
      specification: 'M12×50',
      manufacturer: '苏州恒瑞精密机械有限公司',
      batch: 'B2026-11-07',
      receiptDate: '2026-11-20',
      testBasis: 'GB/T 10125-2021',
    });
    expect(report.results).toMatchObject([
      { parameterZh: '中性盐雾试验', standardCode: 'GB/T 10125-2021', inCmaScope: true, inCnasScope: true },
      { parameterZh: '涂层附着力（划格法）', standardCode: 'GB/T 9286-2021', inCmaScope: false, inCnasScope: false },
    ]);
    // One open report per order.
    expectProblem(await post(`/v1/orders/${orderId}/reports`, tok.lab, {}), 409, 'report_exists');
    // The customer does not see the lab's draft.
    expectProblem(await get(`/v1/reports/${report.id}`, tok.sme), 404, 'not_found');
    const list = await get(`/v1/orders/${orderId}/reports`, tok.sme);
    expect(list.json<{ items: unknown[] }>().items).toEqual([]);
  });

  it('refuses a submit without tester or results, and a tester from outside the lab', async () => {
    expectProblem(await post(`/v1/reports/${report.id}/submit`, tok.lab), 422, 'tester_required');
    expectProblem(
      await send('PATCH', `/v1/reports/${report.id}`, tok.lab, { testerId: uid.sme }),
      422,
      'tester_not_member',
    );
    await send('PATCH', `/v1/reports/${report.id}`, tok.lab, { testerId: uid.lab });
    expectProblem(await post(`/v1/reports/${report.id}/submit`, tok.lab), 422, 'results_incomplete');
    // Not reviewable before it is submitted.
    expectProblem(
      await post(`/v1/reports/${report.id}/review`, tok.lab, { decision: 'approve' }),
      409,
      'illegal_transition',
    );
  });

  it('the tester may not review; a return sends it back to work; the order follows', async () => {
    const patched = await send('PATCH', `/v1/reports/${report.id}`, tok.lab, {
      conclusionZh: '所检项目符合要求。',
      results: report.results.map((r) => ({
        lineId: r.lineId,
        parameterZh: r.parameterZh,
        standardCode: r.standardCode,
        requirement: '无红锈',
        result: '无红锈',
        verdict: 'pass',
      })),
    });
    expect(patched.statusCode, patched.body).toBe(200);
    // Scope marks are the server's, whatever the client sends.
    expect(patched.json<ReportBody>().results.map((r) => r.inCmaScope)).toEqual([true, false]);
    const submitted = await post(`/v1/reports/${report.id}/submit`, tok.lab);
    expect(submitted.statusCode, submitted.body).toBe(200);
    expect((await orderRow(orderId)).status).toBe('report_review');
    expectProblem(await post(`/v1/reports/${report.id}/submit`, tok.lab), 409, 'illegal_transition');
    // With the reviewer: no edits.
    expectProblem(
      await send('PATCH', `/v1/reports/${report.id}`, tok.lab, { conclusionZh: 'x' }),
      409,
      'report_under_review',
    );
    // lab@ is the tester here.
    expectProblem(
      await post(`/v1/reports/${report.id}/review`, tok.lab, { decision: 'approve' }),
      422,
      'reviewer_is_tester',
    );
    // Operators do not review.
    expectProblem(
      await post(`/v1/reports/${report.id}/review`, tok.operator, { decision: 'approve' }),
      403,
      'forbidden',
    );
    // The signer (staff) returns it, with a reason.
    expectProblem(
      await post(`/v1/reports/${report.id}/review`, tok.signer, { decision: 'return' }),
      422,
      'comment_required',
    );
    const returned = await post(`/v1/reports/${report.id}/review`, tok.signer, {
      decision: 'return',
      comment: '第 2 项结果缺少评级',
    });
    expect(returned.statusCode, returned.body).toBe(200);
    expect(returned.json<ReportBody>()).toMatchObject({ status: 'draft', reviewer: null });
    expect((await orderRow(orderId)).status).toBe('in_progress');
    const { rows } = await t.db.pool.query<{ action: string; from_status: string; to_status: string }>(
      `SELECT action, from_status, to_status FROM order_events WHERE order_id = $1 ORDER BY id`,
      [orderId],
    );
    expect(rows.map((r) => r.action)).toEqual(['report.drafted', 'report.submitted', 'report.returned']);
    expect(rows[2]).toMatchObject({ from_status: 'report_review', to_status: 'in_progress' });
  });

  it('a non-signatory may not issue, nor the reviewer; the signatory issues with a number, marks and the order settled', async () => {
    await send('PATCH', `/v1/reports/${report.id}`, tok.lab, { testerId: uid.operator });
    expect((await post(`/v1/reports/${report.id}/submit`, tok.lab)).statusCode).toBe(200);
    // Not issuable before review.
    expectProblem(await post(`/v1/reports/${report.id}/issue`, tok.signer), 409, 'illegal_transition');
    const approved = await post(`/v1/reports/${report.id}/review`, tok.signer, { decision: 'approve' });
    expect(approved.statusCode, approved.body).toBe(200);
    expect(approved.json<ReportBody>()).toMatchObject({ status: 'reviewed', reviewer: { id: uid.signer } });
    // lab@ is no signatory (yet); the customer cannot issue at all.
    expectProblem(await post(`/v1/reports/${report.id}/issue`, tok.lab), 403, 'not_a_signatory');
    expectProblem(await post(`/v1/reports/${report.id}/issue`, tok.sme), 404, 'not_found');
    // The signer reviewed it, so may not sign it.
    expectProblem(await post(`/v1/reports/${report.id}/issue`, tok.signer), 422, 'signatory_is_reviewer');
    // lab@ becomes a signatory and signs.
    expect((await post(`/v1/labs/${labId}/signatories`, tok.lab, { email: USERS.lab })).statusCode).toBe(201);
    const res = await post(`/v1/reports/${report.id}/issue`, tok.lab);
    expect(res.statusCode, res.body).toBe(200);
    const out = res.json<ReportBody>();
    expect(out.number).toMatch(/^SZTI-2026-\d{6}$/);
    expect(out).toMatchObject({
      status: 'issued',
      signatory: { id: uid.lab },
      reviewer: { id: uid.signer },
      tester: { id: uid.operator },
      cmaMark: true,
      cnasMark: true,
      issuedAt: clock.now.toISOString(),
    });
    // The item outside scope stays unmarked.
    expect(out.results.map((r) => [r.inCmaScope, r.inCnasScope])).toEqual([
      [true, true],
      [false, false],
    ]);
    const order = await orderRow(orderId);
    expect(order).toMatchObject({ status: 'report_issued', on_time: true, surcharge_waived: false });
    expect(order.report_issued_at?.toISOString()).toBe(clock.now.toISOString());
    expect(order.objection_until?.toISOString()).toBe(new Date(clock.now.getTime() + 15 * 86_400_000).toISOString());
    expectProblem(await post(`/v1/reports/${report.id}/issue`, tok.lab), 409, 'illegal_transition');
    // The render job is queued after commit, once; the customer is told.
    const { rows } = await t.db.pool.query(`SELECT 1 FROM outbox WHERE dedupe_key = $1`, [
      `reports.render-pdf:${report.id}`,
    ]);
    expect(rows).toHaveLength(1);
    const notes = await t.db.pool.query(
      `SELECT title_zh FROM notifications WHERE user_id = $1 AND kind = 'report_issued'`,
      [uid.sme],
    );
    expect(notes.rows.some((n: { title_zh: string }) => n.title_zh.includes(out.number!))).toBe(true);
    // Now the customer sees it.
    expect((await get(`/v1/reports/${report.id}`, tok.sme)).statusCode).toBe(200);
    // lab@ stops being a signatory (the other tests use the signer).
    await send('DELETE', `/v1/labs/${labId}/signatories/${uid.lab}`, tok.lab);
  });

  it('only the two parties see a report', async () => {
    for (const token of [tok.sme2, tok.lab2, tok.officer, tok.admin]) {
      expectProblem(await get(`/v1/reports/${report.id}`, token), 404, 'not_found');
    }
    expectProblem(await get(`/v1/reports/${report.id}`, null), 401, 'unauthenticated');
  });

  it("the lab's report queue lists its reports by status, for its members only", async () => {
    const pending = await reviewedReport(await orderInProgress());
    const res = await get(`/v1/labs/${labId}/reports?status=reviewed`, tok.operator);
    expect(res.statusCode, res.body).toBe(200);
    const items = res.json<{ items: ReportBody[] }>().items;
    expect(items.map((r) => r.id)).toContain(pending.id);
    expect(items.every((r) => r.status === 'reviewed')).toBe(true);
    expect(
      (await get(`/v1/labs/${labId}/reports`, tok.lab)).json<{ items: ReportBody[] }>().items.map((r) => r.id),
    ).toContain(report.id);
    expectProblem(await get(`/v1/labs/${labId}/reports`, tok.sme), 403, 'forbidden');
    expectProblem(await get(`/v1/labs/${labId}/reports`, tok.lab2), 403, 'forbidden');
    await issued(pending.id);
  });
});

/** Everything issuing a report may write: a refused issue leaves all of it as it was. */
const REPORT_TABLES = [
  'reports',
  'orders',
  'order_events',
  'report_sequences',
  'lab_order_settings',
  'calibration_records',
  'notifications',
  'outbox',
  'audit_log',
];

describe('tester, reviewer and signatory are three different people', () => {
  it('the tester may not sign their own report, even when someone else reviewed it; nothing changes', async () => {
    const named = await post(`/v1/labs/${labId}/signatories`, tok.lab, { email: 'signer@demo.qihub.test' });
    expect(named.statusCode, named.body).toBe(201);
    const orderId = await orderInProgress();
    const draft = await post(`/v1/orders/${orderId}/reports`, tok.lab, {});
    expect(draft.statusCode, draft.body).toBe(201);
    const report = draft.json<ReportBody>();
    // The signatory did the testing; lab@ (neither tester nor signatory here) reviews.
    const patched = await send('PATCH', `/v1/reports/${report.id}`, tok.lab, {
      testerId: uid.signer,
      results: report.results.map((r) => ({
        lineId: r.lineId,
        parameterZh: r.parameterZh,
        standardCode: r.standardCode,
        result: '48 h 无红锈',
        verdict: 'pass',
      })),
    });
    expect(patched.statusCode, patched.body).toBe(200);
    expect((await post(`/v1/reports/${report.id}/submit`, tok.lab)).statusCode).toBe(200);
    const reviewed = await post(`/v1/reports/${report.id}/review`, tok.lab, { decision: 'approve' });
    expect(reviewed.statusCode, reviewed.body).toBe(200);
    expect(reviewed.json<ReportBody>()).toMatchObject({ tester: { id: uid.signer }, reviewer: { id: uid.lab } });

    const before = await databaseDigest(t.db, REPORT_TABLES);
    expectProblem(await post(`/v1/reports/${report.id}/issue`, tok.signer), 422, 'signatory_is_tester');
    expect(await databaseDigest(t.db, REPORT_TABLES)).toEqual(before);
    expect((await get(`/v1/reports/${report.id}`, tok.lab)).json<ReportBody>()).toMatchObject({
      status: 'reviewed',
      number: null,
      signatory: null,
    });
  });
});

describe("the lab's members, to name a tester", () => {
  it('are listed by name and role for its members only, without contact details', async () => {
    const res = await get(`/v1/labs/${labId}/members`, tok.operator);
    expect(res.statusCode, res.body).toBe(200);
    const items = res.json<{ items: { id: string; name: string; role: string }[] }>().items;
    expect(items).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ id: uid.operator, role: 'operator' }),
        expect.objectContaining({ id: uid.lab, role: 'manager' }),
        expect.objectContaining({ id: uid.signer, role: 'staff' }),
      ]),
    );
    // Contact details are for the lab's managers only.
    expect(items.every((m) => (m as { email?: string | null }).email === null)).toBe(true);
    expect(items.map((m) => m.id)).not.toContain(uid.sme);
    expectProblem(await get(`/v1/labs/${labId}/members`, tok.sme), 404, 'not_found');
    expectProblem(await get(`/v1/labs/${labId}/members`, tok.lab2), 404, 'not_found');
    expectProblem(await get(`/v1/labs/${labId}/members`, null), 401, 'unauthenticated');
    expectProblem(await get('/v1/labs/not-a-lab/members', tok.lab), 400, 'validation_failed');
  });
});

describe('report numbers', () => {
  it('two orders of one lab issued at the same moment get distinct consecutive numbers; numbers are never reused', async () => {
    const a = await reviewedReport(await orderInProgress());
    const b = await reviewedReport(await orderInProgress());
    const [ra, rb] = await Promise.all([
      post(`/v1/reports/${a.id}/issue`, tok.signer),
      post(`/v1/reports/${b.id}/issue`, tok.signer),
    ]);
    expect(ra.statusCode, ra.body).toBe(200);
    expect(rb.statusCode, rb.body).toBe(200);
    const numbers = [ra.json<ReportBody>().number!, rb.json<ReportBody>().number!].sort();
    const seqs = numbers.map((n) => Number(n.slice(-6)));
    expect(seqs[1]! - seqs[0]!).toBe(1);

    // Revoking frees nothing: the next report takes the next number.
    expect((await post(`/v1/reports/${a.id}/revoke`, tok.lab, { reason: '样品信息录入错误' })).statusCode).toBe(200);
    const c = await issued((await reviewedReport(await orderInProgress())).id);
    expect(Number(c.number!.slice(-6))).toBe(seqs[1]! + 1);
    const { rows } = await t.db.pool.query<{ n: string; d: string }>(
      `SELECT count(*) AS n, count(DISTINCT number) AS d FROM reports WHERE number IS NOT NULL`,
    );
    expect(rows[0]!.n).toBe(rows[0]!.d);
    const seq = await t.db.pool.query<{ last_value: number }>(
      'SELECT last_value FROM report_sequences WHERE lab_id = $1 AND year = 2026',
      [labId],
    );
    expect(seq.rows[0]!.last_value).toBe(seqs[1]! + 1);

    // A number that already exists (imported history under the same prefix) is skipped, not reused.
    const taken = `SZTI-2026-${String(seqs[1]! + 2).padStart(6, '0')}`;
    await t.db.pool.query(
      `INSERT INTO reports (order_id, lab_id, number, status, verification_code, issued_at)
       SELECT order_id, lab_id, $1, 'issued', 'imported-history-code-1', now() FROM reports WHERE id = $2`,
      [taken, c.id],
    );
    const d = await issued((await reviewedReport(await orderInProgress())).id);
    expect(d.number).toBe(`SZTI-2026-${String(seqs[1]! + 3).padStart(6, '0')}`);
  });
});

describe('scope marks', () => {
  it('a report with every item outside scope carries no mark', async () => {
    const r = await issued(
      (
        await reviewedReport(
          await orderInProgress({ lines: [{ parameterZh: '涂层附着力（划格法）', standardCode: 'GB/T 9286-2021' }] }),
        )
      ).id,
    );
    expect(r).toMatchObject({ cmaMark: false, cnasMark: false });
  });

  it('a lab whose only CMA expired prints no CMA mark, even for items its old scope listed', async () => {
    const orderId = await orderInProgress({
      lab: shmatId,
      lines: [{ parameterZh: '中性盐雾试验', standardCode: 'GB/T 10125-2012' }],
    });
    const draft = await post(`/v1/orders/${orderId}/reports`, shmat.manager, {});
    expect(draft.statusCode, draft.body).toBe(201);
    expect(draft.json<ReportBody>().results[0]).toMatchObject({ inCmaScope: false, inCnasScope: false });
    const id = draft.json<ReportBody>().id;
    await send('PATCH', `/v1/reports/${id}`, shmat.manager, {
      testerId: shmat.testerId,
      results: [{ parameterZh: '中性盐雾试验', standardCode: 'GB/T 10125-2012', result: '96 h 无起泡' }],
    });
    expect((await post(`/v1/reports/${id}/submit`, shmat.manager)).statusCode).toBe(200);
    // Three people: the tester tested, the manager reviews, the signatory signs.
    expect((await post(`/v1/reports/${id}/review`, shmat.manager, { decision: 'approve' })).statusCode).toBe(200);
    const res = await post(`/v1/reports/${id}/issue`, shmat.signer);
    expect(res.statusCode, res.body).toBe(200);
    const out = res.json<ReportBody>();
    expect(out).toMatchObject({ cmaMark: false, cnasMark: false });
    expect(out.number).toMatch(/^QI[0-9A-F]{4}-2026-000001$/);
    // The default it issued under is now held for it, like a chosen prefix.
    const { rows } = await t.db.pool.query<{ p: string }>(
      'SELECT report_prefix AS p FROM lab_order_settings WHERE lab_id = $1',
      [shmatId],
    );
    expect(`${rows[0]?.p}-2026-000001`).toBe(out.number);
  });
});

describe('turnaround and the expedite surcharge', () => {
  it('a late report waives the expedite surcharge; an on-time one keeps it', async () => {
    const late = await orderInProgress({ dueAt: new Date(clock.now.getTime() - 3600_000), surchargeFen: 30_000 });
    const onTime = await orderInProgress({ dueAt: new Date(clock.now.getTime() + 3600_000), surchargeFen: 30_000 });
    await issued((await reviewedReport(late)).id);
    await issued((await reviewedReport(onTime)).id);
    expect(await orderRow(late)).toMatchObject({
      on_time: false,
      surcharge_waived: true,
      surcharge_fen: 30_000,
      subtotal_fen: 100_000,
      total_fen: 100_000,
    });
    expect(await orderRow(onTime)).toMatchObject({ on_time: true, surcharge_waived: false, total_fen: 130_000 });
  });
});

describe('replace and revoke', () => {
  it('a replacement issues under a new number; the old one verifies as replaced, the new as valid, then revoked', async () => {
    const orderId = await orderInProgress();
    const first = await issued((await reviewedReport(orderId)).id);
    // Only the lab manager replaces; a reason is needed.
    expectProblem(await post(`/v1/reports/${first.id}/replace`, tok.signer, { reason: '结论笔误' }), 403, 'forbidden');
    expectProblem(await post(`/v1/reports/${first.id}/replace`, tok.lab, {}), 400, 'validation_failed');
    const rep = await post(`/v1/reports/${first.id}/replace`, tok.lab, { reason: '结论笔误' });
    expect(rep.statusCode, rep.body).toBe(201);
    const second = rep.json<ReportBody>();
    expect(second).toMatchObject({ status: 'draft', replacesReportId: first.id, number: null });
    expect(second.verificationCode).not.toBe(first.verificationCode);
    expectProblem(
      await post(`/v1/reports/${first.id}/replace`, tok.lab, { reason: '再次' }),
      409,
      'replacement_exists',
    );
    // Until the replacement issues, the first stays valid.
    expect((await get(`/v1/reports/verify/${first.verificationCode}`, null)).json()).toMatchObject({ status: 'valid' });
    expectProblem(await get(`/v1/reports/verify/${second.verificationCode}`, null), 404, 'not_found');

    await send('PATCH', `/v1/reports/${second.id}`, tok.lab, { conclusionZh: '所检项目符合要求（更正）。' });
    expect((await post(`/v1/reports/${second.id}/submit`, tok.lab)).statusCode).toBe(200);
    expect((await orderRow(orderId)).status).toBe('report_issued');
    expect((await post(`/v1/reports/${second.id}/review`, tok.lab, { decision: 'approve' })).statusCode).toBe(200);
    const reissued = await issued(second.id);
    expect(reissued.number).not.toBe(first.number);

    const old = await get(`/v1/reports/${first.id}`, tok.sme);
    expect(old.json<ReportBody>()).toMatchObject({ status: 'replaced', replacedByReportId: second.id });
    const v1 = await get(`/v1/reports/verify/${first.verificationCode}`, null);
    expect(v1.statusCode, v1.body).toBe(200);
    expect(v1.json()).toMatchObject({ number: first.number, status: 'replaced', replacedByNumber: reissued.number });
    const v2 = await get(`/v1/reports/verify/${second.verificationCode}`, null);
    expect(v2.json()).toMatchObject({ number: reissued.number, status: 'valid', replacedByNumber: null });
    // Nothing confidential in verification.
    const body = v2.json<Record<string, unknown>>();
    expect(Object.keys(body).sort()).toEqual(
      [
        'issuedAt',
        'issuedOn',
        'kind',
        'labNameEn',
        'labNameZh',
        'number',
        'pdfSha256',
        'replacedByNumber',
        'revokedAt',
        'status',
      ].sort(),
    );
    expect(v2.body).not.toContain('不锈钢');
    expect(v2.body).not.toContain('恒瑞');
    expect(body.labNameZh).toBeTruthy();
    expect(body.issuedOn).toBe('2026-11-26');

    // The replaced report cannot be replaced or revoked again.
    expectProblem(await post(`/v1/reports/${first.id}/revoke`, tok.lab, { reason: '已替代' }), 409, 'report_replaced');
    expectProblem(await post(`/v1/reports/${second.id}/revoke`, tok.signer, { reason: '撤销' }), 403, 'forbidden');
    const revoked = await post(`/v1/reports/${second.id}/revoke`, tok.lab, { reason: '委托方撤回委托' });
    expect(revoked.statusCode, revoked.body).toBe(200);
    expect((await get(`/v1/reports/verify/${second.verificationCode}`, null)).json()).toMatchObject({
      status: 'revoked',
    });
    expectProblem(
      await post(`/v1/reports/${second.id}/revoke`, tok.lab, { reason: '再次撤销' }),
      409,
      'report_revoked',
    );
    expectProblem(await get(`/v1/reports/verify/no-such-code-0000000`, null), 404, 'not_found');
  });
});

describe('calibration certificates', () => {
  it('a calibration order gets a certificate, and issuing it records each instrument with its next due date', async () => {
    const orderId = await orderInProgress({
      lines: [
        {
          kind: 'calibration',
          parameterZh: '弹性元件式一般压力表检定',
          standardCode: 'JJG 52-2013',
          details: {
            instrumentName: '一般压力表',
            model: 'Y-100',
            serialNumber: 'P2024-0815',
            measuringRange: '0–1.6 MPa',
            accuracyClass: '1.6 级',
            intervalMonths: 6,
          },
        },
        {
          kind: 'calibration',
          parameterZh: '数字温度计校准',
          standardCode: 'JJF 1171-2007',
          details: { instrumentName: '数字温度计', serialNumber: 'T-77' },
        },
      ],
    });
    const r = await reviewedReport(orderId);
    expect(r.kind).toBe('certificate');
    const out = await issued(r.id);
    const { rows } = await t.db.pool.query<{
      instrument_name: string;
      serial_number: string;
      calibrated_on: string;
      next_due_on: string;
      report_id: string;
      customer_org_id: string;
    }>(
      `SELECT instrument_name, serial_number, calibrated_on::text, next_due_on::text, report_id, customer_org_id
       FROM calibration_records WHERE order_id = $1 ORDER BY serial_number`,
      [orderId],
    );
    expect(rows).toEqual([
      {
        instrument_name: '一般压力表',
        serial_number: 'P2024-0815',
        calibrated_on: '2026-11-26',
        next_due_on: '2027-05-26',
        report_id: out.id,
        customer_org_id: customerId,
      },
      {
        instrument_name: '数字温度计',
        serial_number: 'T-77',
        calibrated_on: '2026-11-26',
        next_due_on: '2027-11-26',
        report_id: out.id,
        customer_org_id: customerId,
      },
    ]);
  });
});

describe('calibration certificates: replacement and instruments without serial numbers', () => {
  const recordsOf = async (orderId: string) =>
    (
      await t.db.pool.query<{
        instrument_name: string;
        serial_number: string;
        calibrated_on: string;
        next_due_on: string;
        recall_reminded_at: Date | null;
        report_id: string;
      }>(
        `SELECT instrument_name, serial_number, calibrated_on::text, next_due_on::text, recall_reminded_at, report_id
         FROM calibration_records WHERE order_id = $1 ORDER BY serial_number DESC, instrument_name`,
        [orderId],
      )
    ).rows;

  it('two instruments without a serial number on one order both stay current', async () => {
    const orderId = await orderInProgress({
      lines: [
        {
          kind: 'calibration',
          parameterZh: '游标卡尺校准',
          standardCode: 'JJG 30-2012',
          details: { instrumentName: '游标卡尺' },
        },
        {
          kind: 'calibration',
          parameterZh: '钢直尺校准',
          standardCode: 'JJG 1-1999',
          details: { instrumentName: '钢直尺' },
        },
      ],
    });
    await issued((await reviewedReport(orderId)).id);
    expect((await recordsOf(orderId)).map((r) => r.instrument_name).sort()).toEqual(['游标卡尺', '钢直尺'].sort());
    const mine = (await get('/v1/me/calibration-records', tok.sme)).json<{
      items: { orderId: string; instrumentName: string; supersededBy: string | null }[];
    }>().items;
    expect(
      mine
        .filter((i) => i.orderId === orderId)
        .map((i) => [i.instrumentName, i.supersededBy])
        .sort(),
    ).toEqual([
      ['游标卡尺', null],
      ['钢直尺', null],
    ]);
  });

  it('a replacement certificate keeps the calibration date, the next due date and the recall stamp', async () => {
    const orderId = await orderInProgress({
      lines: [
        {
          kind: 'calibration',
          parameterZh: '弹性元件式一般压力表检定',
          standardCode: 'JJG 52-2013',
          details: { instrumentName: '一般压力表', serialNumber: 'P-REPL-1', intervalMonths: 6 },
        },
        {
          kind: 'calibration',
          parameterZh: '钢直尺校准',
          standardCode: 'JJG 1-1999',
          details: { instrumentName: '钢直尺' },
        },
      ],
    });
    const first = await issued((await reviewedReport(orderId)).id);
    expect((await recordsOf(orderId)).map((r) => [r.serial_number, r.calibrated_on, r.next_due_on])).toEqual([
      ['P-REPL-1', '2026-11-26', '2027-05-26'],
      ['', '2026-11-26', '2027-11-26'],
    ]);
    // As if the certificate had been issued in October and its recall reminder had gone out.
    const reminded = new Date('2026-11-20T01:00:00Z');
    await t.db.pool.query(
      `UPDATE calibration_records SET calibrated_on = calibrated_on - 40, next_due_on = next_due_on - 40,
         recall_reminded_at = $2 WHERE order_id = $1`,
      [orderId, reminded],
    );
    const before = await recordsOf(orderId);

    // The lab corrects the certificate today.
    const rep = await post(`/v1/reports/${first.id}/replace`, tok.lab, { reason: '证书编号笔误' });
    expect(rep.statusCode, rep.body).toBe(201);
    const second = rep.json<ReportBody>();
    expect((await post(`/v1/reports/${second.id}/submit`, tok.lab)).statusCode).toBe(200);
    expect((await post(`/v1/reports/${second.id}/review`, tok.lab, { decision: 'approve' })).statusCode).toBe(200);
    await issued(second.id);
    const after = await recordsOf(orderId);
    expect(after.map((r) => [r.serial_number, r.calibrated_on, r.next_due_on, r.report_id])).toEqual(
      before.map((r) => [r.serial_number, r.calibrated_on, r.next_due_on, second.id]),
    );
    expect(after[0]!.calibrated_on).not.toBe('2026-11-26');
    expect(after.map((r) => r.recall_reminded_at?.toISOString())).toEqual([
      reminded.toISOString(),
      reminded.toISOString(),
    ]);
  });
});

describe('the PDF', () => {
  let report: ReportBody;
  let orderId: string;

  beforeAll(async () => {
    orderId = await orderInProgress({ sampleName: '镀锌钢板试样' });
    report = await issued((await reviewedReport(orderId)).id);
  });

  it('the customer and the lab download it; others get 404, and the stored hash is the hash of the bytes served', async () => {
    const res = await get(`/v1/reports/${report.id}/pdf`, tok.sme);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    const bytes = res.rawPayload;
    expect(bytes.subarray(0, 5).toString()).toBe('%PDF-');
    const hash = createHash('sha256').update(bytes).digest('hex');
    const stored = await t.db.pool.query<{ pdf_sha256: string; pdf_path: string }>(
      'SELECT pdf_sha256, pdf_path FROM reports WHERE id = $1',
      [report.id],
    );
    expect(stored.rows[0]!.pdf_sha256).toBe(hash);
    expect(stored.rows[0]!.pdf_path).toBe(`reports/${labId}/${report.number}.pdf`);
    expect(res.headers['x-content-sha256']).toBe(hash);
    expect((await get(`/v1/reports/verify/${report.verificationCode}`, null)).json()).toMatchObject({
      pdfSha256: hash,
    });

    for (const token of [tok.lab, tok.operator]) {
      const again = await get(`/v1/reports/${report.id}/pdf`, token);
      expect(again.statusCode).toBe(200);
      expect(createHash('sha256').update(again.rawPayload).digest('hex')).toBe(hash);
    }
    for (const token of [tok.sme2, tok.lab2, tok.officer, tok.admin]) {
      expectProblem(await get(`/v1/reports/${report.id}/pdf`, token), 404, 'not_found');
    }
    expectProblem(await get(`/v1/reports/${report.id}/pdf`, null), 401, 'unauthenticated');
    expectProblem(await get(`/v1/reports/${randomUUID()}/pdf`, tok.sme), 404, 'not_found');
  });

  it('its text holds the Chinese sample name and the report number; its QR code decodes to the verification URL', async () => {
    const res = await get(`/v1/reports/${report.id}/pdf`, tok.sme);
    const parser = new PDFParse({ data: new Uint8Array(res.rawPayload) });
    try {
      const text = (await parser.getText()).text;
      expect(text).toContain('镀锌钢板试样');
      expect(text).toContain(report.number!);
      expect(text).toContain('检验检测报告');
      expect(text).toContain('中性盐雾试验');
      expect(text).toContain('CMA');
      const url = `http://localhost:3000/verify/${report.verificationCode}`;
      expect(report.verificationUrl).toBe(url);
      // The QR image embedded in the PDF, decoded.
      const images = await parser.getImage({ imageBuffer: true, imageDataUrl: false });
      const decoded = images.pages
        .flatMap((p) => p.images)
        .map((img) => {
          const png = PNG.sync.read(Buffer.from(img.data));
          return jsQR(new Uint8ClampedArray(png.data), png.width, png.height)?.data ?? null;
        })
        .filter((d): d is string => d !== null);
      expect(decoded).toEqual([url]);
    } finally {
      await parser.destroy();
    }
    // The same function the PDF uses, decoded directly.
    const png = PNG.sync.read(await verificationQrPng(report.verificationUrl));
    expect(jsQR(new Uint8ClampedArray(png.data), png.width, png.height)?.data).toBe(report.verificationUrl);
  });

  it('marks items outside the accredited scope with an asterisk and a footnote', async () => {
    const r = await issued(
      (
        await reviewedReport(
          await orderInProgress({
            lines: [
              { parameterZh: '中性盐雾试验', standardCode: 'GB/T 10125-2021' },
              { parameterZh: '涂层附着力（划格法）', standardCode: 'GB/T 9286-2021' },
            ],
          }),
        )
      ).id,
    );
    const res = await get(`/v1/reports/${r.id}/pdf`, tok.lab);
    const parser = new PDFParse({ data: new Uint8Array(res.rawPayload) });
    try {
      const text = (await parser.getText()).text;
      expect(text).toContain('*涂层附着力');
      expect(text).toContain('不在资质认定/认可范围内');
      expect(text).not.toContain('*中性盐雾试验');
    } finally {
      await parser.destroy();
    }
  });

  it('a draft has no PDF yet (the lab is told so; the customer does not see it)', async () => {
    const draftOrder = await orderInProgress();
    const draft = (await post(`/v1/orders/${draftOrder}/reports`, tok.lab, {})).json<ReportBody>();
    expectProblem(await get(`/v1/reports/${draft.id}/pdf`, tok.lab), 409, 'pdf_not_ready');
    expectProblem(await get(`/v1/reports/${draft.id}/pdf`, tok.sme), 404, 'not_found');
  });
});

describe('render job and sweep', () => {
  it('the job renders once to <files>/reports/<lab>/<number>.pdf; the sweep queues only reports still without a PDF', async () => {
    const r = await issued((await reviewedReport(await orderInProgress())).id);
    const filesDir = mkdtempSync(path.join(os.tmpdir(), 'qihub-render-'));
    const dispatched: string[] = [];
    const registry = createRegistry(
      createJobHandlers({
        db: t.db.db,
        dispatch: async (_topic, _payload, jobId) => {
          dispatched.push(jobId);
        },
        clock: () => clock.now,
        filesDir,
        webUrl: 'https://qihub.example.cn',
      }),
    );
    // Issued just now: the sweep leaves it to its own job.
    await registry.run('reports.render-sweep', {}, { jobId: 'sweep-1' });
    const sweepKey = (id: string) =>
      t.db.pool.query(`SELECT dedupe_key FROM outbox WHERE dedupe_key LIKE $1`, [`reports.render-pdf:${id}:sweep:%`]);
    expect((await sweepKey(r.id)).rows).toHaveLength(0);
    // Two minutes later, still without a PDF: one retry per window, however often the sweep runs.
    clock.advance(120_000);
    await registry.run('reports.render-sweep', {}, { jobId: 'sweep-2' });
    await registry.run('reports.render-sweep', {}, { jobId: 'sweep-3' });
    expect((await sweepKey(r.id)).rows).toHaveLength(1);

    await registry.run('reports.render-pdf', { reportId: r.id }, { jobId: 'render-1' });
    const file = path.join(filesDir, 'reports', labId, `${r.number}.pdf`);
    expect(existsSync(file)).toBe(true);
    const bytes = readFileSync(file);
    const { rows } = await t.db.pool.query<{ pdf_sha256: string }>('SELECT pdf_sha256 FROM reports WHERE id = $1', [
      r.id,
    ]);
    expect(rows[0]!.pdf_sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
    const mtime = statSync(file).mtimeMs;
    await registry.run('reports.render-pdf', { reportId: r.id }, { jobId: 'render-2' });
    expect(statSync(file).mtimeMs).toBe(mtime);
    // No temporary files left behind.
    expect(
      readFileSync(file).equals(bytes) &&
        (await import('node:fs')).readdirSync(path.dirname(file)).every((f) => f.endsWith('.pdf')),
    ).toBe(true);
    // Rendered: the sweep queues nothing more for it.
    clock.advance(10 * 60_000);
    await registry.run('reports.render-sweep', {}, { jobId: 'sweep-4' });
    expect((await sweepKey(r.id)).rows).toHaveLength(1);
  });
});

describe("the lab's internal review stays inside the lab", () => {
  it('keeps drafted/submitted/reviewed/returned events and reviewer comments off the customer timeline', async () => {
    clock.now = new Date('2026-11-26T02:00:00Z');
    const d = await anOrder(t, { customer: tok.sme, lab: tok.lab, labId })
      .ofService(await serviceId(t.db, labId, '中性盐雾试验'), 24)
      .requested();
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
    const lab = ok(await api(t.app)(tok.lab, 'GET', `/v1/orders/${d.order.id}`));
    expect(lab.timeline.filter((e) => e.action.startsWith('report.')).map((e) => e.action)).toEqual(
      events.map(([a]) => a),
    );
    expect(lab.timeline.find((e) => e.action === 'report.returned')!.data.comment).toBe('内部：曲线不对');
    const sme = ok(await api(t.app)(tok.sme, 'GET', `/v1/orders/${d.order.id}`));
    const reportEvents = sme.timeline.filter((e) => e.action.startsWith('report.'));
    expect(reportEvents.map((e) => e.action)).toEqual(['report.issued', 'report.revoked']);
    expect(reportEvents[0]!.data).toEqual({ reportId: 'r1', number: 'R-2' });
    expect(reportEvents[1]!.data.reason).toBe('客户信息有误');
    expect(JSON.stringify(sme.timeline)).not.toContain('内部');
  });
});
