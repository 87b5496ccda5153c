import type { FastifyInstance } from 'fastify';
import { expect } from 'vitest';
import { userIdOf } from '../factories/index.ts';
import { bearer, login, type TestClock } from './app.ts';
import type { TestDatabase } from './db.ts';
import { orgOf, USERS } from './scenario.ts';

/**
 * The demo lab's report desk for integration tests of reports on orders: orders set up in
 * `in_progress` with SQL (lines of real tests and standards), and a report's steps through the API —
 * draft, results and submit, review, issue by a signatory of the lab's own. Call `setUp()` in the
 * file's `beforeAll`, after `useSeededApp`'s.
 */
export interface ReportBody {
  id: string;
  number: string | null;
  status: string;
  lineIds: string[];
  verificationCode: string;
  results: { lineId: string | null; parameterZh: string; standardCode: string }[];
  replacesReportId: string | null;
  replacedByReportId?: string | null;
  revokedAt?: string | null;
  revokeReason?: string | null;
  issuedAt: string | null;
}

type Who = 'sme' | 'sme2' | 'lab' | 'lab2' | 'operator' | 'signer';

const LINES: [parameter: string, standard: string][] = [
  ['中性盐雾试验', 'GB/T 10125-2021'],
  ['涂层附着力（划格法）', 'GB/T 9286-2021'],
  ['硬度试验', 'GB/T 230.1-2018'],
];

export function reportDesk(
  t: { db: TestDatabase; app: FastifyInstance },
  clock: TestClock,
  options: { signer: { email: string; name: string }; orderTitle: string; firstNumber: number },
) {
  const tok = {} as Record<Who, string>;
  const uid = {} as Record<'sme' | 'operator', string>;
  const ids = { labId: '', customerId: '' };
  let orderSeq = 0;

  const send = (method: 'GET' | 'POST' | 'PATCH', url: string, token: string | null, payload?: object) =>
    t.app.inject({ method, url, ...(token ? { headers: bearer(token) } : {}), ...(payload ? { payload } : {}) });
  const post = (url: string, token: string | null, payload?: object) => send('POST', url, token, payload);
  const get = (url: string, token: string | null) => send('GET', url, token);

  /** Tokens and ids; the signer becomes the lab's only signatory. */
  async function setUp(): Promise<void> {
    ids.labId = await orgOf(t.db, USERS.lab);
    ids.customerId = await orgOf(t.db, USERS.sme);
    uid.sme = await userIdOf(t.db, USERS.sme);
    uid.operator = await userIdOf(t.db, USERS.operator);
    const signer = await t.db.pool.query<{ id: string }>(
      `INSERT INTO users (email, password_hash, display_name)
       SELECT $2, password_hash, $3 FROM users WHERE email = $1 RETURNING id`,
      [USERS.lab, options.signer.email, options.signer.name],
    );
    await t.db.pool.query(`INSERT INTO memberships (user_id, org_id, role) VALUES ($1, $2, 'staff')`, [
      signer.rows[0]!.id,
      ids.labId,
    ]);
    await t.db.pool.query('DELETE FROM lab_signatories WHERE lab_id = $1', [ids.labId]);
    await t.db.pool.query('INSERT INTO lab_signatories (lab_id, user_id) VALUES ($1, $2)', [
      ids.labId,
      signer.rows[0]!.id,
    ]);
    for (const k of ['sme', 'sme2', 'lab', 'lab2', 'operator'] as const) tok[k] = await login(t.app, USERS[k]);
    tok.signer = await login(t.app, options.signer.email);
  }

  /** An order in `in_progress` at the demo lab for the demo enterprise, with `n` lines (at most 3), work begun a day ago. */
  async function orderWithLines(n = 2, dueAt = '2026-12-20T10:00:00Z'): Promise<{ orderId: string; lines: string[] }> {
    orderSeq += 1;
    const number = `QI2026${String(options.firstNumber + orderSeq)}`;
    const { rows } = await t.db.pool.query<{ id: string }>(
      `INSERT INTO orders (number, customer_org_id, lab_id, requested_by, status, title_zh, subtotal_fen, surcharge_fen,
         total_fen, commission, due_at, clock_started_at, work_started_at, accepted_at, quoted_at)
       VALUES ($1, $2, $3, $4, 'in_progress', $5, 100000, 0, 100000, $6, $7, $8, $8, $8, $8)
       RETURNING id`,
      [
        number,
        ids.customerId,
        ids.labId,
        uid.sme,
        options.orderTitle,
        JSON.stringify({ sampleName: '不锈钢螺栓', reportLanguage: 'zh' }),
        dueAt,
        new Date(clock.now.getTime() - 86_400_000),
      ],
    );
    const orderId = rows[0]!.id;
    const lines: string[] = [];
    for (const [i, [parameter, standard]] of LINES.slice(0, n).entries()) {
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

  /** A draft of the given lines (by default, those no report covers yet). */
  async function draft(orderId: string, lineIds?: string[]): Promise<ReportBody> {
    const res = await post(`/v1/orders/${orderId}/reports`, tok.lab, lineIds ? { lineIds } : {});
    expect(res.statusCode, res.body).toBe(201);
    return res.json<ReportBody>();
  }

  /** Tester, results (all pass), submit. */
  async function submitted(report: ReportBody): Promise<void> {
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

  async function approved(report: ReportBody): Promise<void> {
    const res = await post(`/v1/reports/${report.id}/review`, tok.lab, { decision: 'approve' });
    expect(res.statusCode, res.body).toBe(200);
  }

  /** Issued by the signatory (the report must be approved). */
  async function signed(report: ReportBody): Promise<ReportBody> {
    const res = await post(`/v1/reports/${report.id}/issue`, tok.signer);
    expect(res.statusCode, res.body).toBe(200);
    return res.json<ReportBody>();
  }

  /** Submitted, approved and issued. */
  async function issued(report: ReportBody): Promise<ReportBody> {
    await submitted(report);
    await approved(report);
    return signed(report);
  }

  return { tok, uid, ids, send, post, get, setUp, orderWithLines, draft, submitted, approved, signed, issued };
}
