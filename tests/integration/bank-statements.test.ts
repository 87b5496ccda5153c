import iconv from 'iconv-lite';
import type { LightMyRequestResponse } from 'fastify';
import { beforeAll, describe, expect, it } from 'vitest';
import { expectProblem, testClock, useSeededApp } from '../support/app.ts';
import { databaseDigest } from '../support/db.ts';
import { aLab, anOrder, api, ok, serviceId, signIn, USERS } from '../factories/index.ts';

/**
 * Bank transfers (对公转账, issue 11): a lab uploads its bank statement as CSV (UTF-8 or GBK, as
 * Chinese banks export it); lines whose remark holds an invoice's payment reference pay it, in one
 * set-based transaction; amount + payer only suggests; the rest waits for a person. The same line
 * uploaded twice changes nothing.
 */
const clock = testClock(new Date('2026-11-26T02:00:00Z'));
const t = useSeededApp({ clock });
const DAY = 24 * 3600 * 1000;

interface InvoiceView {
  id: string;
  number: string;
  status: string;
  customerOrgId: string;
  total: { amount: number };
  amountPaid: { amount: number };
  amountDue: { amount: number };
  paymentReference: string;
  lines: { source: { id: string } }[];
}
interface Counts {
  statementId: string;
  lines: number;
  matched: number;
  suggested: number;
  unmatched: number;
  duplicates: number;
}
interface BankLine {
  id: string;
  txnDate: string;
  counterparty: string;
  amount: { amount: number };
  remark: string;
  status: string;
  suggestedInvoice: { id: string; number: string; customer: { id: string; nameZh: string } } | null;
  payments: { invoiceId: string; number: string; amount: { amount: number } }[];
  note: string;
  resolvedAt: string | null;
}

let tk: { sme: string; lab: string; lab2: string };
let labId: string;
let saltSpray: string;
let customerName: string;
let call: ReturnType<typeof api>;

beforeAll(async () => {
  call = api(t.app);
  labId = (await aLab(t).withDefaultOrderTerms().create()).id;
  saltSpray = await serviceId(t.db, labId, '中性盐雾试验');
  tk = await signIn(t.app, ['sme', 'lab', 'lab2']);
  const { rows } = await t.db.pool.query<{ name_zh: string }>(
    `SELECT o.name_zh FROM organisations o JOIN memberships m ON m.org_id = o.id JOIN users u ON u.id = m.user_id
      WHERE u.email = $1`,
    [USERS.sme],
  );
  customerName = rows[0]!.name_zh;
});

/** A new open invoice: an order of the customer accepted by the lab. */
async function anOpenInvoice(): Promise<InvoiceView> {
  const d = await anOrder(t, { customer: tk.sme, lab: tk.lab, labId }).ofService(saltSpray, 24).accepted();
  return invoiceOfOrder(d.order.id);
}

async function invoiceOfOrder(orderId: string): Promise<InvoiceView> {
  const list = ok<{ items: InvoiceView[] }>(await call(tk.sme, 'GET', '/v1/invoices?limit=100'));
  const inv = list.items.find((i) => i.lines.some((l) => l.source.id === orderId));
  expect(inv, 'the accepted order has an invoice').toBeTruthy();
  return inv!;
}

async function invoice(id: string): Promise<InvoiceView> {
  return ok<InvoiceView>(await call(tk.sme, 'GET', `/v1/invoices/${id}`));
}

/** "1,234.50": yuan as banks write them. */
function yuan(fen: number): string {
  const whole = Math.floor(fen / 100).toLocaleString('en-US');
  return `${whole}.${String(fen % 100).padStart(2, '0')}`;
}

const cell = (v: string) => (/[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
const csvText = (rows: string[][]) => rows.map((r) => r.map(cell).join(',')).join('\r\n') + '\r\n';

function upload(body: Buffer | string, contentType = 'text/csv', token = tk.lab, lab = labId) {
  return call(token, 'POST', `/v1/labs/${lab}/bank-statements`, body, { 'content-type': contentType });
}

async function uploaded(res: LightMyRequestResponse): Promise<Counts> {
  return ok<Counts>(res);
}

async function bankLines(query = ''): Promise<BankLine[]> {
  return ok<{ items: BankLine[] }>(await call(tk.lab, 'GET', `/v1/labs/${labId}/bank-lines?limit=100${query}`)).items;
}

async function trialBalanced() {
  const tb = ok<{ totals: { debit: { amount: number }; credit: { amount: number } } }>(
    await call(tk.lab, 'GET', `/v1/labs/${labId}/ledger/trial-balance?from=2026-01-01&to=2026-12-31`),
  );
  expect(tb.totals.debit.amount).toBe(tb.totals.credit.amount);
}

const MONEY_TABLES = [
  'invoices',
  'payments',
  'ledger_accounts',
  'ledger_transactions',
  'ledger_entries',
  'bank_statement_lines',
  'outbox',
];

/** An ICBC-style UTF-8 export: preamble, 收入/支出 columns, 交易流水号, a total row. */
function icbcStatement(
  lines: { sn?: string; date: string; payer: string; credit?: number; debit?: number; remark: string }[],
) {
  return csvText([
    ['中国工商银行 账户明细'],
    ['账号', '6222020000001234567'],
    ['起止日期', '2026-11-01', '2026-11-30'],
    [],
    ['交易日期', '交易流水号', '对方户名', '对方账号', '摘要', '支出金额', '收入金额', '余额'],
    ...lines.map((l) => [
      l.date,
      l.sn ?? '',
      l.payer,
      '6228480000000000001',
      l.remark,
      l.debit ? yuan(l.debit) : '',
      l.credit ? yuan(l.credit) : '',
      '88,000.00',
    ]),
    ['合计', '', '', '', '', '0.00', '99,999.00', ''],
  ]);
}

describe('uploading a statement', () => {
  it('reads a GBK export with a signed amount and 借贷标志: full and part payments, debits and totals skipped', async () => {
    const a = await anOpenInvoice();
    const b = await anOpenInvoice();
    const part = Math.floor(b.amountDue.amount / 3);
    const gbk = iconv.encode(
      csvText([
        ['招商银行 交易明细查询'],
        ['账户名称', '苏州检测研究院'],
        ['交易日期', '对方户名', '交易金额', '借贷标志', '附言'],
        // A full-width, lower-case reference still names the invoice (NFKC, case-insensitive).
        [
          '2026-11-20',
          customerName,
          yuan(a.amountDue.amount),
          '贷',
          `货款 ${a.paymentReference.toLowerCase().replace(/[a-z0-9]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0))}`,
        ],
        ['20261121', customerName, yuan(part), '贷', `首付款${b.paymentReference}`],
        ['2026/11/22', '苏州供电公司', `-${yuan(35_000)}`, '借', '电费'],
        ['2026/11/22', '中国建设银行', yuan(1_234), '贷', '结息'],
        ['本页合计', '', yuan(a.amountDue.amount + part + 1_234), '', ''],
      ]),
      'gbk',
    );
    const counts = await uploaded(await upload(gbk, 'text/csv; charset=GBK'));
    expect(counts).toMatchObject({ lines: 3, matched: 2, suggested: 0, unmatched: 1, duplicates: 0 });

    const paid = await invoice(a.id);
    expect(paid.status).toBe('paid');
    expect(paid.amountDue.amount).toBe(0);
    const partly = await invoice(b.id);
    expect(partly.status).toBe('partially_paid');
    expect(partly.amountPaid.amount).toBe(part);
    expect(partly.amountDue.amount).toBe(b.amountDue.amount - part);

    const interest = (await bankLines()).find((l) => l.remark === '结息');
    expect(interest).toMatchObject({ txnDate: '2026-11-22', status: 'unmatched', amount: { amount: 1_234 } });
    const matched = await bankLines('&status=matched');
    expect(matched.find((l) => l.txnDate === '2026-11-21')!.payments).toEqual([
      { invoiceId: b.id, number: b.number, amount: { amount: part, currency: 'CNY' } },
    ]);
    const { rows } = await t.db.pool.query(`SELECT topic, payload FROM outbox WHERE dedupe_key = $1`, [
      `invoices.paid:${a.id}`,
    ]);
    expect(rows).toEqual([{ topic: 'invoices.paid', payload: { invoiceId: a.id } }]);
    await trialBalanced();
  });

  it('reads a UTF-8 export without a charset: "1,234.50" amounts, all three date forms, two references oldest first', async () => {
    const older = await anOpenInvoice();
    clock.advance(DAY);
    const newer = await anOpenInvoice();
    const extra = Math.floor(newer.amountDue.amount / 2);
    const text = icbcStatement([
      {
        sn: 'ICBC-0001',
        date: '20261123',
        payer: customerName,
        credit: older.amountDue.amount + extra,
        remark: `${newer.paymentReference} ${older.paymentReference}`,
      },
      { sn: 'ICBC-0002', date: '2026/11/23', payer: '苏州某贸易公司', credit: 123_450, remark: '往来款' },
      { sn: 'ICBC-0003', date: '2026-11-24', payer: '某物业公司', debit: 50_000, remark: '物业费' },
    ]);
    const counts = await uploaded(await upload(Buffer.from(text, 'utf8')));
    expect(counts).toMatchObject({ lines: 2, matched: 1, suggested: 0, unmatched: 1, duplicates: 0 });
    expect((await invoice(older.id)).status).toBe('paid');
    const n = await invoice(newer.id);
    expect(n.status).toBe('partially_paid');
    expect(n.amountPaid.amount).toBe(extra);
    const trade = (await bankLines()).find((l) => l.remark === '往来款')!;
    expect(trade).toMatchObject({ txnDate: '2026-11-23', amount: { amount: 123_450 } });

    // The same file again: every line a duplicate, nothing about money changed.
    const before = await databaseDigest(t.db, MONEY_TABLES);
    const again = await uploaded(await upload(Buffer.from(text, 'utf8'), 'text/csv; charset=utf-8'));
    expect(again).toMatchObject({ lines: 2, matched: 0, suggested: 0, unmatched: 0, duplicates: 2 });
    expect(await databaseDigest(t.db, MONEY_TABLES)).toEqual(before);
    await trialBalanced();
  });

  it('counts two genuine identical transfers in one file twice, and neither again on a second upload', async () => {
    const inv = await anOpenInvoice();
    const quarter = Math.floor(inv.amountDue.amount / 4);
    const row = { date: '2026-11-25', payer: customerName, credit: quarter, remark: `分期 ${inv.paymentReference}` };
    const text = icbcStatement([row, row]);
    expect(await uploaded(await upload(text))).toMatchObject({ lines: 2, matched: 2, duplicates: 0 });
    expect((await invoice(inv.id)).amountPaid.amount).toBe(2 * quarter);
    const before = await databaseDigest(t.db, MONEY_TABLES);
    expect(await uploaded(await upload(text))).toMatchObject({ lines: 2, matched: 0, duplicates: 2 });
    expect(await databaseDigest(t.db, MONEY_TABLES)).toEqual(before);
  });

  it('pays once when the same file is uploaded twice at the same moment', async () => {
    const inv = await anOpenInvoice();
    const text = icbcStatement([
      {
        sn: 'RACE-1',
        date: '2026-11-25',
        payer: customerName,
        credit: inv.amountDue.amount,
        remark: inv.paymentReference,
      },
    ]);
    const results = (await Promise.all([upload(text), upload(text)])).map((r) => ok<Counts>(r));
    expect(results.reduce((s, r) => s + r.matched, 0)).toBe(1);
    expect(results.reduce((s, r) => s + r.duplicates, 0)).toBe(1);
    const { rows } = await t.db.pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM payments WHERE invoice_id = $1`,
      [inv.id],
    );
    expect(rows[0]!.n).toBe(1);
    expect((await invoice(inv.id)).status).toBe('paid');
  });

  it('three uploads at once of a file without 交易流水号 pay once', async () => {
    const inv = await anOpenInvoice();
    const text = icbcStatement([
      { date: '2026-11-25', payer: customerName, credit: inv.amountDue.amount, remark: `RACE ${inv.paymentReference}` },
    ]);
    const results = (await Promise.all([upload(text), upload(text), upload(text)])).map((r) => ok<Counts>(r));
    expect(results.map((r) => r.matched).sort()).toEqual([0, 0, 1]);
    const { rows } = await t.db.pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM payments WHERE invoice_id = $1`,
      [inv.id],
    );
    expect(rows[0]!.n).toBe(1);
    await trialBalanced();
  });
});

describe('the queue', () => {
  it('suggests by amount and payer name (full-width, padded), and a person confirms it', async () => {
    const inv = await anOpenInvoice();
    const text = icbcStatement([
      { date: '2026-11-25', payer: `\u3000${customerName}\u3000`, credit: inv.amountDue.amount, remark: '检测费' },
    ]);
    expect(await uploaded(await upload(text))).toMatchObject({ lines: 1, suggested: 1, matched: 0 });
    expect((await invoice(inv.id)).status).toBe('open');
    const line = (await bankLines('&status=suggested')).find((l) => l.suggestedInvoice?.id === inv.id)!;
    expect(line.suggestedInvoice).toMatchObject({ number: inv.number, customer: { id: inv.customerOrgId } });

    const done = ok<BankLine>(
      await call(tk.lab, 'POST', `/v1/labs/${labId}/bank-lines/${line.id}/match`, { invoiceId: inv.id }),
    );
    expect(done.status).toBe('resolved');
    expect(done.payments).toEqual([{ invoiceId: inv.id, number: inv.number, amount: inv.amountDue }]);
    expect((await invoice(inv.id)).status).toBe('paid');
    const audit = await t.db.pool.query(`SELECT action FROM audit_log WHERE entity_id = $1`, [line.id]);
    expect(audit.rows).toEqual([{ action: 'bank_line.matched' }]);
    await expectProblem(
      await call(tk.lab, 'POST', `/v1/labs/${labId}/bank-lines/${line.id}/match`, { invoiceId: inv.id }),
      409,
      'line_already_resolved',
    );
    expect((await bankLines()).some((l) => l.id === line.id)).toBe(false);
    await trialBalanced();
  });

  it('dismisses a line that is no customer payment, with a note', async () => {
    const interest = (await bankLines()).find((l) => l.remark === '结息')!;
    const done = ok<BankLine>(
      await call(tk.lab, 'POST', `/v1/labs/${labId}/bank-lines/${interest.id}/dismiss`, { note: '银行结息' }),
    );
    expect(done).toMatchObject({ status: 'resolved', note: '银行结息', payments: [] });
    expect(done.resolvedAt).not.toBeNull();
    await expectProblem(
      await call(tk.lab, 'POST', `/v1/labs/${labId}/bank-lines/${interest.id}/dismiss`, { note: '再次' }),
      409,
      'line_already_resolved',
    );
    const resolved = await bankLines('&status=resolved');
    expect(resolved.map((l) => l.id)).toContain(interest.id);
  });

  it('matches a line by hand to an invoice of this lab only', async () => {
    const trade = (await bankLines()).find((l) => l.remark === '往来款')!;
    const { rows } = await t.db.pool.query<{ id: string }>(
      `SELECT id FROM invoices WHERE lab_id <> $1 AND kind = 'invoice' LIMIT 1`,
      [labId],
    );
    if (rows[0]) {
      await expectProblem(
        await call(tk.lab, 'POST', `/v1/labs/${labId}/bank-lines/${trade.id}/match`, { invoiceId: rows[0].id }),
        404,
        'not_found',
      );
    }
    const paidInvoice = await t.db.pool.query<{ id: string }>(
      `SELECT id FROM invoices WHERE lab_id = $1 AND status = 'paid' AND kind = 'invoice' LIMIT 1`,
      [labId],
    );
    await expectProblem(
      await call(tk.lab, 'POST', `/v1/labs/${labId}/bank-lines/${trade.id}/match`, {
        invoiceId: paidInvoice.rows[0]!.id,
      }),
      409,
      'invoice_not_open',
    );
  });
});

describe('who may, and bad files', () => {
  it('answers 404 to another lab’s member and the lab’s customer, 401 to the anonymous; nothing changes', async () => {
    const line = (await bankLines())[0]!;
    const before = await databaseDigest(t.db, [...MONEY_TABLES, 'bank_statements', 'audit_log']);
    const text = icbcStatement([{ date: '2026-11-25', payer: 'x', credit: 100, remark: 'x' }]);
    for (const who of [tk.lab2, tk.sme]) {
      await expectProblem(await upload(text, 'text/csv', who), 404, 'not_found');
      await expectProblem(await call(who, 'GET', `/v1/labs/${labId}/bank-lines`), 404, 'not_found');
      const inv = line.suggestedInvoice?.id ?? line.id;
      await expectProblem(
        await call(who, 'POST', `/v1/labs/${labId}/bank-lines/${line.id}/match`, { invoiceId: inv }),
        404,
        'not_found',
      );
      await expectProblem(
        await call(who, 'POST', `/v1/labs/${labId}/bank-lines/${line.id}/dismiss`, { note: 'x' }),
        404,
        'not_found',
      );
    }
    const anon = await t.app.inject({
      method: 'POST',
      url: `/v1/labs/${labId}/bank-statements`,
      headers: { 'content-type': 'text/csv' },
      payload: text,
    });
    expectProblem(anon, 401, 'unauthenticated');
    expect(await databaseDigest(t.db, [...MONEY_TABLES, 'bank_statements', 'audit_log'])).toEqual(before);
  });

  it('refuses a file without the needed columns, an unreadable one and a JSON body, changing nothing', async () => {
    const before = await databaseDigest(t.db, [...MONEY_TABLES, 'bank_statements', 'audit_log']);
    const noCredit = csvText([
      ['交易日期', '对方户名', '摘要'],
      ['2026-11-25', customerName, 'x'],
    ]);
    const missing = expectProblem(await upload(noCredit), 422, 'statement_columns_missing');
    expect(missing.errors?.map((e) => e.path)).toEqual(['/columns/收入金额']);
    expectProblem(
      await upload(
        csvText([
          ['账号', '123'],
          ['余额', '5'],
        ]),
      ),
      422,
      'statement_columns_missing',
    );
    expectProblem(await upload(Buffer.from([0, 1, 2, 0xff, 0xfe, 0])), 422, 'unreadable_statement');
    expectProblem(
      await upload(
        csvText([
          ['交易日期', '对方户名', '收入金额', '摘要'],
          ['2026-11-25', customerName, '12.345', 'x'],
        ]),
      ),
      422,
      'unreadable_statement',
    );
    expectProblem(await upload(Buffer.from('交易日期'), 'text/csv; charset=latin-9'), 422, 'unreadable_statement');
    const json = await call(tk.lab, 'POST', `/v1/labs/${labId}/bank-statements`, { lines: [] });
    expectProblem(json, 415, 'unsupported_media_type');
    expect(await databaseDigest(t.db, [...MONEY_TABLES, 'bank_statements', 'audit_log'])).toEqual(before);
  });
});

describe('over-payment', () => {
  it('becomes the customer’s credit, applied to the next invoice', async () => {
    const inv = await anOpenInvoice();
    const over = 5_000;
    const text = icbcStatement([
      {
        sn: 'OVER-1',
        date: '2026-11-26',
        payer: customerName,
        credit: inv.amountDue.amount + over,
        remark: inv.paymentReference,
      },
    ]);
    expect(await uploaded(await upload(text))).toMatchObject({ matched: 1 });
    const paid = await invoice(inv.id);
    expect(paid.status).toBe('paid');
    expect(paid.amountPaid.amount).toBe(inv.amountDue.amount);
    const next = await anOpenInvoice();
    expect(next.amountPaid.amount).toBe(over);
    expect(next.status).toBe('partially_paid');
    await trialBalanced();
  });
});
