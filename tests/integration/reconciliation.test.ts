import { beforeAll, describe, expect, it } from 'vitest';
import { recomputeDiscrepancies } from '@qihub/api/modules/reconciliation/index';
import { expectProblem, login, testClock, useSeededApp } from '../support/app.ts';
import {
  aLab,
  anInstrument,
  anOrder,
  api,
  atTime,
  bookingDesk,
  ok,
  serviceId,
  signIn,
  type Lab,
} from '../factories/index.ts';

/**
 * The administrators' reconciliation (issue 11): per-lab figures of their region, and the
 * discrepancies a daily job finds — each kind found, resolved with a note (audited), never duplicated.
 */
const clock = testClock(new Date('2026-11-26T02:00:00Z'));
const t = useSeededApp({ clock });
/** The day the job runs in these tests: 20 December, when the orders' invoices (due in 15 days) are overdue. */
const RUN_AT = '2026-12-20T02:00:00Z';

interface Discrepancy {
  id: string;
  kind: string;
  labId: string;
  subject: { kind: string; id: string };
  link: string;
  detectedAt: string;
  resolvedAt: string | null;
  resolvedBy: { id: string; name: string } | null;
  note: string | null;
  amount: { amount: number } | null;
  date: string | null;
  reference: string | null;
}
interface LabFigures {
  lab: { id: string };
  bookedMinutes: number;
  usedMinutes: number;
  billed: { amount: number };
  invoiced: { amount: number };
  paid: { total: { amount: number }; byChannel: { channel: string; amount: { amount: number } }[] };
  vouchers: { claimed: unknown; approved: unknown; paid: unknown };
  outstanding: Record<string, { amount: number }>;
  openDiscrepancies: number;
}
interface Reconciliation {
  labs: LabFigures[];
  discrepancies: Discrepancy[];
}

let tk: Record<'sme' | 'lab' | 'lab2' | 'admin' | 'operator', string>;
let otherAdmin: string;
let lab: Lab;
let call: ReturnType<typeof api>;
const subjects = {} as Record<'unbilled' | 'overrun' | 'invoice' | 'bankLine', string>;
const deps = () => ({ db: t.db.db, clock: () => clock.now });
const recompute = () => atTime(clock, RUN_AT, () => recomputeDiscrepancies(deps()));
const overview = (token: string, from = '2026-11-01', to = '2026-12-20') =>
  atTime(clock, RUN_AT, () => call(token, 'GET', `/v1/admin/reconciliation?from=${from}&to=${to}`));

/** A platform admin of Zhejiang (another region than the seeded Jiangsu admin), with the demo password. */
async function anotherRegionsAdmin(): Promise<string> {
  const pool = t.db.pool;
  const org = await pool.query<{ id: string }>(
    `INSERT INTO organisations (kind, name_zh, name_en, region_code, platform_level)
     VALUES ('platform', '浙江省质量基础设施平台（测试）', 'Zhejiang QI platform (test)', '330000', 'province') RETURNING id`,
  );
  const user = await pool.query<{ id: string }>(
    `INSERT INTO users (email, password_hash, display_name)
     SELECT 'zj-admin@test.qihub.test', password_hash, '浙江管理员' FROM users WHERE email = 'admin@demo.qihub.test'
     RETURNING id`,
  );
  await pool.query(`INSERT INTO memberships (user_id, org_id, role) VALUES ($1, $2, 'admin')`, [
    user.rows[0]!.id,
    org.rows[0]!.id,
  ]);
  return login(t.app, 'zj-admin@test.qihub.test');
}

async function aBankLine(labId: string, uploadedAt: string): Promise<string> {
  const st = await t.db.pool.query<{ id: string }>(
    `INSERT INTO bank_statements (lab_id, charset, lines, matched, suggested, unmatched, duplicates, created_at)
     VALUES ($1, 'UTF-8', 1, 0, 0, 1, 0, $2) RETURNING id`,
    [labId, uploadedAt],
  );
  const line = await t.db.pool.query<{ id: string }>(
    `INSERT INTO bank_statement_lines (lab_id, statement_id, line_key, txn_date, counterparty, amount_fen, remark, status, created_at)
     VALUES ($1, $2, md5(random()::text), '2026-12-01', '某某公司', 50000, '货款', 'unmatched', $3) RETURNING id`,
    [labId, st.rows[0]!.id, uploadedAt],
  );
  return line.rows[0]!.id;
}

beforeAll(async () => {
  call = api(t.app);
  tk = await signIn(t.app, ['sme', 'lab', 'lab2', 'admin', 'operator']);
  lab = await aLab(t)
    .withDefaultOrderTerms()
    .withInstrument(
      anInstrument({ nameZh: '对账测试用仪器', unitCount: 1 })
        .open('08:00-18:00')
        .policy({ requiresApproval: false, leadMinutes: 0, qualificationRequired: false }),
    )
    .create();
  const instrumentId = lab.instruments[0]!.id;
  const desk = bookingDesk(t, () => tk.lab);

  // A booking completed by SQL (not through check-out, so no invoice line): billed, never invoiced.
  const unbilled = await desk.booked(tk.sme, instrumentId, '2026-11-27T02:00:00Z', '2026-11-27T03:00:00Z');
  await desk.acted(tk.sme, unbilled.id, 'confirm');
  await t.db.pool.query(
    `UPDATE bookings SET status = 'completed', actual_start = starts_at, actual_end = ends_at,
            billable_minutes = 60, billed_amount = 40000 WHERE id = $1`,
    [unbilled.id],
  );
  subjects.unbilled = unbilled.id;

  // A booking checked in and never checked out.
  const overrun = await desk.booked(tk.sme, instrumentId, '2026-11-30T02:00:00Z', '2026-11-30T03:00:00Z');
  await desk.acted(tk.sme, overrun.id, 'confirm');
  await atTime(clock, '2026-11-30T01:58:00Z', () => desk.acted(tk.operator, overrun.id, 'check-in'));
  subjects.overrun = overrun.id;

  // An order accepted on 26 November: its invoice is due 15 days later, overdue by 20 December.
  const saltSpray = await serviceId(t.db, lab.id, '中性盐雾试验');
  const order = await anOrder(t, { customer: tk.sme, lab: tk.lab, labId: lab.id }).ofService(saltSpray, 24).accepted();
  const { rows } = await t.db.pool.query<{ invoice_id: string }>(
    `SELECT invoice_id FROM invoice_lines WHERE source_kind = 'order' AND source_id = $1`,
    [order.order.id],
  );
  subjects.invoice = rows[0]!.invoice_id;

  // A bank line left unmatched since 1 December.
  subjects.bankLine = await aBankLine(lab.id, '2026-12-01T02:00:00Z');

  // The tests run on the job's day, with sessions of that day.
  clock.now = new Date(RUN_AT);
  tk = await signIn(t.app, ['sme', 'lab', 'lab2', 'admin', 'operator']);
  otherAdmin = await anotherRegionsAdmin();
});

const mine = (r: Reconciliation) =>
  r.discrepancies
    .filter((d) => Object.values(subjects).includes(d.subject.id))
    .sort((a, b) => a.kind.localeCompare(b.kind));

describe('the discrepancies', () => {
  it('finds each kind, with a link to where it is worked on', async () => {
    await recompute();
    const r = ok<Reconciliation>(await overview(tk.admin));
    const found = mine(r);
    expect(found.map((d) => [d.kind, d.subject.kind, d.subject.id])).toEqual([
      ['bank_line_unmatched', 'bank_line', subjects.bankLine],
      ['booking_not_invoiced', 'booking', subjects.unbilled],
      ['booking_overrun', 'booking', subjects.overrun],
      ['invoice_overdue', 'invoice', subjects.invoice],
    ]);
    for (const d of found) {
      expect(d.labId).toBe(lab.id);
      expect(d.resolvedAt).toBeNull();
      expect(d.detectedAt).toBe('2026-12-20T02:00:00.000Z');
      expect(d.link).toContain(d.subject.id);
    }
    expect(found.find((d) => d.kind === 'booking_overrun')!.link).toBe(`/console/bookings/${subjects.overrun}`);
    // Each with the facts an administrator judges it by: the amount, the date that matters, a reference.
    expect(found.find((d) => d.kind === 'bank_line_unmatched')).toMatchObject({
      amount: { amount: 50000 },
      date: '2026-12-01',
      reference: '某某公司',
    });
    expect(found.find((d) => d.kind === 'booking_not_invoiced')).toMatchObject({
      amount: { amount: 40000 },
      date: '2026-11-27',
      reference: '对账测试用仪器',
    });
    const invoice = await t.db.pool.query<{ number: string; due: string; owed: string }>(
      `SELECT number, to_char(due_date, 'YYYY-MM-DD') AS due,
              total_fen - voucher_share_fen - amount_paid_fen - amount_credited_fen AS owed
         FROM invoices WHERE id = $1`,
      [subjects.invoice],
    );
    expect(found.find((d) => d.kind === 'invoice_overdue')).toMatchObject({
      amount: { amount: Number(invoice.rows[0]!.owed) },
      date: invoice.rows[0]!.due,
      reference: invoice.rows[0]!.number,
    });
  });

  it('does not find a bank line uploaded less than three days ago', async () => {
    const fresh = await aBankLine(lab.id, '2026-12-18T02:00:00Z');
    await recompute();
    const r = ok<Reconciliation>(await overview(tk.admin));
    expect(r.discrepancies.some((d) => d.subject.id === fresh)).toBe(false);
    await t.db.pool.query(`UPDATE bank_statement_lines SET status = 'resolved' WHERE id = $1`, [fresh]);
  });

  it('a second run adds nothing and keeps the detection times', async () => {
    const before = await t.db.pool.query(
      `SELECT id, kind, subject_id, detected_at FROM reconciliation_discrepancies ORDER BY id`,
    );
    const again = await atTime(clock, '2026-12-21T02:00:00Z', () => recomputeDiscrepancies(deps()));
    expect(again).toEqual({ inserted: 0, cleared: 0 });
    const after = await t.db.pool.query(
      `SELECT id, kind, subject_id, detected_at FROM reconciliation_discrepancies ORDER BY id`,
    );
    expect(after.rows).toEqual(before.rows);
  });

  it('is resolved with a note, audited; a resolved problem that is still there stays resolved', async () => {
    const r = ok<Reconciliation>(await overview(tk.admin));
    const overdue = mine(r).find((d) => d.kind === 'invoice_overdue')!;
    const url = `/v1/admin/reconciliation/discrepancies/${overdue.id}/resolve`;
    await expectProblem(await call(tk.admin, 'POST', url, {}), 400, 'validation_failed');
    await expectProblem(await call(tk.admin, 'POST', url, { note: '   ' }), 400, 'discrepancy_note_required');
    await expectProblem(await call(tk.lab, 'POST', url, { note: '已催款' }), 403, 'forbidden');
    await expectProblem(await call(otherAdmin, 'POST', url, { note: '已催款' }), 404, 'not_found');
    const unresolved = await t.db.pool.query(`SELECT resolved_at FROM reconciliation_discrepancies WHERE id = $1`, [
      overdue.id,
    ]);
    expect(unresolved.rows[0].resolved_at).toBeNull();

    const resolved = ok<Discrepancy>(
      await atTime(clock, RUN_AT, () => call(tk.admin, 'POST', url, { note: '客户已承诺月底前付款' })),
    );
    expect(resolved).toMatchObject({
      id: overdue.id,
      note: '客户已承诺月底前付款',
      resolvedAt: '2026-12-20T02:00:00.000Z',
    });
    const adminUser = await t.db.pool.query<{ id: string; display_name: string }>(
      `SELECT id, display_name FROM users WHERE email = 'admin@demo.qihub.test'`,
    );
    expect(resolved.resolvedBy).toEqual({ id: adminUser.rows[0]!.id, name: adminUser.rows[0]!.display_name });
    await expectProblem(await call(tk.admin, 'POST', url, { note: 'again' }), 409, 'illegal_transition');
    const audit = await t.db.pool.query<{ action: string }>(
      `SELECT action FROM audit_log WHERE entity_type = 'reconciliation_discrepancy' AND entity_id = $1`,
      [overdue.id],
    );
    expect(audit.rows.map((a) => a.action)).toEqual(['reconciliation.resolve']);

    await recompute();
    const still = mine(ok<Reconciliation>(await overview(tk.admin))).find((d) => d.id === overdue.id)!;
    expect(still.resolvedAt).toBe('2026-12-20T02:00:00.000Z');
    expect(still.note).toBe('客户已承诺月底前付款');
    expect(still.resolvedBy).toEqual(resolved.resolvedBy);
  });

  it('a problem that went away is cleared; when it comes back it is open again', async () => {
    await t.db.pool.query(`UPDATE bank_statement_lines SET status = 'resolved' WHERE id = $1`, [subjects.bankLine]);
    expect((await recompute()).cleared).toBe(1);
    expect(mine(ok<Reconciliation>(await overview(tk.admin))).some((d) => d.subject.id === subjects.bankLine)).toBe(
      false,
    );
    await t.db.pool.query(`UPDATE bank_statement_lines SET status = 'unmatched' WHERE id = $1`, [subjects.bankLine]);
    expect(await atTime(clock, '2026-12-22T02:00:00Z', () => recomputeDiscrepancies(deps()))).toEqual({
      inserted: 0,
      cleared: 0,
    });
    const back = mine(ok<Reconciliation>(await overview(tk.admin))).find((d) => d.subject.id === subjects.bankLine)!;
    expect(back).toMatchObject({ resolvedAt: null, detectedAt: '2026-12-22T02:00:00.000Z' });
    const { rows } = await t.db.pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM reconciliation_discrepancies WHERE subject_id = $1`,
      [subjects.bankLine],
    );
    expect(rows[0]!.n).toBe(1);
  });
});

describe('the figures', () => {
  it('shows per lab of the region its use, billing, invoices, payments, vouchers and ageing', async () => {
    const r = ok<Reconciliation>(await overview(tk.admin));
    const l = r.labs.find((x) => x.lab.id === lab.id)!;
    expect(l.bookedMinutes).toBeGreaterThanOrEqual(120);
    expect(l.usedMinutes).toBeGreaterThanOrEqual(60);
    expect(l.billed.amount).toBeGreaterThanOrEqual(40_000);
    expect(l.invoiced.amount).toBeGreaterThan(0);
    expect(l.paid.byChannel.map((c) => c.channel)).toEqual(['bank_transfer', 'card', 'voucher', 'credit', 'manual']);
    expect(l.vouchers).toMatchObject({ claimed: { amount: 0 }, approved: { amount: 0 }, paid: { amount: 0 } });
    const o = l.outstanding;
    expect(o.total!.amount).toBe(
      o.notDue!.amount + o.days0to30!.amount + o.days31to60!.amount + o.days61to90!.amount + o.over90!.amount,
    );
    expect(o.days0to30!.amount).toBeGreaterThan(0); // the order's invoice, 5 days past due
    expect(l.openDiscrepancies).toBeGreaterThanOrEqual(3);
  });

  it('is for platform admins of the region only, and refuses a reversed range', async () => {
    await expectProblem(await overview(tk.admin, '2026-12-20', '2026-11-01'), 400, 'invalid_range');
    await expectProblem(await overview(tk.lab), 403, 'forbidden');
    await expectProblem(await overview(tk.sme), 403, 'forbidden');
    await expectProblem(
      await t.app.inject({ method: 'GET', url: '/v1/admin/reconciliation?from=2026-11-01&to=2026-11-30' }),
      401,
      'unauthenticated',
    );
    const zj = ok<Reconciliation>(await overview(otherAdmin));
    expect(zj.labs.some((x) => x.lab.id === lab.id)).toBe(false);
    expect(zj.discrepancies.some((d) => d.labId === lab.id)).toBe(false);
  });
});
