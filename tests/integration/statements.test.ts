import ExcelJS from 'exceljs';
import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { invoices, type Invoice } from '@qihub/db';
import { createJobHandlers, createRegistry } from '@qihub/api/jobs';
import { recordPayment } from '@qihub/api/modules/invoices/index';
import { buildStatement, type StatementData } from '@qihub/api/modules/statements/index';
import { expectProblem, login, testClock, useSeededApp } from '../support/app.ts';
import {
  aLab,
  anInstrument,
  anOrder,
  api,
  atTime,
  bookingDesk,
  ok,
  orgOf,
  serviceId,
  signIn,
  USERS,
  type Lab,
} from '../factories/index.ts';

/**
 * Lab statements (对账单, issue 11): a month's figures from real flows — bookings checked in and out,
 * orders accepted (and invoiced), a manual payment — as JSON, PDF and XLSX, stored with their hashes;
 * rebuilt (twice, or after a build died halfway) to the same bytes.
 */
const clock = testClock(new Date('2026-11-26T02:00:00Z'));
const t = useSeededApp({ clock });
const MONTH = '2026-11';
const AFTER_MONTH = '2026-12-01T01:00:00Z'; // 09:00 on 1 December in Shanghai

let tk: Record<'sme' | 'sme2' | 'lab' | 'lab2' | 'admin' | 'operator', string>;
let lab: Lab;
let instrumentId: string;
let smeOrg: string;
let call: ReturnType<typeof api>;
const deps = () => ({ db: t.db.db, clock: () => clock.now });

async function invoiceRow(id: string): Promise<Invoice> {
  const [row] = await t.db.db.select().from(invoices).where(eq(invoices.id, id));
  return row!;
}

beforeAll(async () => {
  call = api(t.app);
  tk = await signIn(t.app, ['sme', 'sme2', 'lab', 'lab2', 'admin', 'operator']);
  lab = await aLab(t)
    .withDefaultOrderTerms()
    .withInstrument(
      anInstrument({ nameZh: '对账单测试用电镜', unitCount: 1 })
        .open('08:00-18:00')
        .policy({ requiresApproval: false, leadMinutes: 0, qualificationRequired: false }),
    )
    .create();
  instrumentId = lab.instruments[0]!.id;
  smeOrg = await orgOf(t.db, USERS.sme);

  // Two bookings used on Friday 27 and Monday 30 November; one more cancelled.
  const desk = bookingDesk(t, () => tk.lab);
  const uses: [string, string, number][] = [
    ['2026-11-27T02:00:00Z', '2026-11-27T04:00:00Z', 150],
    ['2026-11-30T06:00:00Z', '2026-11-30T07:00:00Z', 45],
  ];
  for (const [start, end, usedMinutes] of uses) {
    const b = await desk.booked(tk.sme, instrumentId, start, end);
    await desk.acted(tk.sme, b.id, 'confirm');
    const checkIn = new Date(new Date(start).getTime() - 5 * 60_000);
    await atTime(clock, checkIn.toISOString(), () => desk.acted(tk.operator, b.id, 'check-in'));
    const checkOut = new Date(checkIn.getTime() + usedMinutes * 60_000).toISOString();
    await atTime(clock, checkOut, () => desk.acted(tk.operator, b.id, 'check-out'));
  }
  const cancelled = await desk.booked(tk.sme, instrumentId, '2026-11-30T02:00:00Z', '2026-11-30T03:00:00Z');
  await desk.acted(tk.sme, cancelled.id, 'confirm');
  await desk.acted(tk.sme, cancelled.id, 'cancel');

  // Two orders accepted (each invoiced at once), one paid by hand.
  const saltSpray = await serviceId(t.db, lab.id, '中性盐雾试验');
  const accepted = [];
  for (let i = 0; i < 2; i++) {
    accepted.push(
      await anOrder(t, { customer: tk.sme, lab: tk.lab, labId: lab.id }).ofService(saltSpray, 24).accepted(),
    );
  }
  const { rows } = await t.db.pool.query<{ invoice_id: string }>(
    `SELECT invoice_id FROM invoice_lines WHERE source_kind = 'order' AND source_id = $1 AND charge = 'order'`,
    [accepted[0]!.order.id],
  );
  await t.db.db.transaction(async (tx) => {
    const inv = await invoiceRow(rows[0]!.invoice_id);
    await recordPayment(tx, inv, {
      amount: 12_345,
      channel: 'manual',
      receivedOn: '2026-11-28',
      at: new Date('2026-11-28T03:00:00Z'),
      note: '现金 (test)',
    });
  });
});

async function direct(sqlText: string, params: unknown[]) {
  const { rows } = await t.db.pool.query<{ n: string; total: string }>(sqlText, params);
  return { n: Number(rows[0]!.n), total: Number(rows[0]!.total) };
}

describe('a lab statement', () => {
  it('shows the month’s bookings, use per instrument, orders, invoices, payments by channel and balances', async () => {
    const built = await atTime(clock, AFTER_MONTH, () =>
      buildStatement(deps(), { labId: lab.id, month: MONTH, customerOrgId: null }),
    );
    const s = JSON.parse(built.json) as StatementData;
    expect(s).toMatchObject({ kind: 'lab', month: MONTH, period: { from: '2026-11-01', to: '2026-11-30' } });
    expect(s.lab.id).toBe(lab.id);

    const line = s.bookings.instruments.find((i) => i.id === instrumentId)!;
    expect(line).toMatchObject({
      nameZh: '对账单测试用电镜',
      bookings: 2,
      bookedMinutes: 180,
      cancelled: 1,
      completed: 2,
    });
    expect(line.usedMinutes).toBe(195);
    expect(line.usedHours).toBe(3.25);
    const billed = await direct(
      `SELECT count(*) AS n, COALESCE(sum(billed_amount), 0) AS total FROM bookings WHERE instrument_id = $1 AND status = 'completed'`,
      [instrumentId],
    );
    expect(line.billed.amount).toBe(billed.total);
    expect(billed.total).toBeGreaterThan(0);

    // The statement agrees with the rows it was built from.
    const issued = await direct(
      `SELECT count(*) AS n, COALESCE(sum(total_fen), 0) AS total FROM invoices
        WHERE lab_id = $1 AND kind = 'invoice' AND issued_at >= '2026-10-31T16:00:00Z' AND issued_at < '2026-11-30T16:00:00Z'`,
      [lab.id],
    );
    expect(s.invoices.issued).toEqual({ count: issued.n, amount: { amount: issued.total, currency: 'CNY' } });
    expect(s.invoices.issued.count).toBeGreaterThanOrEqual(4); // two bookings, two orders
    expect(s.invoices.items.map((i) => i.issuedOn)).toEqual([...s.invoices.items.map((i) => i.issuedOn)].sort());
    const acceptedOrders = await direct(
      `SELECT count(*) AS n, COALESCE(sum(total_fen), 0) AS total FROM orders
        WHERE lab_id = $1 AND accepted_at >= '2026-10-31T16:00:00Z' AND accepted_at < '2026-11-30T16:00:00Z'`,
      [lab.id],
    );
    expect(s.orders.accepted).toEqual({
      count: acceptedOrders.n,
      amount: { amount: acceptedOrders.total, currency: 'CNY' },
    });
    expect(s.orders.accepted.count).toBeGreaterThanOrEqual(2);

    expect(s.payments.byChannel.map((c) => c.channel)).toEqual([
      'bank_transfer',
      'card',
      'voucher',
      'credit',
      'manual',
    ]);
    const manual = await direct(
      `SELECT count(*) AS n, COALESCE(sum(amount_fen), 0) AS total FROM payments WHERE lab_id = $1 AND channel = 'manual'
          AND received_on BETWEEN '2026-11-01' AND '2026-11-30'`,
      [lab.id],
    );
    expect(s.payments.byChannel.find((c) => c.channel === 'manual')).toEqual({
      channel: 'manual',
      count: manual.n,
      amount: { amount: manual.total, currency: 'CNY' },
    });
    expect(manual.total).toBeGreaterThanOrEqual(12_345);

    // Receivables: what was invoiced in the month, less what was paid, moves the balance.
    const receivable = await direct(
      `SELECT count(*) AS n, COALESCE(sum(e.amount_fen), 0) AS total FROM ledger_entries e
         JOIN ledger_transactions tr ON tr.id = e.transaction_id JOIN ledger_accounts a ON a.id = e.account_id
        WHERE tr.book_org_id = $1 AND a.code IN ('receivable', 'unbilled') AND tr.posted_at < '2026-11-30T16:00:00Z'`,
      [lab.id],
    );
    expect(s.receivables.closing.amount).toBe(receivable.total);
    expect(s.platformFee).toEqual({ amount: 0, currency: 'CNY' });
    expect(s.vouchers).toEqual({ claimed: { amount: 0, currency: 'CNY' }, paid: { amount: 0, currency: 'CNY' } });
  });

  it('builds to the same bytes twice, and after a build that died halfway', async () => {
    const key = { labId: lab.id, month: MONTH, customerOrgId: null };
    const first = await atTime(clock, AFTER_MONTH, () => buildStatement(deps(), key));
    const second = await atTime(clock, '2026-12-02T05:00:00Z', () => buildStatement(deps(), key));
    expect(second.builtAt.getTime()).toBeGreaterThan(first.builtAt.getTime());
    const hashes = (s: typeof first) => [s.jsonSha256, s.pdfSha256, s.xlsxSha256];
    expect(hashes(second)).toEqual(hashes(first));
    expect(second.pdf.equals(first.pdf)).toBe(true);
    expect(second.xlsx.equals(first.xlsx)).toBe(true);

    // Killed halfway: the JSON and PDF are written, the workbook not yet — nothing of it stays.
    const killed = buildStatement(deps(), key, {
      midway: async () => {
        throw new Error('worker killed');
      },
    });
    await expect(killed).rejects.toThrow('worker killed');
    const { rows } = await t.db.pool.query<{ n: number; xlsx_sha256: string }>(
      `SELECT count(*)::int AS n, max(xlsx_sha256) AS xlsx_sha256 FROM lab_statements WHERE lab_id = $1 AND month = $2 AND customer_org_id IS NULL`,
      [lab.id, MONTH],
    );
    expect(rows[0]).toEqual({ n: 1, xlsx_sha256: first.xlsxSha256 });
    const rerun = await buildStatement(deps(), key);
    expect(hashes(rerun)).toEqual(hashes(first));

    // A statement never built before, killed on its first build, leaves no row; the rerun matches a clean build.
    const customerKey = { labId: lab.id, month: MONTH, customerOrgId: smeOrg };
    await expect(
      buildStatement(deps(), customerKey, {
        midway: async () => {
          throw new Error('worker killed');
        },
      }),
    ).rejects.toThrow('worker killed');
    const none = await t.db.pool.query(`SELECT 1 FROM lab_statements WHERE customer_org_id = $1`, [smeOrg]);
    expect(none.rowCount).toBe(0);
    const a = await buildStatement(deps(), customerKey);
    const b = await buildStatement(deps(), customerKey);
    expect(hashes(b)).toEqual(hashes(a));
  });

  it('lets two builders of the same statement run at once, both ending with the same files', async () => {
    const key = { labId: lab.id, month: '2026-10', customerOrgId: null };
    const [a, b] = await Promise.all([buildStatement(deps(), key), buildStatement(deps(), key)]);
    expect([a.jsonSha256, a.pdfSha256, a.xlsxSha256]).toEqual([b.jsonSha256, b.pdfSha256, b.xlsxSha256]);
    const { rows } = await t.db.pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM lab_statements WHERE lab_id = $1 AND month = '2026-10'`,
      [lab.id],
    );
    expect(rows[0]!.n).toBe(1);
  });

  it('serves the JSON as stored, the PDF and a workbook that opens with the same figures', async () => {
    await atTime(clock, AFTER_MONTH, async () => {
      const url = `/v1/labs/${lab.id}/statements/${MONTH}`;
      const json = await call(tk.lab, 'GET', url);
      expect(json.statusCode, json.body).toBe(200);
      expect(json.headers['content-type']).toMatch(/^application\/json/);
      const { rows } = await t.db.pool.query<{ json: string; pdf_sha256: string }>(
        `SELECT json, pdf_sha256 FROM lab_statements WHERE lab_id = $1 AND month = $2 AND customer_org_id IS NULL`,
        [lab.id, MONTH],
      );
      expect(json.body).toBe(rows[0]!.json);
      const s = json.json<StatementData>();

      const pdf = await call(tk.lab, 'GET', `${url}?format=pdf`);
      expect(pdf.statusCode).toBe(200);
      expect(pdf.headers['content-type']).toBe('application/pdf');
      expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
      expect(pdf.headers['x-content-sha256']).toBe(rows[0]!.pdf_sha256);

      const xlsxType = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
      const xlsx = await call(tk.lab, 'GET', url, undefined, { accept: xlsxType });
      expect(xlsx.statusCode).toBe(200);
      expect(xlsx.headers['content-type']).toBe(xlsxType);
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
      expect(wb.worksheets.map((w) => w.name)).toEqual([
        '汇总 Summary',
        '仪器 Instruments',
        '账单 Invoices',
        '收款 Payments',
      ]);
      expect(wb.created.toISOString()).toBe('2026-11-30T16:00:00.000Z');
      const summary = new Map<string, unknown>();
      wb.getWorksheet('汇总 Summary')!.eachRow((row, n) => {
        if (n > 1) summary.set(String(row.getCell(1).value), row.getCell(2).value);
      });
      expect(summary.get('月份 Month')).toBe(MONTH);
      expect(summary.get('账单数 Invoices issued')).toBe(s.invoices.issued.count);
      expect(summary.get('收款合计 Payments')).toBe(s.payments.total.amount / 100);
      const instruments = wb.getWorksheet('仪器 Instruments')!;
      const mine = instruments.getRows(2, instruments.rowCount - 1)!.find((r) => r.getCell(2).value === instrumentId)!;
      expect(mine.getCell(1).value).toBe('对账单测试用电镜');
      expect(mine.getCell(5).value).toBe(195);
      expect(wb.getWorksheet('账单 Invoices')!.rowCount).toBe(s.invoices.items.length + 1);
    });
  });

  it('lists the lab’s statements; a manager rebuilds a past month, never a running one', async () => {
    await atTime(clock, AFTER_MONTH, async () => {
      const rebuilt = ok<{ month: string; sha256: { pdf: string } }>(
        await call(tk.lab, 'POST', `/v1/labs/${lab.id}/statements/${MONTH}/build`),
      );
      const list = ok<{ items: { month: string; sha256: { pdf: string } }[]; nextCursor: string | null }>(
        await call(tk.lab, 'GET', `/v1/labs/${lab.id}/statements`),
      );
      expect(list.items[0]).toMatchObject({ month: MONTH, sha256: { pdf: rebuilt.sha256.pdf } });
      await expectProblem(
        await call(tk.lab, 'POST', `/v1/labs/${lab.id}/statements/2026-12/build`),
        409,
        'month_not_over',
      );
      // The running month: the statement so far, provisional and never stored.
      const running = ok<{ month: string; provisional?: boolean; asOf?: string }>(
        await call(tk.lab, 'GET', `/v1/labs/${lab.id}/statements/2026-12`),
      );
      expect(running).toMatchObject({ month: '2026-12', provisional: true, asOf: clock.now.toISOString() });
      const after = ok<{ items: { month: string }[] }>(await call(tk.lab, 'GET', `/v1/labs/${lab.id}/statements`));
      expect(after.items.map((i) => i.month)).not.toContain('2026-12');
      await expectProblem(await call(tk.lab, 'GET', `/v1/labs/${lab.id}/statements/2027-01`), 409, 'month_not_over');
      await expectProblem(await call(tk.lab, 'GET', `/v1/labs/${lab.id}/statements/2026-13`), 400, 'validation_failed');
    });
  });

  it('is for the lab’s managers and staff and the region’s admins; others get 403 or 404', async () => {
    await atTime(clock, AFTER_MONTH, async () => {
      const url = `/v1/labs/${lab.id}/statements/${MONTH}`;
      ok(await call(tk.admin, 'GET', url));
      ok(await call(await login(t.app, 'reviewer@demo.qihub.test'), 'GET', url)); // lab staff
      await expectProblem(await call(tk.operator, 'GET', url), 403, 'forbidden');
      await expectProblem(await call(tk.lab2, 'GET', url), 404, 'not_found');
      await expectProblem(await call(tk.sme, 'GET', url), 404, 'not_found');
      await expectProblem(await t.app.inject({ method: 'GET', url }), 401, 'unauthenticated');
      await expectProblem(await call(tk.admin, 'POST', `${url}/build`), 404, 'not_found');
      await expectProblem(await call(tk.operator, 'POST', `${url}/build`), 403, 'forbidden');
    });
  });
});

describe('a customer’s statement', () => {
  it('gives a customer’s members its account with the lab, and nobody else', async () => {
    await atTime(clock, AFTER_MONTH, async () => {
      const url = `/v1/customers/${smeOrg}/statements/${MONTH}?labId=${lab.id}`;
      const s = ok<StatementData>(await call(tk.sme, 'GET', url));
      expect(s.kind).toBe('customer');
      expect(s.customer?.id).toBe(smeOrg);
      expect(s.invoices.items.every((i) => i.customer.id === smeOrg)).toBe(true);
      expect(s.bookings.instruments.find((i) => i.id === instrumentId)?.bookings).toBe(2);
      expect(s.payments.byChannel.find((c) => c.channel === 'manual')!.amount.amount).toBeGreaterThanOrEqual(12_345);
      expect(s.vouchers).toBeNull();
      const pdf = await call(tk.sme, 'GET', `${url}&format=pdf`);
      expect(pdf.rawPayload.subarray(0, 4).toString()).toBe('%PDF');
      await expectProblem(await call(tk.sme2, 'GET', url), 404, 'not_found');
      await expectProblem(await call(tk.lab, 'GET', url), 404, 'not_found');
      const sme2Org = await orgOf(t.db, USERS.sme2);
      await expectProblem(
        await call(tk.sme2, 'GET', `/v1/customers/${sme2Org}/statements/${MONTH}?labId=${smeOrg}`),
        404,
        'not_found',
      );
    });
  });
});

describe('the monthly run', () => {
  it('queues on the 1st a build of each lab statement not built yet; the build job stores it once', async () => {
    const firstOfDecember = new Date('2026-12-01T00:30:00Z'); // 08:30 in Shanghai
    const registry = createRegistry(
      createJobHandlers({ db: t.db.db, dispatch: async () => {}, clock: () => firstOfDecember }),
    );
    await registry.run('statements.build-monthly', {}, { jobId: 'sweep-1' });
    await registry.run('statements.build-monthly', {}, { jobId: 'sweep-2' });
    const { rows } = await t.db.pool.query<{ payload: { labId: string; month: string; customerOrgId: string | null } }>(
      `SELECT payload FROM outbox WHERE topic = 'statements.build' ORDER BY id`,
    );
    const labs = rows.map((r) => r.payload.labId);
    expect(labs.length).toBeGreaterThan(0);
    expect(new Set(labs).size).toBe(labs.length); // the second sweep queued nothing again
    expect(labs).not.toContain(lab.id); // built already by the tests above
    expect(rows.every((r) => r.payload.month === MONTH && r.payload.customerOrgId === null)).toBe(true);

    const job = rows[0]!.payload;
    await registry.run('statements.build', job, { jobId: 'build-1' });
    const built = await t.db.pool.query<{ built_at: Date }>(
      `SELECT built_at FROM lab_statements WHERE lab_id = $1 AND month = $2 AND customer_org_id IS NULL`,
      [job.labId, MONTH],
    );
    expect(built.rows).toHaveLength(1);
    await registry.run('statements.build', job, { jobId: 'build-2' });
    const again = await t.db.pool.query<{ built_at: Date }>(
      `SELECT built_at FROM lab_statements WHERE lab_id = $1 AND month = $2 AND customer_org_id IS NULL`,
      [job.labId, MONTH],
    );
    expect(again.rows).toEqual(built.rows);
  });
});
