import { beforeAll, describe, expect, it } from 'vitest';
import { bearer, expectProblem, login, testClock, useSeededApp } from '../support/app.ts';
import { anInstrumentOf, orgOf, USERS } from '../support/scenario.ts';
import { api, atTime, ok, anOrder, serviceOfKind, userIdOf, useDefaultOrderTerms } from '../factories/index.ts';
import type { Detail } from '../factories/index.ts';

/**
 * The lab console's Today page (`GET /v1/labs/{id}/today`) on a known scenario at the test clock
 * (Thursday 2026-11-26, 10:00 in Shanghai): each queue is built through the API at the time it would
 * happen, and every count is asserted against the demo lab's seeded day.
 */
const clock = testClock();
const t = useSeededApp({ clock });
const REVIEWER = 'reviewer@demo.qihub.test';

type Section = { key: string; count: number; items: { id: string; orderId: string | null; ref: string | null }[] };
type TodayBody = {
  date: string;
  dueBy: string;
  role: string;
  landing: string;
  signatory: boolean;
  sections: Section[];
};

let labId: string;
const tok = {} as Record<'lab' | 'operator' | 'sme' | 'lab2' | 'sme2' | 'reviewer', string>;
let call: ReturnType<typeof api>;

async function today(token: string, id = labId): Promise<TodayBody> {
  return ok<TodayBody>(await call(token, 'GET', `/v1/labs/${id}/today`));
}
const counts = (b: TodayBody) => Object.fromEntries(b.sections.map((s) => [s.key, s.count]));

async function booking(start: string, end: string): Promise<string> {
  const instrument = await anInstrumentOf(t.db, labId);
  const res = await call(tok.sme, 'POST', '/v1/bookings', { instrumentId: instrument.id, start, end, mode: 'self' });
  expect(res.statusCode, res.body).toBe(201);
  const id = res.json<{ id: string }>().id;
  ok(await call(tok.sme, 'POST', `/v1/bookings/${id}/confirm`));
  return id;
}
const approve = async (id: string) => ok(await call(tok.lab, 'POST', `/v1/bookings/${id}/approve`));

describe('the lab console’s Today', () => {
  let before: Record<string, number>;
  const parties = () => ({ customer: tok.sme, lab: tok.lab, labId });
  const sections = {} as Record<string, string[]>;

  beforeAll(async () => {
    call = api(t.app);
    labId = await orgOf(t.db, USERS.lab);
    for (const who of ['lab', 'operator', 'sme', 'lab2', 'sme2'] as const) tok[who] = await login(t.app, USERS[who]);
    tok.reviewer = await login(t.app, REVIEWER);
    await useDefaultOrderTerms(t.db, labId);
    before = counts(await today(tok.lab));

    const onQuote = (
      await serviceOfKind(t.db, labId, ['commissioned_test', 'outsourced_experiment', 'calibration'], false)
    ).id;
    const priced = (await serviceOfKind(t.db, labId, ['commissioned_test'], true)).id;
    const order = () => anOrder(t, parties()).ofService(priced, 1);
    const testerId = await userIdOf(t.db, USERS.operator);

    // Bookings made a week before: one to check in this afternoon, one checked in this morning.
    await atTime(clock, '2026-11-19T02:00:00Z', async () => {
      const afternoon = await booking('2026-11-26T06:00:00Z', '2026-11-26T07:00:00Z');
      const morning = await booking('2026-11-26T00:30:00Z', '2026-11-26T01:30:00Z');
      const tomorrow = await booking('2026-11-27T06:00:00Z', '2026-11-27T07:00:00Z');
      for (const id of [afternoon, morning, tomorrow]) await approve(id);
      sections.checkIns = [afternoon];
      sections.checkOuts = [morning];
    });
    await atTime(clock, '2026-11-26T00:25:00Z', async () => {
      ok(await call(tok.operator, 'POST', `/v1/bookings/${sections.checkOuts![0]}/check-in`));
    });
    // Two waiting for approval.
    sections.approvals = [
      await booking('2026-11-30T02:00:00Z', '2026-11-30T04:00:00Z'),
      await booking('2026-12-01T02:00:00Z', '2026-12-01T03:00:00Z'),
    ];

    // Orders: one to quote, one waiting for samples.
    sections.toQuote = [(await anOrder(t, parties()).ofService(onQuote, 1).requested()).order.id];
    sections.samplesExpected = [(await order().accepted({ deadlineTierDays: 15 })).order.id];
    // Five working days from receipt: received last Thursday → due tonight; last Wednesday → overdue.
    const receivedOn = async (iso: string) =>
      atTime(clock, iso, async () => (await order().samplesReceived({ deadlineTierDays: 5 })).order.id);
    sections.dueSoon = [await receivedOn('2026-11-19T02:00:00Z')];
    sections.overdue = [await receivedOn('2026-11-18T02:00:00Z')];

    // Reports: one submitted for review, one reviewed and waiting for a signature.
    const submitted = async (): Promise<{ orderId: string; reportId: string }> => {
      const d: Detail = await order().started({ deadlineTierDays: 15 });
      const draft = ok<{ id: string; results: { lineId: string; parameterZh: string; standardCode: string }[] }>(
        await call(tok.lab, 'POST', `/v1/orders/${d.order.id}/reports`, {}),
        201,
      );
      ok(
        await call(tok.lab, 'PATCH', `/v1/reports/${draft.id}`, {
          testerId,
          conclusionZh: '所检项目符合 GB/T 10125-2021 的要求。',
          results: draft.results.map((r) => ({
            lineId: r.lineId,
            parameterZh: r.parameterZh,
            standardCode: r.standardCode,
            requirement: '≥48 h 无红锈',
            result: '48 h 无红锈',
            unit: 'h',
            verdict: 'pass',
          })),
        }),
      );
      ok(await call(tok.lab, 'POST', `/v1/reports/${draft.id}/submit`));
      return { orderId: d.order.id, reportId: draft.id };
    };
    sections.reportsToReview = [(await submitted()).reportId];
    const toSign = await submitted();
    ok(await call(tok.reviewer, 'POST', `/v1/reports/${toSign.reportId}/review`, { decision: 'approve' }));
    sections.reportsToSign = [toSign.reportId];

    // Money: a transfer nobody has matched yet and an invoice past its due date (as the bank
    // import and the invoicing write them).
    const customer = await orgOf(t.db, USERS.sme);
    const { rows } = await t.db.pool.query<{ id: string }>(
      `INSERT INTO bank_statements (lab_id, charset, lines, matched, suggested, unmatched, duplicates)
       VALUES ($1, 'gbk', 1, 0, 0, 1, 0) RETURNING id`,
      [labId],
    );
    const line = await t.db.pool.query<{ id: string }>(
      `INSERT INTO bank_statement_lines (lab_id, statement_id, line_key, txn_date, counterparty, amount_fen, remark, status)
       VALUES ($1, $2, 'today-test-1', '2026-11-25', '苏州恒锐精密机械有限公司', 168000, '检测费', 'unmatched') RETURNING id`,
      [labId, rows[0]!.id],
    );
    sections.bankLines = [line.rows[0]!.id];
    const invoice = await t.db.pool.query<{ id: string }>(
      `INSERT INTO invoices (lab_id, customer_org_id, number, year, seq, total_fen, amount_paid_fen, issued_at, due_date,
         payment_reference, payee, terms)
       VALUES ($1, $2, 'ZD-2026-990001', 2026, 990001, 212000, 12000, '2026-10-20T02:00:00Z', '2026-11-19',
         'QIHUB-TODAY-1', '{"accountName":"江苏苏南产品质量检验研究院","bankName":"中国工商银行苏州分行","accountNumber":"1102020709000156378"}',
         'on_delivery') RETURNING id`,
      [labId, customer],
    );
    sections.overdueInvoices = [invoice.rows[0]!.id];
  });

  it('counts every queue of the day for the manager, lists what to act on first, and opens on Today', async () => {
    const body = await today(tok.lab);
    expect(body).toMatchObject({ date: '2026-11-26', role: 'manager', landing: 'today', signatory: true });
    // The end of Friday 27 November in Shanghai: the next working day.
    expect(body.dueBy).toBe('2026-11-27T15:59:59.999Z');
    expect(body.sections.map((s) => s.key)).toEqual([
      'approvals',
      'checkIns',
      'checkOuts',
      'toQuote',
      'samplesExpected',
      'reportsToReview',
      'reportsToSign',
      'dueSoon',
      'overdue',
      'samplesDue',
      'bankLines',
      'overdueInvoices',
    ]);
    const now = counts(body);
    for (const [key, ids] of Object.entries(sections)) {
      expect(now[key], key).toBe(before[key]! + ids.length);
      const listed = body.sections.find((s) => s.key === key)!.items.map((i) => i.id);
      for (const id of ids) expect(listed, key).toContain(id);
    }
    // The seeded demo day adds one request waiting for its quote and the two leftover samples of its
    // closed orders (objection period over: due back to the customer), and nothing else.
    expect(before).toEqual({
      approvals: 0,
      checkIns: 0,
      checkOuts: 0,
      toQuote: 1,
      samplesExpected: 0,
      reportsToReview: 0,
      reportsToSign: 0,
      dueSoon: 0,
      overdue: 0,
      samplesDue: 2,
      bankLines: 0,
      overdueInvoices: 0,
    });
    const invoice = body.sections.find((s) => s.key === 'overdueInvoices')!.items[0]!;
    expect(invoice).toMatchObject({
      ref: 'ZD-2026-990001',
      amount: { amount: 200000, currency: 'CNY' },
      date: '2026-11-19',
    });
    const report = body.sections.find((s) => s.key === 'reportsToSign')!.items[0]!;
    expect(report.orderId).not.toBeNull();
    expect(report.ref).toMatch(/^QI2026/);
  });

  it('moves with the day: an approved booking leaves the approvals, tomorrow’s check-in arrives with tomorrow', async () => {
    await approve(sections.approvals![0]!);
    try {
      expect(counts(await today(tok.lab)).approvals).toBe(before.approvals! + 1);
      await atTime(clock, '2026-11-27T01:00:00Z', async () => {
        const next = await today(tok.lab);
        expect(next.date).toBe('2026-11-27');
        // Tomorrow's afternoon booking; today's was never checked in (and is no longer today's).
        expect(counts(next).checkIns).toBe(1);
      });
    } finally {
      // Nothing to undo: later tests read counts relative to this state.
    }
  });

  it('gives an operator the day without the books, and a reviewer (staff) their review queue', async () => {
    const op = await today(tok.operator);
    expect(op).toMatchObject({ role: 'operator', landing: 'today', signatory: false });
    expect(op.sections.map((s) => s.key)).not.toContain('bankLines');
    expect(op.sections.map((s) => s.key)).not.toContain('overdueInvoices');
    expect(counts(op).reportsToReview).toBe(1);
    const reviewer = await today(tok.reviewer);
    expect(reviewer).toMatchObject({ role: 'staff', landing: 'reviews' });
    expect(counts(reviewer).bankLines).toBe(1);
  });

  it('is the lab’s own: another lab’s manager, a customer and an unknown id get 404; a malformed id 400', async () => {
    expectProblem(await call(tok.lab2, 'GET', `/v1/labs/${labId}/today`), 404, 'not_found');
    expectProblem(await call(tok.sme, 'GET', `/v1/labs/${labId}/today`), 404, 'not_found');
    expectProblem(await call(tok.lab, 'GET', `/v1/labs/${await orgOf(t.db, USERS.lab2)}/today`), 404, 'not_found');
    expectProblem(await call(tok.lab, 'GET', '/v1/labs/c0ffee00-0b5e-4d1e-9f00-00000000dead/today'), 404, 'not_found');
    expectProblem(await call(tok.lab, 'GET', '/v1/labs/not-a-uuid/today'), 400, 'validation_failed');
    const anonymous = await t.app.inject({ method: 'GET', url: `/v1/labs/${labId}/today` });
    expect(anonymous.statusCode).toBe(401);
    // lab2's own day is its own (and empty in the demo).
    const other = await today(tok.lab2, await orgOf(t.db, USERS.lab2));
    expect(Object.values(counts(other)).every((n) => n === 0)).toBe(true);
    expect(bearer('x')).toBeTruthy();
  });
});
