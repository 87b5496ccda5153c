import ExcelJS from 'exceljs';
import { PDFParse } from 'pdf-parse';
import { beforeAll, describe, expect, it } from 'vitest';
import { createJobHandlers, createRegistry, relayOutbox, toQueueJobId, type JobRegistry } from '@qihub/api/jobs';
import { invoiceMonthlyAccounts } from '@qihub/api/modules/invoices/index';
import { expectProblem, login, testClock, useSeededApp } from '../support/app.ts';
import { aLab, anOrder, api, atTime, ok, orgOf, serviceId, signIn, USERS, type Detail } from '../factories/index.ts';

/**
 * The money modules' edges (issue 11): voiding the prepay invoice an order waits for (re-issue or
 * release, never a charge lost or billed twice), credit notes on voided invoices.
 */
const clock = testClock(new Date('2026-11-26T02:00:00Z'));
const t = useSeededApp({ clock });

interface InvoiceView {
  id: string;
  number: string;
  kind: string;
  status: string;
  terms: string;
  total: { amount: number };
  amountDue: { amount: number };
  lines: { source: { kind: string; id: string; charge: string } }[];
}
type PayDetail = Detail & {
  awaitingPayment: boolean;
  payment: { invoiceId: string; terms: string; status: string; amountDue: { amount: number } } | null;
};

let tk: Record<'sme' | 'sme2' | 'lab' | 'lab2' | 'admin', string>;
let labId: string;
let smeOrg: string;
let saltSpray: string;
let call: ReturnType<typeof api>;
let registry: JobRegistry;

const relay = () =>
  relayOutbox(t.db.db, (topic, payload, jobId) => registry.run(topic, payload, { jobId: toQueueJobId(jobId) }));

beforeAll(async () => {
  call = api(t.app);
  labId = (await aLab(t).withDefaultOrderTerms().create()).id;
  smeOrg = await orgOf(t.db, USERS.sme);
  saltSpray = await serviceId(t.db, labId, '中性盐雾试验');
  tk = await signIn(t.app, ['sme', 'sme2', 'lab', 'lab2', 'admin']);
  registry = createRegistry(
    createJobHandlers({
      db: t.db.db,
      dispatch: (topic, payload, jobId) => registry.run(topic, payload, { jobId: toQueueJobId(jobId) }),
      clock: () => clock.now,
      filesDir: t.app.ctx.config.filesDir,
      webUrl: t.app.ctx.config.publicWebUrl,
    }),
  );
});

const orderBy = (customer: string) => anOrder(t, { customer, lab: tk.lab, labId }).ofService(saltSpray, 24);
const invoice = async (id: string, who = tk.lab) => ok<InvoiceView>(await call(who, 'GET', `/v1/invoices/${id}`));
const detail = async (orderId: string, who = tk.sme) => ok<PayDetail>(await call(who, 'GET', `/v1/orders/${orderId}`));
const terms = (body: object) => call(tk.lab, 'PUT', `/v1/labs/${labId}/customer-terms/${smeOrg}`, body);
const voidIt = (id: string, body: object, who = tk.lab) => call(who, 'POST', `/v1/invoices/${id}/void`, body);

async function trialBalanced() {
  const tb = ok<{ totals: { debit: { amount: number }; credit: { amount: number } } }>(
    await call(tk.lab, 'GET', `/v1/labs/${labId}/ledger/trial-balance?from=2026-01-01&to=2026-12-31`),
  );
  expect(tb.totals.debit.amount).toBe(tb.totals.credit.amount);
}

/** The order's charge: its live line (exactly one), and what is billed for it net of voids and credits. */
async function billedNet(orderId: string) {
  const { rows: live } = await t.db.pool.query<{ invoice_id: string | null }>(
    `SELECT invoice_id FROM invoice_lines
      WHERE source_kind = 'order' AND source_id = $1 AND charge = 'order' AND superseded_at IS NULL`,
    [orderId],
  );
  expect(live).toHaveLength(1);
  // Net revenue + VAT posted for the order's lines (charges, voids, credits) in the lab's book.
  const { rows } = await t.db.pool.query<{ n: string }>(
    `SELECT COALESCE(sum(l.amount_fen), 0) AS n FROM invoice_lines l
       LEFT JOIN invoices i ON i.id = l.invoice_id
      WHERE l.source_kind = 'order' AND l.source_id = $1 AND (i.id IS NULL OR i.status <> 'void')`,
    [orderId],
  );
  return { liveInvoiceId: live[0]!.invoice_id, net: Number(rows[0]!.n) };
}

async function awaitingPrepay(): Promise<PayDetail> {
  ok(await terms({ terms: 'prepay' }));
  const d = (await orderBy(tk.sme).accepted()) as PayDetail;
  expect(d.awaitingPayment).toBe(true);
  return d;
}

describe('voiding the prepay invoice an order waits for', () => {
  it('is refused without a choice (order_awaits_invoice), changing nothing; others cannot void it', async () => {
    const d = await awaitingPrepay();
    const id = d.payment!.invoiceId;
    await expectProblem(await voidIt(id, { reason: '开错抬头' }), 409, 'order_awaits_invoice');
    await expectProblem(await voidIt(id, { reason: '开错抬头', then: 'forgive' }), 400, 'validation_failed');
    await expectProblem(await voidIt(id, { reason: '开错抬头', then: 'reissue' }, tk.sme), 403, 'forbidden');
    await expectProblem(await voidIt(id, { reason: '开错抬头', then: 'reissue' }, tk.lab2), 404, 'not_found');
    expect((await invoice(id)).status).toBe('open');
    expect((await detail(d.order.id)).awaitingPayment).toBe(true);
  });

  it('reissue: a corrected invoice with a new number; the order waits for it and goes on when it is paid', async () => {
    const d = await awaitingPrepay();
    const oldId = d.payment!.invoiceId;
    const old = await invoice(oldId);
    const voided = ok<InvoiceView>(await voidIt(oldId, { reason: '开错抬头', then: 'reissue' }));
    expect(voided.status).toBe('void');
    expect(voided.lines).toHaveLength(1);
    const after = await detail(d.order.id);
    expect(after.order.status).toBe('accepted');
    expect(after.awaitingPayment).toBe(true);
    const newId = after.payment!.invoiceId;
    expect(newId).not.toBe(oldId);
    const fresh = await invoice(newId, tk.sme);
    expect(fresh).toMatchObject({ status: 'open', terms: 'prepay', total: old.total });
    expect(fresh.number).not.toBe(old.number);
    expect(await billedNet(d.order.id)).toEqual({ liveInvoiceId: newId, net: old.total.amount });
    await relay();
    expect((await detail(d.order.id)).order.status).toBe('accepted');
    ok(
      await call(tk.lab, 'POST', `/v1/invoices/${newId}/payments`, {
        amount: fresh.total.amount,
        receivedOn: '2026-11-26',
        channel: 'bank_transfer',
      }),
      201,
    );
    await relay();
    expect((await detail(d.order.id)).order.status).toBe('awaiting_samples');
    // The void one is void for good: voiding it again is refused.
    await expectProblem(await voidIt(oldId, { reason: 'x', then: 'reissue' }), 409, 'invoice_void');
    await trialBalanced();
  });

  it('release: billed on delivery instead, and the order goes on without prepayment', async () => {
    const d = await awaitingPrepay();
    const oldId = d.payment!.invoiceId;
    const total = (await invoice(oldId)).total.amount;
    ok(await voidIt(oldId, { reason: '老客户免预付', then: 'release' }));
    const after = await detail(d.order.id);
    expect(after.payment).toMatchObject({ terms: 'on_delivery', status: 'open', amountDue: { amount: total } });
    expect(after.awaitingPayment).toBe(false);
    expect(await billedNet(d.order.id)).toEqual({ liveInvoiceId: after.payment!.invoiceId, net: total });
    expect(after.order.status).toBe('accepted');
    await relay();
    expect((await detail(d.order.id)).order.status).toBe('awaiting_samples');
    // A replayed job changes nothing.
    await relay();
    const { rows } = await t.db.pool.query('SELECT 1 FROM order_events WHERE order_id = $1 AND action = $2', [
      d.order.id,
      'order.awaiting_samples',
    ]);
    expect(rows).toHaveLength(1);
    await trialBalanced();
  });

  it('release onto a monthly account: no invoice now, the month’s invoice carries it once', async () => {
    const d = await awaitingPrepay();
    const oldId = d.payment!.invoiceId;
    const total = (await invoice(oldId)).total.amount;
    ok(await terms({ terms: 'monthly' }));
    ok(await voidIt(oldId, { reason: '转月结', then: 'release' }));
    const mid = await billedNet(d.order.id);
    expect(mid).toEqual({ liveInvoiceId: null, net: total });
    await relay();
    expect((await detail(d.order.id)).order.status).toBe('awaiting_samples');
    await invoiceMonthlyAccounts(t.db.db, new Date('2026-12-01T02:00:00Z'));
    await invoiceMonthlyAccounts(t.db.db, new Date('2026-12-01T02:00:00Z'));
    const end = await billedNet(d.order.id);
    expect(end.liveInvoiceId).not.toBeNull();
    expect(end.net).toBe(total);
    expect((await invoice(end.liveInvoiceId!)).terms).toBe('monthly');
    await trialBalanced();
    expect((await call(tk.lab, 'DELETE', `/v1/labs/${labId}/customer-terms/${smeOrg}`)).statusCode).toBe(204);
  });
});

describe('a voided invoice is not credited again', () => {
  it('cancelling an order whose invoice was voided issues no credit note and gives no customer credit', async () => {
    const d = (await orderBy(tk.sme).accepted()) as PayDetail;
    expect(d.payment!.terms).toBe('on_delivery');
    const id = d.payment!.invoiceId;
    ok(await voidIt(id, { reason: '开错' }));
    ok(await call(tk.sme, 'POST', `/v1/orders/${d.order.id}/cancel`, { reason: '项目取消' }));
    const { rows } = await t.db.pool.query('SELECT 1 FROM invoices WHERE credits_invoice_id = $1', [id]);
    expect(rows).toHaveLength(0);
    const { rows: credit } = await t.db.pool.query<{ n: string }>(
      `SELECT COALESCE(sum(e.amount_fen), 0) AS n FROM ledger_entries e JOIN ledger_accounts a ON a.id = e.account_id
        WHERE a.book_org_id = $1 AND a.code = 'customer_credit' AND a.counterparty_org_id = $2`,
      [labId, smeOrg],
    );
    expect(Number(credit[0]!.n)).toBe(0);
    await trialBalanced();
  });
});

interface Statement {
  invoices: {
    issued: { count: number; amount: { amount: number } };
    creditNotes: { count: number; amount: { amount: number } };
    net: { amount: number };
    items: { number: string; kind: string; total: { amount: number } }[];
  };
  payments: { total: { amount: number } };
}

describe('a month that credited more than it invoiced', () => {
  it('shows a negative net in the JSON, the PDF and the workbook, with totals that add up', async () => {
    // Accepted and paid in November; cancelled on 3 December: the credit note falls in December.
    const sme2Org = await orgOf(t.db, USERS.sme2);
    const sme2Terms = `/v1/labs/${labId}/customer-terms/${sme2Org}`;
    ok(await call(tk.lab, 'PUT', sme2Terms, { terms: 'on_delivery' }));
    const d = (await anOrder(t, { customer: tk.sme2, lab: tk.lab, labId })
      .ofService(saltSpray, 24)
      .accepted()) as PayDetail;
    const inv = await invoice(d.payment!.invoiceId);
    ok(
      await call(tk.lab, 'POST', `/v1/invoices/${inv.id}/payments`, {
        amount: inv.total.amount,
        receivedOn: '2026-11-26',
        channel: 'bank_transfer',
      }),
      201,
    );
    // Sessions run on the test clock: sign in again at each later time.
    await atTime(clock, '2026-12-03T02:00:00Z', async () => {
      const sme2 = await login(t.app, USERS.sme2);
      ok(await call(sme2, 'POST', `/v1/orders/${d.order.id}/cancel`, { reason: '项目取消' }));
    });
    await atTime(clock, '2027-01-01T01:00:00Z', async () => {
      tk.sme2 = await login(t.app, USERS.sme2);
      const url = `/v1/customers/${sme2Org}/statements/2026-12?labId=${labId}`;
      const s = ok<Statement>(await call(tk.sme2, 'GET', url));
      const sum = (k: string) => s.invoices.items.filter((i) => i.kind === k).reduce((a, i) => a + i.total.amount, 0);
      expect(s.invoices.creditNotes.amount.amount).toBe(-inv.total.amount);
      expect(s.invoices.creditNotes.amount.amount).toBe(sum('credit_note'));
      expect(s.invoices.issued.amount.amount).toBe(sum('invoice'));
      expect(s.invoices.net.amount).toBe(s.invoices.issued.amount.amount + s.invoices.creditNotes.amount.amount);
      expect(s.invoices.net.amount).toBeLessThan(0);

      const pdf = await call(tk.sme2, 'GET', `${url}&format=pdf`);
      expect(pdf.statusCode, pdf.body).toBe(200);
      const parser = new PDFParse({ data: new Uint8Array(pdf.rawPayload) });
      try {
        const text = (await parser.getText()).text.replace(/\s+/g, '');
        const yuan = (fen: number) => `-¥${Math.floor(-fen / 100)}.${String(-fen % 100).padStart(2, '0')}`;
        expect(text).toContain(`净额Netinvoiced${yuan(s.invoices.net.amount)}`.replace(/\s+/g, ''));
        expect(text).toContain(yuan(s.invoices.creditNotes.amount.amount));
        expect(text).not.toContain('¥-');
      } finally {
        await parser.destroy();
      }

      const xlsxType = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
      const xlsx = await call(tk.sme2, 'GET', url, undefined, { accept: xlsxType });
      expect(xlsx.statusCode).toBe(200);
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
      const summary = new Map<string, unknown>();
      wb.getWorksheet('汇总 Summary')!.eachRow((row, n) => {
        if (n > 1) summary.set(String(row.getCell(1).value), row.getCell(2).value);
      });
      expect(summary.get('红字金额 Credited')).toBe(s.invoices.creditNotes.amount.amount / 100);
      expect(summary.get('净开票额 Net invoiced')).toBe(s.invoices.net.amount / 100);
      let rows = 0;
      wb.getWorksheet('账单 Invoices')!.eachRow((row, n) => {
        if (n > 1) rows += Math.round(Number(row.getCell(6).value) * 100);
      });
      expect(rows).toBe(s.invoices.net.amount);
    });
  });
});
