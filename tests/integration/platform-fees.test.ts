import { createHash, randomBytes, randomUUID } from 'node:crypto';
import iconv from 'iconv-lite';
import { beforeAll, describe, expect, it } from 'vitest';
import { recordPayment, recordVoucherReceipt } from '@qihub/api/modules/invoices/index';
import { issueMonthlyFees } from '@qihub/api/modules/platform-fees/index';
import { invoices } from '@qihub/db';
import { eq } from 'drizzle-orm';
import { expectProblem, testClock, useSeededApp } from '../support/app.ts';
import { expectMoneyConsistent, moneyDigest } from '../support/money-invariants.ts';
import { aLab, anOrder, api, ok, orgOf, serviceId, signIn, USERS } from '../factories/index.ts';

/**
 * The platform's own service fee (平台服务费, issue 11): on the 1st (China time) each lab of a region
 * with a positive rate gets one invoice from its platform for rate × what it received in the month
 * before by bank transfer, recorded by hand and from voucher programmes (not by card: the processor
 * took the fee there), one line per channel, 6 % VAT inside; its book owes the platform. The lab pays
 * by transfer to the platform's account, matched from the platform's statement by the same matcher.
 */
const clock = testClock(new Date('2026-12-10T02:00:00Z'));
const t = useSeededApp({ clock });
/** 1 January 2027, 09:00 in China: December is over. */
const NEW_YEAR = new Date('2027-01-01T01:00:00Z');
const RATE_BP = 50; // 0.50 %

interface InvoiceView {
  id: string;
  number: string;
  status: string;
  labId: string;
  customerOrgId: string;
  lines: {
    description: string;
    amount: { amount: number };
    taxRate: number;
    source: { kind: string; charge: string };
  }[];
  total: { amount: number };
  tax: { amount: number };
  amountPaid: { amount: number };
  amountDue: { amount: number };
  paymentReference: string;
  payee: { accountName: string; bankName: string; accountNumber: string };
}
interface FeeView {
  month: string;
  regionCode: string;
  rateBp: number;
  base: { amount: number };
  invoice: InvoiceView;
}

let call: ReturnType<typeof api>;
let tk: Record<'lab' | 'lab2' | 'admin' | 'operator' | 'sme', string>;
let wuxiAdmin: string;
let sqi: string;
let njut: string;
let nbmetro: string;
let jsPlatform: string;
let szPlatform: string;
/** What sqi received in December, by channel. */
const base = { bank_transfer: 0, manual: 0, voucher: 0, card: 0 };
const fee = (fen: number) => Math.round((fen * RATE_BP) / 10_000);
const vatOf = (fen: number) => Math.round((fen * 600) / 10_600);

async function labOf(key: string): Promise<string> {
  const { rows } = await t.db.pool.query<{ id: string }>(
    `SELECT o.id FROM organisations o JOIN billing_settings b ON b.org_id = o.id WHERE b.account_name = $1`,
    [key],
  );
  return rows[0]!.id;
}

/** An admin of a new Wuxi city platform: another city than the Suzhou lab's. */
async function anotherCitysAdmin(): Promise<string> {
  const db = t.db.pool;
  const platform = randomUUID();
  await db.query(
    `INSERT INTO organisations (id, kind, status, name_zh, name_en, region_code, platform_level)
     VALUES ($1, 'platform', 'active', '无锡市平台', 'Wuxi platform', '320200', 'city')`,
    [platform],
  );
  const { rows } = await db.query<{ id: string }>(
    `INSERT INTO users (email, password_hash, display_name) VALUES ('wuxi-admin@fees.test', 'x', '无锡管理员') RETURNING id`,
  );
  await db.query(`INSERT INTO memberships (user_id, org_id, role) VALUES ($1, $2, 'admin')`, [rows[0]!.id, platform]);
  const token = `qhs_${randomBytes(24).toString('base64url')}`;
  await db.query(`INSERT INTO sessions (token_hash, user_id, expires_at) VALUES ($1, $2, '2030-01-01T00:00:00Z')`, [
    createHash('sha256').update(token).digest('hex'),
    rows[0]!.id,
  ]);
  return token;
}

/** Records a card payment as the processor's settlement would (the fee base leaves it out). */
async function payByCard(id: string, amount: number) {
  await t.db.db.transaction(async (tx) => {
    const [inv] = await tx.select().from(invoices).where(eq(invoices.id, id)).for('update');
    await recordPayment(tx, inv!, { amount, channel: 'card', receivedOn: '2026-12-10', at: clock.now });
  });
}

/** A new open invoice of sqi to the SME: an order accepted. */
async function anOpenInvoice(): Promise<InvoiceView> {
  const saltSpray = await serviceId(t.db, sqi, '中性盐雾试验');
  const d = await anOrder(t, { customer: tk.sme, lab: tk.lab, labId: sqi }).ofService(saltSpray, 24).accepted();
  const list = ok<{ items: InvoiceView[] }>(await call(tk.sme, 'GET', '/v1/invoices?limit=100'));
  const inv = list.items.find((i) => i.lines.some((l) => (l.source as { id?: string }).id === d.order.id));
  expect(inv).toBeTruthy();
  return inv!;
}

function yuan(fen: number): string {
  return `${Math.floor(fen / 100).toLocaleString('en-US')}.${String(fen % 100).padStart(2, '0')}`;
}
const csv = (rows: string[][]) =>
  rows.map((r) => r.map((v) => (/[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v)).join(',')).join('\r\n') + '\r\n';

function statement(lines: { sn: string; date: string; payer: string; amount: number; remark: string }[]) {
  return csv([
    ['中国建设银行 账户明细'],
    ['账号', '3205 0161 5300 0000 2876'],
    [],
    ['交易日期', '交易流水号', '对方户名', '摘要', '支出金额', '收入金额', '余额'],
    ...lines.map((l) => [l.date, l.sn, l.payer, l.remark, '', yuan(l.amount), '']),
    ['合计', '', '', '', '', '', ''],
  ]);
}

async function balance(book: string, code: string, counterparty: string | null = null): Promise<number> {
  const { rows } = await t.db.pool.query<{ sum: string | null }>(
    `SELECT SUM(e.amount_fen)::bigint AS sum FROM ledger_entries e JOIN ledger_accounts a ON a.id = e.account_id
      WHERE a.book_org_id = $1 AND a.code = $2 AND a.counterparty_org_id IS NOT DISTINCT FROM $3`,
    [book, code, counterparty],
  );
  return Number(rows[0]!.sum ?? 0);
}

async function feeRows(labId: string) {
  const { rows } = await t.db.pool.query<{ month: string; invoice_id: string }>(
    `SELECT month, invoice_id FROM platform_fee_invoices WHERE lab_id = $1 ORDER BY month`,
    [labId],
  );
  return rows;
}

beforeAll(async () => {
  call = api(t.app);
  tk = await signIn(t.app, ['lab', 'lab2', 'admin', 'operator', 'sme']);
  wuxiAdmin = await anotherCitysAdmin();
  sqi = (await aLab(t).withDefaultOrderTerms().create()).id;
  njut = await orgOf(t.db, USERS.lab2);
  nbmetro = await labOf('宁波市计量测试研究院');
  jsPlatform = await orgOf(t.db, USERS.admin);
  const { rows } = await t.db.pool.query<{ id: string }>(
    `SELECT id FROM organisations WHERE kind = 'platform' AND region_code = '320500'`,
  );
  szPlatform = rows[0]!.id;

  // The province admin sets Jiangsu's rate; Zhejiang's is set to 0 (as good as none).
  ok(await call(tk.admin, 'PUT', '/v1/admin/fee-rates/320000', { rateBp: RATE_BP }));
  await t.db.pool.query(`INSERT INTO platform_fee_rates (region_code, rate_bp) VALUES ('330000', 0)`);

  // sqi's December receipts: a transfer matched from its statement (paying beyond the invoice: the
  // excess is money received too), one recorded by hand, a voucher programme's payment, a card payment.
  const a = await anOpenInvoice();
  base.bank_transfer = a.amountDue.amount + 1_00;
  const res = await call(
    tk.lab,
    'POST',
    `/v1/labs/${sqi}/bank-statements`,
    csv([
      ['交易日期', '交易流水号', '对方户名', '摘要', '收入金额'],
      ['2026-12-09', 'SQI-1', '客户', `货款 ${a.paymentReference}`, yuan(base.bank_transfer)],
    ]),
    { 'content-type': 'text/csv; charset=utf-8' },
  );
  expect(ok<{ matched: number }>(res).matched).toBe(1);
  const b = await anOpenInvoice();
  base.manual = 12_345;
  ok(
    await call(tk.lab, 'POST', `/v1/invoices/${b.id}/payments`, {
      amount: base.manual,
      receivedOn: '2026-12-10',
      channel: 'manual',
    }),
    201,
  );
  const c = await anOpenInvoice();
  base.card = c.amountDue.amount;
  await payByCard(c.id, base.card);
  base.voucher = 400_00;
  await t.db.db.transaction((tx) =>
    recordVoucherReceipt(tx, {
      labId: sqi,
      issuerOrgId: szPlatform,
      amount: base.voucher,
      at: clock.now,
      sourceId: randomUUID(),
      memo: '创新券兑付',
    }),
  );
  // Nanjing's lab received a voucher payment too; Ningbo's (Zhejiang, rate 0) a bigger one.
  for (const [labId, amount] of [
    [njut, 1_234_57],
    [nbmetro, 9_000_00],
  ] as const) {
    await t.db.db.transaction((tx) =>
      recordVoucherReceipt(tx, {
        labId,
        issuerOrgId: szPlatform,
        amount,
        at: clock.now,
        sourceId: randomUUID(),
        memo: '创新券',
      }),
    );
  }
});

const feesOf = async (token: string, labId: string) =>
  ok<{ items: FeeView[] }>(await call(token, 'GET', `/v1/labs/${labId}/platform-fees`)).items;

describe('the monthly service fee invoices', () => {
  it('a partial run rolls back what it did for the lab it failed on; the rerun issues each lab once', async () => {
    // A worker dies while issuing Nanjing's invoice: nothing of it stays.
    await t.db.pool.query(`
      CREATE FUNCTION fail_njut() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN IF NEW.lab_id = '${njut}' THEN RAISE EXCEPTION 'worker killed'; END IF; RETURN NEW; END $$;
      CREATE TRIGGER fail_njut BEFORE INSERT ON platform_fee_invoices FOR EACH ROW EXECUTE FUNCTION fail_njut();`);
    const before = await t.db.pool.query(`SELECT count(*)::int AS n FROM invoice_lines WHERE customer_org_id = $1`, [
      njut,
    ]);
    await expect(issueMonthlyFees(t.db.db, NEW_YEAR)).rejects.toMatchObject({
      cause: { message: expect.stringMatching(/worker killed/) },
    });
    expect(await feeRows(njut)).toEqual([]);
    const after = await t.db.pool.query(`SELECT count(*)::int AS n FROM invoice_lines WHERE customer_org_id = $1`, [
      njut,
    ]);
    expect(after.rows[0].n).toBe(before.rows[0].n);
    expect(await balance(njut, 'platform_fee_expense')).toBe(0);
    await t.db.pool.query(`DROP TRIGGER fail_njut ON platform_fee_invoices; DROP FUNCTION fail_njut();`);

    // The rerun, twice at once and once more: each lab's December invoiced exactly once.
    const runs = await Promise.all([issueMonthlyFees(t.db.db, NEW_YEAR), issueMonthlyFees(t.db.db, NEW_YEAR)]);
    expect(await issueMonthlyFees(t.db.db, NEW_YEAR)).toEqual([]);
    expect(await feeRows(sqi)).toEqual([expect.objectContaining({ month: '2026-12' })]);
    expect(await feeRows(njut)).toEqual([expect.objectContaining({ month: '2026-12' })]);
    const issuedNow = runs.flat().map((i) => i.customerOrgId);
    expect(issuedNow.filter((id) => id === njut)).toHaveLength(1);
    expect(issuedNow.filter((id) => id === sqi).length).toBeLessThanOrEqual(1);
  });

  it('charge rate × the bank-transfer, manual and voucher receipts, one line each, 6 % VAT inside, card left out', async () => {
    const [f] = await feesOf(tk.lab, sqi);
    expect(f).toBeTruthy();
    expect(f!.month).toBe('2026-12');
    expect(f!.rateBp).toBe(RATE_BP);
    expect(f!.regionCode).toBe('320000');
    expect(f!.base.amount).toBe(base.bank_transfer + base.manual + base.voucher);
    const inv = f!.invoice;
    expect(inv.labId).toBe(jsPlatform);
    expect(inv.customerOrgId).toBe(sqi);
    expect(inv.status).toBe('open');
    expect(inv.payee.accountName).toBe('江苏省质量基础设施一站式服务平台运营中心');
    const lines = Object.fromEntries(inv.lines.map((l) => [l.source.charge, l]));
    expect(Object.keys(lines).sort()).toEqual(['bank_transfer', 'manual', 'voucher']);
    for (const ch of ['bank_transfer', 'manual', 'voucher'] as const) {
      expect(lines[ch]!.amount.amount, ch).toBe(fee(base[ch]));
      expect(lines[ch]!.taxRate).toBe(0.06);
      expect(lines[ch]!.source.kind).toBe('platform_fee');
    }
    const total = fee(base.bank_transfer) + fee(base.manual) + fee(base.voucher);
    expect(inv.total.amount).toBe(total);
    const vat = inv.lines.reduce((s, l) => s + vatOf(l.amount.amount), 0);
    expect(inv.tax.amount).toBe(vat);
    // The platform's book: the fee is its revenue (net of output VAT), the lab owes it.
    expect(await balance(jsPlatform, 'receivable', sqi)).toBe(total);
    expect(await balance(jsPlatform, 'unbilled', sqi)).toBe(0);
    const { rows: feeLines } = await t.db.pool.query<{ s: string }>(
      `SELECT SUM(amount_fen)::bigint AS s FROM invoice_lines WHERE lab_id = $1 AND source_kind = 'platform_fee'`,
      [jsPlatform],
    );
    expect(await balance(jsPlatform, 'fee_revenue')).toBe(-(Number(feeLines[0]!.s) - (await feeVat())));
    // The lab's book: the expense, and its debt to the platform.
    expect(await balance(sqi, 'platform_fee_expense')).toBe(total);
    expect(await balance(sqi, 'platform_fee_payable', jsPlatform)).toBe(-total);
    // Nanjing: one voucher line.
    const [n] = await feesOf(tk.lab2, njut);
    expect(n!.invoice.lines.map((l) => [l.source.charge, l.amount.amount])).toEqual([['voucher', fee(1_234_57)]]);
    await expectMoneyConsistent(t.db);
  });

  it('leave labs of a region with no rate (or 0) and labs with nothing received untouched', async () => {
    expect(await feeRows(nbmetro)).toEqual([]);
    const wuxiLab = await labOf('无锡锡材新材料检测中心有限公司');
    expect(await feeRows(wuxiLab)).toEqual([]);
    const { rows } = await t.db.pool.query(
      `SELECT count(*)::int AS n FROM invoices WHERE customer_org_id IN ($1, $2) AND lab_id = $3`,
      [nbmetro, wuxiLab, jsPlatform],
    );
    expect(rows[0].n).toBe(0);
  });
});

/** Output VAT the platform booked on its fee lines. */
async function feeVat(): Promise<number> {
  const { rows } = await t.db.pool.query<{ amount_fen: string; tax_rate_bp: number }>(
    `SELECT amount_fen, tax_rate_bp FROM invoice_lines WHERE lab_id = $1 AND source_kind = 'platform_fee'`,
    [jsPlatform],
  );
  return rows.reduce((s, r) => s + Math.round((Number(r.amount_fen) * r.tax_rate_bp) / (10_000 + r.tax_rate_bp)), 0);
}

describe('paying the fee by transfer to the platform', () => {
  const upload = (body: Buffer | string, contentType: string, token = tk.admin) =>
    call(token, 'POST', `/v1/admin/platforms/${jsPlatform}/bank-statements`, body, { 'content-type': contentType });

  it('matches a GBK statement of the platform: the fee invoice paid, the lab’s payable settled from its bank', async () => {
    const [f] = await feesOf(tk.lab, sqi);
    const inv = f!.invoice;
    const bankBefore = await balance(sqi, 'bank');
    const text = statement([
      {
        sn: 'JS-0001',
        date: '2027-01-05',
        payer: '江苏省苏南产品质量监督检验研究院',
        amount: inv.total.amount,
        remark: `服务费 ${inv.paymentReference}`,
      },
      { sn: 'JS-0002', date: '2027-01-05', payer: '某某公司', amount: 1_00, remark: '往来款' },
    ]);
    const counts = ok<{ lines: number; matched: number; unmatched: number; duplicates: number }>(
      await upload(iconv.encode(text, 'gbk'), 'text/csv; charset=GBK'),
    );
    expect(counts).toMatchObject({ lines: 2, matched: 1, unmatched: 1, duplicates: 0 });
    const [paid] = await feesOf(tk.lab, sqi);
    expect(paid!.invoice.status).toBe('paid');
    expect(await balance(jsPlatform, 'receivable', sqi)).toBe(0);
    expect(await balance(sqi, 'platform_fee_payable', jsPlatform)).toBe(0);
    expect(await balance(sqi, 'bank')).toBe(bankBefore - inv.total.amount);
    // The same file again changes nothing.
    const digest = await moneyDigest(t.db);
    const again = ok<{ duplicates: number; matched: number }>(
      await upload(iconv.encode(text, 'gbk'), 'text/csv; charset=GBK'),
    );
    expect(again).toMatchObject({ duplicates: 2, matched: 0 });
    expect(await balance(sqi, 'bank')).toBe(bankBefore - inv.total.amount);
    expect((await moneyDigest(t.db)).replace(/bank_statements:\w+/, '')).toBe(
      digest.replace(/bank_statements:\w+/, ''),
    );
    await expectMoneyConsistent(t.db);
  });

  it('matches a UTF-8 statement in part, then a line matched by hand pays the rest; the lab books each payment once', async () => {
    const [f] = await feesOf(tk.lab2, njut);
    const inv = f!.invoice;
    const part = Math.floor(inv.total.amount / 2);
    const counts = ok<{ matched: number }>(
      await upload(
        statement([
          {
            sn: 'JS-0101',
            date: '2027-01-06',
            payer: '南京工程科技大学',
            amount: part,
            remark: `附言 ${inv.paymentReference}`,
          },
        ]),
        'text/csv; charset=utf-8',
      ),
    );
    expect(counts.matched).toBe(1);
    expect((await feesOf(tk.lab2, njut))[0]!.invoice.status).toBe('partially_paid');
    expect(await balance(njut, 'platform_fee_payable', jsPlatform)).toBe(-(inv.total.amount - part));
    // The rest arrives without the reference: it waits in the platform's queue, a person matches it.
    ok(
      await upload(
        statement([
          {
            sn: 'JS-0102',
            date: '2027-01-07',
            payer: '南京工程科技大学',
            amount: inv.total.amount - part,
            remark: '服务费尾款',
          },
        ]),
        'text/csv',
      ),
    );
    const queue = ok<{ items: { id: string; amount: { amount: number }; status: string }[] }>(
      await call(tk.admin, 'GET', `/v1/admin/platforms/${jsPlatform}/bank-lines?limit=100`),
    ).items;
    const line = queue.find((l) => l.amount.amount === inv.total.amount - part)!;
    expect(line).toBeTruthy();
    ok(
      await call(tk.admin, 'POST', `/v1/admin/platforms/${jsPlatform}/bank-lines/${line.id}/match`, {
        invoiceId: inv.id,
      }),
    );
    expect((await feesOf(tk.lab2, njut))[0]!.invoice.status).toBe('paid');
    expect(await balance(njut, 'platform_fee_payable', jsPlatform)).toBe(0);
    expect(await balance(njut, 'platform_fee_expense')).toBe(inv.total.amount);
    await expectMoneyConsistent(t.db);
  });
});

describe('who sees the fee invoices', () => {
  it('the lab’s members see theirs; another lab gets 404, the anonymous 401', async () => {
    expect((await feesOf(tk.operator, sqi)).map((f) => f.invoice.customerOrgId)).toEqual([sqi]);
    expectProblem(await call(tk.lab2, 'GET', `/v1/labs/${sqi}/platform-fees`), 404, 'not_found');
    expect((await t.app.inject({ method: 'GET', url: `/v1/labs/${sqi}/platform-fees` })).statusCode).toBe(401);
    // The payment notice is the lab's as the invoice's customer.
    const [f] = await feesOf(tk.lab, sqi);
    const pdf = await call(tk.lab, 'GET', `/v1/invoices/${f!.invoice.id}/pdf`);
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['content-type']).toContain('application/pdf');
    expect((await call(tk.lab2, 'GET', `/v1/invoices/${f!.invoice.id}/pdf`)).statusCode).toBe(404);
  });

  it('the admins of the lab’s region see and work them; another city’s admin gets 404, a lab 403', async () => {
    const [f] = await feesOf(tk.lab, sqi);
    const all = ok<{ items: FeeView[] }>(await call(tk.admin, 'GET', '/v1/admin/platform-fees?month=2026-12')).items;
    expect(all.map((x) => x.invoice.customerOrgId).sort()).toEqual([sqi, njut].sort());
    const openOnly = ok<{ items: FeeView[] }>(await call(tk.admin, 'GET', '/v1/admin/platform-fees?status=open')).items;
    expect(openOnly).toEqual([]);
    ok(await call(tk.admin, 'GET', `/v1/admin/platform-fees/${f!.invoice.id}`));

    const far = ok<{ items: FeeView[] }>(await call(wuxiAdmin, 'GET', '/v1/admin/platform-fees')).items;
    expect(far).toEqual([]);
    expectProblem(await call(wuxiAdmin, 'GET', `/v1/admin/platform-fees/${f!.invoice.id}`), 404, 'not_found');
    expectProblem(await call(wuxiAdmin, 'GET', `/v1/invoices/${f!.invoice.id}`), 404, 'not_found');
    expectProblem(await call(wuxiAdmin, 'GET', `/v1/admin/platforms/${jsPlatform}/bank-lines`), 404, 'not_found');
    const digest = await moneyDigest(t.db);
    expectProblem(
      await call(wuxiAdmin, 'POST', `/v1/admin/platforms/${jsPlatform}/bank-statements`, statement([]), {
        'content-type': 'text/csv',
      }),
      404,
      'not_found',
    );
    expect(await moneyDigest(t.db)).toBe(digest);
    expectProblem(await call(tk.lab, 'GET', '/v1/admin/platform-fees'), 403, 'forbidden');
    expectProblem(await call(tk.lab, 'GET', `/v1/admin/platforms/${jsPlatform}/bank-lines`), 403, 'forbidden');

    const rates = ok<{ scopes: { regionCode: string; rateBp: number }[]; items: { regionCode: string }[] }>(
      await call(tk.admin, 'GET', '/v1/admin/fee-rates'),
    );
    expect(rates.scopes).toEqual([expect.objectContaining({ regionCode: '320000', rateBp: RATE_BP })]);
    expect(rates.items.map((r) => r.regionCode)).toEqual(['320000']);
  });
});
