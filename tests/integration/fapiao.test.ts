import ExcelJS from 'exceljs';
import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { invoices } from '@qihub/db';
import { creditCodeCheckCharacter } from '@qihub/db/credit-code';
import { recordPayment } from '@qihub/api/modules/invoices/index';
import { expectProblem, testClock, useSeededApp } from '../support/app.ts';
import { databaseDigest } from '../support/db.ts';
import { aLab, anOrder, api, ok, orgOf, serviceId, signIn, USERS } from '../factories/index.ts';

/**
 * Fapiao (发票, issue 11): the customer keeps its invoice title once; a paid invoice can be marked
 * for fapiao, with the title copied as it was; the lab issues the fapiao in the tax system (QIHub
 * never talks to it), records its number here, and exports what is pending as XLSX.
 */
const clock = testClock(new Date('2026-11-26T02:00:00Z'));
const t = useSeededApp({ clock });

const code = (first17: string) => first17 + creditCodeCheckCharacter(first17);
const TAX_NO = code('91320506MA1P2Q3R4');
/** The same code with a wrong check character. */
const BAD_TAX_NO = TAX_NO.slice(0, 17) + (TAX_NO[17] === '0' ? '1' : '0');
const FULL_TITLE = {
  type: 'special',
  name: '苏州恒瑞精密部件有限公司',
  taxpayerNumber: TAX_NO,
  address: '苏州市吴中区东方大道 88 号',
  phone: '0512-66001234',
  bankName: '中国建设银行苏州吴中支行',
  bankAccount: '3225 0198 8836 0000 1234',
};

interface RequestView {
  id: string;
  invoiceId: string;
  invoiceNumber: string;
  type: string;
  status: string;
  title: typeof FULL_TITLE & { type?: never };
  amount: { amount: number };
  tax: { amount: number };
  amountExcludingTax: { amount: number };
  taxRates: number[];
  fapiaoNumber: string | null;
  issuedOn: string | null;
  rejectReason: string | null;
  taxSystem: string;
}

let call: ReturnType<typeof api>;
let tk: { sme: string; sme2: string; lab: string; lab2: string; operator: string };
let labId: string;
let smeOrg: string;
let saltSpray: string;
const FAPIAO_TABLES = ['fapiao_titles', 'fapiao_requests', 'notifications', 'audit_log'];

beforeAll(async () => {
  call = api(t.app);
  labId = (await aLab(t).withDefaultOrderTerms().create()).id;
  smeOrg = await orgOf(t.db, USERS.sme);
  saltSpray = await serviceId(t.db, labId, '中性盐雾试验');
  tk = await signIn(t.app, ['sme', 'sme2', 'lab', 'lab2', 'operator']);
});

/** An accepted order's invoice (open: not paid yet). */
async function openInvoice(customer = tk.sme): Promise<{ id: string; number: string; total: number }> {
  const d = await anOrder(t, { customer, lab: tk.lab, labId }).ofService(saltSpray, 24).accepted();
  const list = ok<{
    items: {
      id: string;
      number: string;
      kind: string;
      total: { amount: number };
      lines: { source: { id: string } }[];
    }[];
  }>(await call(customer, 'GET', '/v1/invoices?limit=100'));
  const inv = list.items.find((i) => i.kind === 'invoice' && i.lines.some((l) => l.source.id === d.order.id))!;
  return { id: inv.id, number: inv.number, total: inv.total.amount };
}

/** The invoice paid in full by bank transfer, through the invoices module as the bank matching does. */
async function paidInvoice(customer = tk.sme) {
  const inv = await openInvoice(customer);
  await t.db.db.transaction(async (tx) => {
    const [row] = await tx.select().from(invoices).where(eq(invoices.id, inv.id)).for('update');
    await recordPayment(tx, row!, {
      amount: row!.totalFen,
      channel: 'bank_transfer',
      receivedOn: '2026-11-26',
      at: clock.now,
      note: '对公转账',
    });
  });
  return inv;
}

const putTitle = (body: object, who = tk.sme) => call(who, 'PUT', `/v1/orgs/${smeOrg}/fapiao-title`, body);
const askFor = (invoiceId: string, body: object = {}, who = tk.sme) =>
  call(who, 'POST', `/v1/invoices/${invoiceId}/fapiao-request`, body);
const digest = () => databaseDigest(t.db, FAPIAO_TABLES);

describe('the invoice title (发票抬头)', () => {
  it('starts as a draft from the registered name and credit code', async () => {
    const title = ok<{ saved: boolean; name: string; taxpayerNumber: string; completeFor: string[] }>(
      await call(tk.sme, 'GET', `/v1/orgs/${smeOrg}/fapiao-title`),
    );
    expect(title.saved).toBe(false);
    const { rows } = await t.db.pool.query(`SELECT name_zh, credit_code FROM organisations WHERE id = $1`, [smeOrg]);
    expect(title.name).toBe(rows[0].name_zh);
    expect(title.taxpayerNumber).toBe(rows[0].credit_code);
  });

  it('refuses a taxpayer number whose check character is wrong (422), changing nothing', async () => {
    const before = await digest();
    const p = expectProblem(await putTitle({ ...FULL_TITLE, taxpayerNumber: BAD_TAX_NO }), 422, 'invalid_credit_code');
    expect(p.errors?.map((e) => e.path)).toEqual(['/taxpayerNumber']);
    expectProblem(await putTitle({ ...FULL_TITLE, taxpayerNumber: '12345' }), 422, 'invalid_credit_code');
    expect(await digest()).toEqual(before);
  });

  it('needs every field for 专用 and only name and number for 普通', async () => {
    const before = await digest();
    const p = expectProblem(
      await putTitle({ type: 'special', name: FULL_TITLE.name, taxpayerNumber: TAX_NO, address: FULL_TITLE.address }),
      422,
      'required',
    );
    expect(p.errors?.map((e) => e.path).sort()).toEqual(['/bankAccount', '/bankName', '/phone']);
    expect(await digest()).toEqual(before);
    const saved = ok<{ saved: boolean; type: string; completeFor: string[]; taxpayerNumber: string }>(
      await putTitle({ type: 'normal', name: FULL_TITLE.name, taxpayerNumber: ` ${TAX_NO.toLowerCase()} ` }),
    );
    expect(saved).toMatchObject({ saved: true, type: 'normal', completeFor: ['normal'], taxpayerNumber: TAX_NO });
  });

  it('is the organisation’s own: another enterprise or a lab gets 404, anonymous 401, nothing changes', async () => {
    const before = await digest();
    for (const who of [tk.sme2, tk.lab, tk.lab2]) {
      expectProblem(await call(who, 'GET', `/v1/orgs/${smeOrg}/fapiao-title`), 404, 'not_found');
      expectProblem(await putTitle(FULL_TITLE, who), 404, 'not_found');
    }
    const anon = await t.app.inject({ method: 'PUT', url: `/v1/orgs/${smeOrg}/fapiao-title`, payload: FULL_TITLE });
    expectProblem(anon, 401, 'unauthenticated');
    expect(await digest()).toEqual(before);
  });
});

describe('asking for a fapiao', () => {
  it('only on a paid invoice: an open one is 409 invoice_not_paid', async () => {
    const inv = await openInvoice();
    const before = await digest();
    expectProblem(await askFor(inv.id), 409, 'invoice_not_paid');
    expect(await digest()).toEqual(before);
  });

  it('needs a saved title: 422 fapiao_title_missing', async () => {
    // sme2's enterprise keeps a monthly account at this lab (seed): invoiced per order here instead.
    await t.db.pool.query(`DELETE FROM customer_billing_terms WHERE org_id = $1 AND customer_org_id = $2`, [
      labId,
      await orgOf(t.db, USERS.sme2),
    ]);
    const inv = await paidInvoice(tk.sme2);
    const before = await digest();
    expectProblem(await askFor(inv.id, {}, tk.sme2), 422, 'fapiao_title_missing');
    expect(await digest()).toEqual(before);
  });

  it('a 专用 fapiao needs a complete title: 422 with the missing fields', async () => {
    const inv = await paidInvoice();
    const before = await digest();
    const p = expectProblem(await askFor(inv.id, { type: 'special' }), 422, 'fapiao_title_incomplete');
    expect(p.errors?.map((e) => e.path).sort()).toEqual([
      '/title/address',
      '/title/bankAccount',
      '/title/bankName',
      '/title/phone',
    ]);
    expect(await digest()).toEqual(before);
  });

  it('copies the title as it is now; a later change of title leaves the request as it was; once per invoice', async () => {
    ok(await putTitle(FULL_TITLE));
    const inv = await paidInvoice();
    const req = ok<RequestView>(await askFor(inv.id, { note: '请注明项目编号 P-7' }), 201);
    expect(req).toMatchObject({ invoiceId: inv.id, invoiceNumber: inv.number, type: 'special', status: 'pending' });
    expect(req.taxSystem).toBe('recorded_by_lab');
    expect(req.amount.amount).toBe(inv.total);
    expect(req.taxRates).toEqual([0.06]);
    expect(req.tax.amount).toBe(Math.round((inv.total * 6) / 106));
    expect(req.amountExcludingTax.amount).toBe(inv.total - req.tax.amount);
    const { type: _type, ...fields } = FULL_TITLE;
    expect(req.title).toEqual(fields);

    ok(await putTitle({ ...FULL_TITLE, name: '苏州恒瑞精密部件股份有限公司', address: '苏州市工业园区星湖街 1 号' }));
    const mine = ok<{ items: RequestView[] }>(await call(tk.sme, 'GET', `/v1/fapiao-requests?invoiceId=${inv.id}`));
    expect(mine.items.map((r) => r.title)).toEqual([fields]);

    const before = await digest();
    expectProblem(await askFor(inv.id), 409, 'fapiao_already_requested');
    expect(await digest()).toEqual(before);
    ok(await putTitle(FULL_TITLE));
  });

  it('asked twice at once, is requested once: one 201, one 409', async () => {
    const inv = await paidInvoice();
    const answers = await Promise.all([askFor(inv.id), askFor(inv.id), askFor(inv.id)]);
    expect(answers.map((r) => r.statusCode).sort()).toEqual([201, 409, 409]);
    const { rows } = await t.db.pool.query(`SELECT count(*)::int AS n FROM fapiao_requests WHERE invoice_id = $1`, [
      inv.id,
    ]);
    expect(rows[0].n).toBe(1);
  });

  it('only by the customer: another enterprise 404, the lab 403, anonymous 401, nothing changes', async () => {
    const inv = await paidInvoice();
    const before = await digest();
    expectProblem(await askFor(inv.id, {}, tk.sme2), 404, 'not_found');
    expectProblem(await askFor(inv.id, {}, tk.lab2), 404, 'not_found');
    expectProblem(await askFor(inv.id, {}, tk.lab), 403, 'forbidden');
    const anon = await t.app.inject({ method: 'POST', url: `/v1/invoices/${inv.id}/fapiao-request`, payload: {} });
    expectProblem(anon, 401, 'unauthenticated');
    expect(
      ok<{ items: unknown[] }>(await call(tk.sme2, 'GET', `/v1/fapiao-requests?invoiceId=${inv.id}`)).items,
    ).toEqual([]);
    expect(await digest()).toEqual(before);
  });
});

describe('the lab’s fapiao desk', () => {
  let special: RequestView;
  let normal: RequestView;

  beforeAll(async () => {
    ok(await putTitle(FULL_TITLE));
    // Start from an empty desk: earlier tests' requests are issued out of the way.
    const { rows } = await t.db.pool.query<{ id: string }>(`SELECT id FROM fapiao_requests WHERE status = 'pending'`);
    for (const r of rows) {
      ok(await call(tk.lab, 'POST', `/v1/labs/${labId}/fapiao-requests/${r.id}/reject`, { reason: '测试前清理' }));
    }
    special = ok<RequestView>(await askFor((await paidInvoice()).id, { note: '合同号 HT-2026-018' }), 201);
    clock.advance(60 * 60_000);
    normal = ok<RequestView>(await askFor((await paidInvoice()).id, { type: 'normal' }), 201);
  });

  it('lists the lab’s requests for its managers and staff; others get 404 (another lab, a customer) or 403 (an operator)', async () => {
    const list = ok<{ items: RequestView[] }>(
      await call(tk.lab, 'GET', `/v1/labs/${labId}/fapiao-requests?status=pending`),
    );
    expect(list.items.map((r) => r.id)).toEqual([normal.id, special.id]);
    expectProblem(await call(tk.lab2, 'GET', `/v1/labs/${labId}/fapiao-requests`), 404, 'not_found');
    expectProblem(await call(tk.sme, 'GET', `/v1/labs/${labId}/fapiao-requests`), 404, 'not_found');
    expectProblem(await call(tk.operator, 'GET', `/v1/labs/${labId}/fapiao-requests`), 403, 'forbidden');
    expectProblem(
      await t.app.inject({ method: 'GET', url: `/v1/labs/${labId}/fapiao-requests` }),
      401,
      'unauthenticated',
    );
    expectProblem(await call(tk.lab2, 'GET', `/v1/labs/${labId}/fapiao-requests.xlsx`), 404, 'not_found');
  });

  it('exports the pending requests as XLSX for the tax software, row by row, the same bytes each time', async () => {
    const res = await call(tk.lab, 'GET', `/v1/labs/${labId}/fapiao-requests.xlsx?status=pending`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    const again = await call(tk.lab, 'GET', `/v1/labs/${labId}/fapiao-requests.xlsx?status=pending`);
    expect(again.rawPayload.equals(res.rawPayload)).toBe(true);
    expect(res.headers['x-content-sha256']).toBe(again.headers['x-content-sha256']);

    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    expect(wb.creator).toBe('QIHub');
    const ws = wb.worksheets[0]!;
    const values = (n: number) => (ws.getRow(n).values as unknown[]).slice(1);
    expect(values(1)).toEqual([
      '购买方名称',
      '纳税人识别号',
      '地址电话',
      '开户行及账号',
      '发票类型',
      '账单号',
      '金额(含税)',
      '税率',
      '税额',
      '不含税金额',
      '申请日期',
      '备注',
    ]);
    expect(ws.rowCount).toBe(3);
    // Oldest first, as they came in.
    for (const [n, r, typeZh, note] of [
      [2, special, '增值税专用发票', '合同号 HT-2026-018'],
      [3, normal, '普通发票', ''],
    ] as const) {
      const yuan = (fen: number) => Math.round(fen) / 100;
      expect(values(n)).toEqual([
        FULL_TITLE.name,
        TAX_NO,
        `${FULL_TITLE.address} ${FULL_TITLE.phone}`,
        `${FULL_TITLE.bankName} ${FULL_TITLE.bankAccount}`,
        typeZh,
        r.invoiceNumber,
        yuan(r.amount.amount),
        0.06,
        yuan(r.tax.amount),
        yuan(r.amountExcludingTax.amount),
        '2026-11-26',
        note,
      ]);
      for (const col of [7, 9, 10]) expect(ws.getRow(n).getCell(col).numFmt).toBe('0.00');
      expect(r.tax.amount + r.amountExcludingTax.amount).toBe(r.amount.amount);
    }
  });

  it('records the fapiao number and date the lab issued in the tax system, and tells the customer', async () => {
    const url = `/v1/labs/${labId}/fapiao-requests/${special.id}/issued`;
    const before = await digest();
    expectProblem(
      await call(tk.lab, 'POST', url, { fapiaoNumber: '123456789', issuedOn: '2026-11-26' }),
      400,
      'validation_failed',
    );
    const early = expectProblem(
      await call(tk.lab, 'POST', url, { fapiaoNumber: '12345678', issuedOn: '2026-11-25' }),
      422,
      'issued_on_out_of_range',
    );
    expect(early.errors?.[0]?.path).toBe('/issuedOn');
    expectProblem(
      await call(tk.lab, 'POST', url, { fapiaoNumber: '12345678', issuedOn: '2026-11-27' }),
      422,
      'issued_on_out_of_range',
    );
    expectProblem(
      await call(tk.lab2, 'POST', url, { fapiaoNumber: '12345678', issuedOn: '2026-11-26' }),
      404,
      'not_found',
    );
    expectProblem(
      await call(tk.sme, 'POST', url, { fapiaoNumber: '12345678', issuedOn: '2026-11-26' }),
      404,
      'not_found',
    );
    // Another lab naming this request under its own id: not its request.
    const lab2Id = await orgOf(t.db, USERS.lab2);
    expectProblem(
      await call(tk.lab2, 'POST', url.replace(labId, lab2Id), { fapiaoNumber: '12345678', issuedOn: '2026-11-26' }),
      404,
      'not_found',
    );
    expect(await digest()).toEqual(before);

    const number = '26322000000012345678';
    const issued = ok<RequestView>(await call(tk.lab, 'POST', url, { fapiaoNumber: number, issuedOn: '2026-11-26' }));
    expect(issued).toMatchObject({ status: 'issued', fapiaoNumber: number, issuedOn: '2026-11-26' });
    expectProblem(
      await call(tk.lab, 'POST', url, { fapiaoNumber: number, issuedOn: '2026-11-26' }),
      409,
      'illegal_transition',
    );

    const inbox = ok<{ items: { kind: string; titleZh: string }[] }>(
      await call(tk.sme, 'GET', '/v1/notifications?limit=50'),
    );
    expect(inbox.items.some((n) => n.kind === 'fapiao.issued' && n.titleZh.includes(number))).toBe(true);
    const { rows } = await t.db.pool.query(
      `SELECT action, org_id FROM audit_log WHERE entity_type = 'fapiao_request' AND entity_id = $1 ORDER BY at`,
      [special.id],
    );
    expect(rows.map((r) => r.action)).toEqual(['fapiao.requested', 'fapiao.issued']);
    const mine = ok<{ items: RequestView[] }>(await call(tk.sme, 'GET', '/v1/fapiao-requests?status=issued'));
    expect(mine.items.map((r) => r.id)).toContain(special.id);

    // Issued requests leave the export of pending ones.
    const res = await call(tk.lab, 'GET', `/v1/labs/${labId}/fapiao-requests.xlsx`);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    expect(wb.worksheets[0]!.rowCount).toBe(2);
  });

  it('returns a request with a reason; the customer is told and may ask again', async () => {
    const url = `/v1/labs/${labId}/fapiao-requests/${normal.id}/reject`;
    expectProblem(await call(tk.lab2, 'POST', url, { reason: '抬头有误' }), 404, 'not_found');
    const rejected = ok<RequestView>(await call(tk.lab, 'POST', url, { reason: '抬头有误' }));
    expect(rejected).toMatchObject({ status: 'rejected', rejectReason: '抬头有误' });
    const inbox = ok<{ items: { kind: string }[] }>(await call(tk.sme, 'GET', '/v1/notifications?limit=50'));
    expect(inbox.items.some((n) => n.kind === 'fapiao.rejected')).toBe(true);
    const again = ok<RequestView>(await askFor(normal.invoiceId, { type: 'normal' }), 201);
    expect(again.status).toBe('pending');
    expect(again.id).not.toBe(normal.id);
  });
});
