import { createHash, randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { PDFParse } from 'pdf-parse';
import { createJobHandlers, createRegistry, relayOutbox, toQueueJobId, type JobRegistry } from '@qihub/api/jobs';
import { invoiceMonthlyAccounts } from '@qihub/api/modules/invoices/index';
import { expectProblem, login, testClock, useSeededApp } from '../support/app.ts';
import { aLab, anOrder, api, ok, orgOf, serviceId, signIn, USERS, userIdOf, type Detail } from '../factories/index.ts';

/**
 * Billing terms (issue 11): the lab's settings and per-customer terms, and what each does —
 * prepay holds an accepted order until its invoice is paid (through the outbox), pay on delivery
 * holds the customer's report PDF (never the verification page), a monthly account (月结) is
 * invoiced once a month, once, however many workers run. Manual payments, voids and the payment
 * notice PDF; the lab's books balance after all of it.
 */
const clock = testClock(new Date('2026-11-26T02:00:00Z'));
const t = useSeededApp({ clock });

interface InvoiceView {
  id: string;
  number: string;
  status: string;
  terms: string;
  total: { amount: number };
  amountPaid: { amount: number };
  amountDue: { amount: number };
  dueDate: string;
  issuedAt: string;
  paymentReference: string;
  payee: { accountName: string; bankName: string; accountNumber: string };
  lines: { source: { kind: string; id: string } }[];
  payments: { channel: string; amount: { amount: number } }[];
}
type PayDetail = Detail & {
  awaitingPayment: boolean;
  payment: { invoiceId: string; terms: string; status: string; amountDue: { amount: number } } | null;
};

let tk: Record<'sme' | 'sme2' | 'lab' | 'lab2' | 'operator' | 'admin' | 'staff', string>;
let labId: string;
let smeOrg: string;
let sme2Org: string;
let saltSpray: string;
let call: ReturnType<typeof api>;
let registry: JobRegistry;

async function addMember(email: string, name: string, orgId: string, role: string) {
  const { rows } = await t.db.pool.query<{ id: string }>(
    `INSERT INTO users (email, password_hash, display_name)
     SELECT $1, password_hash, $2 FROM users WHERE email = $3 RETURNING id`,
    [email, name, USERS.lab],
  );
  await t.db.pool.query('INSERT INTO memberships (user_id, org_id, role) VALUES ($1, $2, $3)', [
    rows[0]!.id,
    orgId,
    role,
  ]);
  return rows[0]!.id;
}

/** The outbox relay and the jobs it dispatches, run inline (as the worker would, after commit). */
const relay = () =>
  relayOutbox(t.db.db, (topic, payload, jobId) => registry.run(topic, payload, { jobId: toQueueJobId(jobId) }));

beforeAll(async () => {
  call = api(t.app);
  labId = (await aLab(t).withDefaultOrderTerms().create()).id;
  smeOrg = await orgOf(t.db, USERS.sme);
  sme2Org = await orgOf(t.db, USERS.sme2);
  saltSpray = await serviceId(t.db, labId, '中性盐雾试验');
  await addMember('billing-staff@demo.qihub.test', '钱会计', labId, 'staff');
  tk = {
    ...(await signIn(t.app, ['sme', 'sme2', 'lab', 'lab2', 'operator', 'admin'])),
    staff: await login(t.app, 'billing-staff@demo.qihub.test'),
  };
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
const pay = (id: string, amount: number, who = tk.lab, headers: Record<string, string> = {}) =>
  call(
    who,
    'POST',
    `/v1/invoices/${id}/payments`,
    { amount, receivedOn: '2026-11-26', channel: 'bank_transfer', note: '网银' },
    headers,
  );
const detail = async (orderId: string, who = tk.sme) => ok<PayDetail>(await call(who, 'GET', `/v1/orders/${orderId}`));

async function trialBalanced() {
  const tb = ok<{ totals: { debit: { amount: number }; credit: { amount: number } } }>(
    await call(tk.lab, 'GET', `/v1/labs/${labId}/ledger/trial-balance?from=2026-01-01&to=2026-12-31`),
  );
  expect(tb.totals.debit.amount).toBe(tb.totals.credit.amount);
  expect(tb.totals.debit.amount).toBeGreaterThan(0);
}

async function auditCount(action: string) {
  const { rows } = await t.db.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM audit_log WHERE action = $1', [
    action,
  ]);
  return rows[0]!.n;
}

describe('billing settings and customer terms', () => {
  const url = () => `/v1/labs/${labId}/billing-settings`;
  const body = {
    terms: 'on_delivery',
    dueDays: 20,
    monthlyDueDays: 45,
    taxRateBp: 600,
    payee: {
      accountName: '江苏省苏南产品质量监督检验研究院',
      bankName: '中国工商银行苏州吴中支行',
      accountNumber: '1102 0207 0900 0156 378',
    },
  };

  it('the manager reads and replaces them; staff read; operators are refused; other organisations see nothing', async () => {
    const seeded = ok<typeof body & { isDefault: boolean }>(await call(tk.lab, 'GET', url()));
    expect(seeded).toMatchObject({ terms: 'on_delivery', isDefault: false });
    const saved = ok<typeof body>(await call(tk.lab, 'PUT', url(), body));
    expect(saved).toEqual({ ...body, isDefault: false });
    expect(ok(await call(tk.staff, 'GET', url()))).toEqual({ ...body, isDefault: false });
    expectProblem(await call(tk.staff, 'PUT', url(), body), 403, 'forbidden');
    expectProblem(await call(tk.operator, 'GET', url()), 403, 'forbidden');
    for (const who of [tk.lab2, tk.sme, tk.admin]) {
      expectProblem(await call(who, 'GET', url()), 404, 'not_found');
      expectProblem(await call(who, 'PUT', url(), body), 404, 'not_found');
    }
    expectProblem(await t.app.inject({ method: 'GET', url: url() }), 401, 'unauthenticated');
    expect(await auditCount('billing_settings.updated')).toBe(1);
  });

  it('refuses days beyond 0–365, tax beyond 0–2000 bp and an account number with letters, changing nothing', async () => {
    for (const bad of [
      { ...body, dueDays: 366 },
      { ...body, monthlyDueDays: -1 },
      { ...body, taxRateBp: 2001 },
      { ...body, dueDays: 1.5 },
      { ...body, terms: 'weekly' },
      { ...body, payee: { ...body.payee, accountNumber: '6222-abc' } },
    ]) {
      expectProblem(await call(tk.lab, 'PUT', url(), bad), 400, 'validation_failed');
    }
    expect(ok(await call(tk.lab, 'GET', url()))).toEqual({ ...body, isDefault: false });
    // The lab's defaults again (15 days), for the tests below.
    ok(await call(tk.lab, 'PUT', url(), { ...body, dueDays: 15, monthlyDueDays: 30 }));
  });

  it('per-customer terms: set, listed with the customer’s name, removed; unknown or own organisation refused', async () => {
    const one = `/v1/labs/${labId}/customer-terms/${smeOrg}`;
    const set = ok<{ customer: { nameZh: string }; terms: string; dueDays: number | null }>(
      await call(tk.lab, 'PUT', one, { terms: 'prepay', dueDays: 3 }),
    );
    expect(set).toMatchObject({ terms: 'prepay', dueDays: 3 });
    expect(set.customer.nameZh).not.toBe('');
    const list = ok<{ items: { customerOrgId: string; terms: string }[] }>(
      await call(tk.staff, 'GET', `/v1/labs/${labId}/customer-terms`),
    );
    // The seeded monthly account of the Wuxi enterprise, and this one.
    expect(list.items.map((i) => [i.customerOrgId, i.terms]).sort()).toEqual(
      [
        [smeOrg, 'prepay'],
        [sme2Org, 'monthly'],
      ].sort(),
    );
    expect((await call(tk.lab, 'DELETE', one)).statusCode).toBe(204);
    expectProblem(await call(tk.lab, 'DELETE', one), 404, 'not_found');
    expectProblem(await call(tk.staff, 'PUT', one, { terms: 'prepay' }), 403, 'forbidden');
    expectProblem(await call(tk.lab2, 'PUT', one, { terms: 'prepay' }), 404, 'not_found');
    expectProblem(
      await call(tk.lab, 'PUT', `/v1/labs/${labId}/customer-terms/${randomUUID()}`, { terms: 'prepay' }),
      404,
      'not_found',
    );
    expectProblem(
      await call(tk.lab, 'PUT', `/v1/labs/${labId}/customer-terms/${labId}`, { terms: 'monthly' }),
      422,
      'own_lab',
    );
    expectProblem(await call(tk.lab, 'PUT', one, { terms: 'prepay', dueDays: 400 }), 400, 'validation_failed');
    expect(await auditCount('customer_terms.updated')).toBe(1);
    expect(await auditCount('customer_terms.deleted')).toBe(1);
  });
});

describe('prepay', () => {
  it('an accepted order waits in `accepted` until its invoice is paid; the payment moves it on once', async () => {
    ok(await call(tk.lab, 'PUT', `/v1/labs/${labId}/customer-terms/${smeOrg}`, { terms: 'prepay' }));
    const accepted = (await orderBy(tk.sme).accepted()) as PayDetail;
    expect(accepted.order.status).toBe('accepted');
    expect(accepted.awaitingPayment).toBe(true);
    const invoiceId = accepted.payment!.invoiceId;
    const inv = await invoice(invoiceId, tk.sme);
    expect(inv).toMatchObject({ terms: 'prepay', status: 'open', dueDate: '2026-11-26' });
    await relay();
    expect((await detail(accepted.order.id)).order.status).toBe('accepted');

    // A customer does not record payments; another enterprise does not see the invoice.
    expectProblem(await pay(invoiceId, 100, tk.sme), 403, 'forbidden');
    expectProblem(await pay(invoiceId, 100, tk.sme2), 404, 'not_found');
    expectProblem(await pay(invoiceId, 0), 400, 'validation_failed');

    const total = inv.total.amount;
    const part = ok<InvoiceView>(await pay(invoiceId, 1000, tk.staff), 201);
    expect(part).toMatchObject({ status: 'partially_paid', amountDue: { amount: total - 1000 } });
    await relay();
    expect((await detail(accepted.order.id)).awaitingPayment).toBe(true);

    const key = { 'idempotency-key': `pay-${invoiceId}` };
    const full = await pay(invoiceId, total - 1000, tk.lab, key);
    expect(ok<InvoiceView>(full, 201)).toMatchObject({ status: 'paid', amountDue: { amount: 0 } });
    const again = await pay(invoiceId, total - 1000, tk.lab, key);
    expect(again.statusCode).toBe(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.json()).toEqual(full.json());
    expectProblem(await pay(invoiceId, 1, tk.lab, key), 422, 'idempotency_mismatch');
    expectProblem(await pay(invoiceId, 500), 409, 'invoice_not_open');
    expect((await invoice(invoiceId)).payments).toHaveLength(2);
    expect(await auditCount('invoice.payment_recorded')).toBe(2);

    // Still accepted until the outbox is relayed (after commit); then on, as acceptance would have.
    expect((await detail(accepted.order.id)).order.status).toBe('accepted');
    await relay();
    const moved = await detail(accepted.order.id);
    expect(moved.order.status).toBe('awaiting_samples');
    expect(moved.awaitingPayment).toBe(false);
    expect(moved.payment).toMatchObject({ invoiceId, status: 'paid', amountDue: { amount: 0 } });
    // A replayed job changes nothing.
    await registry.run('invoices.paid', { invoiceId }, { jobId: `invoices.paid_${invoiceId}` });
    const { rows } = await t.db.pool.query('SELECT 1 FROM order_events WHERE order_id = $1 AND action = $2', [
      accepted.order.id,
      'order.awaiting_samples',
    ]);
    expect(rows).toHaveLength(1);

    const { rows: notes } = await t.db.pool.query<{ kind: string; link: string }>(
      `SELECT n.kind, n.link FROM notifications n JOIN users u ON u.id = n.user_id
        WHERE u.email = $1 AND n.link = $2 ORDER BY n.kind`,
      [USERS.sme, `/invoices/${invoiceId}`],
    );
    expect(notes.map((n) => n.kind)).toEqual(['invoice_issued', 'invoice_paid']);
    expect((await call(tk.lab, 'DELETE', `/v1/labs/${labId}/customer-terms/${smeOrg}`)).statusCode).toBe(204);
  });
});

/** Accepted, samples in, work done and a report issued (tester: operator; reviewer: staff; signer: lab@). */
async function issuedReport(): Promise<{ orderId: string; reportId: string; code: string; invoiceId: string }> {
  const d = (await orderBy(tk.sme).started()) as PayDetail;
  const draft = ok<{ id: string; results: { lineId: string; parameterZh: string; standardCode: string }[] }>(
    await call(tk.lab, 'POST', `/v1/orders/${d.order.id}/reports`, {}),
    201,
  );
  ok(
    await call(tk.lab, 'PATCH', `/v1/reports/${draft.id}`, {
      testerId: await userIdOf(t.db, USERS.operator),
      conclusionZh: '所检项目符合要求。',
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
  ok(await call(tk.lab, 'POST', `/v1/reports/${draft.id}/submit`));
  ok(await call(tk.staff, 'POST', `/v1/reports/${draft.id}/review`, { decision: 'approve' }));
  const issued = ok<{ verificationCode: string }>(await call(tk.lab, 'POST', `/v1/reports/${draft.id}/issue`));
  return { orderId: d.order.id, reportId: draft.id, code: issued.verificationCode, invoiceId: d.payment!.invoiceId };
}

describe('pay on delivery', () => {
  it('the customer gets the report PDF once the invoice is paid; the lab and the verification page at once', async () => {
    const r = await issuedReport();
    expect((await invoice(r.invoiceId)).terms).toBe('on_delivery');
    expectProblem(await call(tk.sme, 'GET', `/v1/reports/${r.reportId}/pdf`), 402, 'payment_required');
    const lab = await call(tk.lab, 'GET', `/v1/reports/${r.reportId}/pdf`);
    expect(lab.statusCode, lab.body).toBe(200);
    expect(lab.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    const verified = await t.app.inject({ method: 'GET', url: `/v1/reports/verify/${r.code}` });
    expect(verified.statusCode, verified.body).toBe(200);
    expect(verified.json()).toMatchObject({ status: 'valid' });

    const total = (await invoice(r.invoiceId)).total.amount;
    ok(await pay(r.invoiceId, total - 1), 201);
    expectProblem(await call(tk.sme, 'GET', `/v1/reports/${r.reportId}/pdf`), 402, 'payment_required');
    ok(await pay(r.invoiceId, 1), 201);
    const mine = await call(tk.sme, 'GET', `/v1/reports/${r.reportId}/pdf`);
    expect(mine.statusCode, mine.body).toBe(200);
    expect(createHash('sha256').update(mine.rawPayload).digest('hex')).toBe(
      createHash('sha256').update(lab.rawPayload).digest('hex'),
    );
  });
});

describe('the payment notice (付款通知书)', () => {
  it('is a PDF naming the payee account and the payment reference, the same bytes every time', async () => {
    const d = (await orderBy(tk.sme).accepted()) as PayDetail;
    const inv = await invoice(d.payment!.invoiceId, tk.sme);
    const first = await call(tk.sme, 'GET', `/v1/invoices/${inv.id}/pdf`);
    expect(first.statusCode, first.body).toBe(200);
    expect(first.headers['content-type']).toBe('application/pdf');
    expect(first.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    const second = await call(tk.lab, 'GET', `/v1/invoices/${inv.id}/pdf`);
    expect(Buffer.compare(first.rawPayload, second.rawPayload)).toBe(0);
    const parser = new PDFParse({ data: new Uint8Array(first.rawPayload) });
    try {
      const text = (await parser.getText()).text.replace(/\s+/g, '');
      for (const want of ['付款通知书', inv.paymentReference, inv.number, inv.payee.bankName, '附言']) {
        expect(text).toContain(want.replace(/\s+/g, ''));
      }
      expect(text).toContain(inv.payee.accountNumber.replace(/\s+/g, ''));
    } finally {
      await parser.destroy();
    }
    for (const who of [tk.sme2, tk.lab2])
      expectProblem(await call(who, 'GET', `/v1/invoices/${inv.id}/pdf`), 404, 'not_found');
    expectProblem(await call(tk.sme, 'GET', `/v1/invoices/${randomUUID()}/pdf`), 404, 'not_found');
  });
});

describe('voiding', () => {
  it('voids an untouched invoice with reversal entries (managers only); refuses one with a payment', async () => {
    const d = (await orderBy(tk.sme).accepted()) as PayDetail;
    const id = d.payment!.invoiceId;
    expectProblem(await call(tk.staff, 'POST', `/v1/invoices/${id}/void`, { reason: '开错' }), 403, 'forbidden');
    expectProblem(await call(tk.sme, 'POST', `/v1/invoices/${id}/void`, { reason: '开错' }), 403, 'forbidden');
    expectProblem(await call(tk.lab, 'POST', `/v1/invoices/${id}/void`, { reason: '  ' }), 400, 'validation_failed');
    const voided = ok<InvoiceView>(await call(tk.lab, 'POST', `/v1/invoices/${id}/void`, { reason: '客户名称开错' }));
    expect(voided).toMatchObject({ status: 'void', amountDue: { amount: 0 }, reason: '客户名称开错' });
    expect(voided.lines).toHaveLength(1);
    expectProblem(await call(tk.lab, 'POST', `/v1/invoices/${id}/void`, { reason: '再次' }), 409, 'invoice_void');
    expectProblem(await pay(id, 100), 409, 'invoice_not_open');
    const { rows } = await t.db.pool.query<{ sum: string }>(
      `SELECT sum(e.amount_fen)::text AS sum FROM ledger_entries e WHERE e.invoice_id = $1`,
      [id],
    );
    expect(Number(rows[0]!.sum)).toBe(0);
    expect(await auditCount('invoice.voided')).toBe(1);

    const paidSome = (await orderBy(tk.sme).accepted()) as PayDetail;
    ok(await pay(paidSome.payment!.invoiceId, 500), 201);
    expectProblem(
      await call(tk.lab, 'POST', `/v1/invoices/${paidSome.payment!.invoiceId}/void`, { reason: '开错' }),
      409,
      'invoice_not_open',
    );
    await trialBalanced();
  });
});

describe('monthly accounts (月结)', () => {
  it('invoices a customer’s lines of the month before once, even with two runs at once', async () => {
    // The seeded Wuxi enterprise has a monthly account with the lab.
    const a = (await orderBy(tk.sme2).accepted()) as PayDetail;
    const b = (await orderBy(tk.sme2).accepted()) as PayDetail;
    expect(a.payment).toBeNull();
    clock.now = new Date('2026-11-30T17:00:00Z'); // 1 December, 01:00 in China: next month's line
    const c = (await orderBy(tk.sme2).accepted()) as PayDetail;
    const firstOfMonth = new Date('2026-11-30T18:30:00Z');
    const [one, two] = await Promise.all([
      invoiceMonthlyAccounts(t.db.db, firstOfMonth),
      invoiceMonthlyAccounts(t.db.db, firstOfMonth),
    ]);
    const issued = [...one!, ...two!].filter((i) => i.customerOrgId === sme2Org);
    expect(issued).toHaveLength(1);
    expect(await invoiceMonthlyAccounts(t.db.db, firstOfMonth)).toEqual([]);
    clock.now = new Date('2026-11-26T02:00:00Z');

    const inv = await invoice(issued[0]!.id, tk.sme2);
    expect(inv).toMatchObject({ terms: 'monthly', status: 'open', dueDate: '2026-12-31' });
    expect(inv.lines.map((l) => l.source.id).sort()).toEqual([a.order.id, b.order.id].sort());
    expect(inv.total.amount).toBe(a.order.total.amount + b.order.total.amount);
    expect((await detail(c.order.id, tk.sme2)).payment).toBeNull();
    const { rows } = await t.db.pool.query(
      `SELECT 1 FROM notifications n JOIN users u ON u.id = n.user_id WHERE u.email = $1 AND n.kind = 'invoice_issued'`,
      [USERS.sme2],
    );
    expect(rows.length).toBeGreaterThan(0);
    await trialBalanced();
  });
});
