import { amountDue, credit, lockInvoiceForVoucher, recordPayment } from '@qihub/api/modules/invoices/index';
import { beforeAll, describe, expect, it } from 'vitest';
import { expectProblem, testClock, useSeededApp } from '../support/app.ts';
import { aLab, anOrder, api, ok, serviceId, signIn } from '../factories/index.ts';

/**
 * Credit notes on invoices with an innovation voucher share (创新券, issue 11): the programme's part
 * falls with the fee (min(share × what is left, its part)), the quota comes back, the programme's
 * receivable follows, a filed claim shrinks with it — or, once the programme has paid it, the
 * credit is refused. Under concurrent credits and uses the quota never goes below zero nor leaks.
 */
const clock = testClock(new Date('2026-11-26T02:00:00Z'));
const t = useSeededApp({ clock });

interface Programme {
  id: string;
  shareBp: number;
  issuer: { id: string };
}
interface InvoiceView {
  id: string;
  status: string;
  total: { amount: number };
  voucherShare: { amount: number };
  amountDue: { amount: number };
  lines: { source: { kind: string; id: string; charge: string } }[];
}

let tk: Record<'sme' | 'lab' | 'admin', string>;
let labId: string;
let saltSpray: string;
let call: ReturnType<typeof api>;

beforeAll(async () => {
  call = api(t.app);
  labId = (await aLab(t).withDefaultOrderTerms().create()).id;
  saltSpray = await serviceId(t.db, labId, '中性盐雾试验');
  tk = await signIn(t.app, ['sme', 'lab', 'admin']);
});

let seq = 0;
async function aProgramme(shareBp = 5000): Promise<Programme> {
  seq += 1;
  return ok<Programme>(
    await call(tk.admin, 'POST', '/v1/admin/voucher-programmes', {
      nameZh: `红字测试创新券 ${seq}`,
      nameEn: `Credit test vouchers ${seq}`,
      shareBp,
      cap: { amount: 50_000_000, currency: 'CNY' },
      eligibleKinds: ['commissioned_test', 'instrument_time', 'outsourced_experiment'],
      validFrom: '2026-01-01',
      validTo: '2026-12-31',
    }),
    201,
  );
}

async function aQuota(p: Programme, quota: number): Promise<string> {
  const applied = ok<{ id: string }>(
    await call(tk.sme, 'POST', '/v1/voucher-applications', {
      programmeId: p.id,
      amount: { amount: quota, currency: 'CNY' },
      purpose: '新产品定型检测',
    }),
    201,
  );
  ok(
    await call(tk.admin, 'POST', `/v1/admin/voucher-applications/${applied.id}/approve`, {
      quota: { amount: quota, currency: 'CNY' },
    }),
  );
  return applied.id;
}

async function anInvoice(): Promise<{ orderId: string; invoice: InvoiceView }> {
  const d = await anOrder(t, { customer: tk.sme, lab: tk.lab, labId }).ofService(saltSpray, 24).accepted();
  const list = ok<{ items: InvoiceView[] }>(await call(tk.sme, 'GET', `/v1/invoices?limit=100`));
  const invoice = list.items.find((i) =>
    i.lines.some((l) => l.source.id === d.order.id && l.source.charge === 'order'),
  );
  return { orderId: d.order.id, invoice: invoice! };
}

const invoiceOf = async (id: string) => ok<InvoiceView>(await call(tk.sme, 'GET', `/v1/invoices/${id}`));
const useVoucher = (invoiceId: string, applicationId: string) =>
  call(tk.sme, 'POST', `/v1/invoices/${invoiceId}/voucher`, { applicationId });

async function payRest(invoiceId: string) {
  await t.app.ctx.db.transaction(async (tx) => {
    const inv = (await lockInvoiceForVoucher(tx, invoiceId))!;
    await recordPayment(tx, inv, {
      amount: amountDue(inv),
      channel: 'bank_transfer',
      receivedOn: '2026-11-26',
      at: clock.now,
    });
  });
}

/** A discount on the order, as a credit note of `amount` against its invoice. */
function discount(orderId: string, amount: number, charge = `discount-${++seq}`) {
  return t.app.ctx.db.transaction((tx) =>
    credit(tx, {
      source: { kind: 'order', id: orderId },
      original: 'order',
      charge,
      descriptionZh: '优惠',
      descriptionEn: 'Discount',
      amount,
      reason: '价格调整 (price adjusted)',
      at: clock.now,
    }),
  );
}

async function remainingOf(applicationId: string): Promise<{ quota: number; remaining: number; used: number }> {
  const { rows } = await t.db.pool.query<{ quota: string; remaining: string; used: string }>(
    `SELECT a.quota_fen AS quota, a.remaining_fen AS remaining,
            (SELECT COALESCE(sum(amount_fen), 0) FROM voucher_uses u WHERE u.application_id = a.id AND u.status = 'applied') AS used
       FROM voucher_applications a WHERE a.id = $1`,
    [applicationId],
  );
  const r = rows[0]!;
  return { quota: Number(r.quota), remaining: Number(r.remaining), used: Number(r.used) };
}

/** Debit − credit of the lab's voucher receivable from the programme's issuer. */
async function voucherReceivable(issuer: string): Promise<number> {
  const { rows } = await t.db.pool.query<{ n: string }>(
    `SELECT COALESCE(sum(e.amount_fen), 0) AS n FROM ledger_entries e JOIN ledger_accounts a ON a.id = e.account_id
      WHERE a.book_org_id = $1 AND a.code = 'voucher_receivable' AND a.counterparty_org_id = $2`,
    [labId, issuer],
  );
  return Number(rows[0]!.n);
}

async function trialBalanced() {
  const tb = ok<{ totals: { debit: { amount: number }; credit: { amount: number } } }>(
    await call(tk.lab, 'GET', `/v1/labs/${labId}/ledger/trial-balance?from=2026-01-01&to=2026-12-31`),
  );
  expect(tb.totals.debit.amount).toBe(tb.totals.credit.amount);
}

describe('a credit note on an invoice with a voucher share', () => {
  it('cancelling the order gives the whole share back: quota restored, programme owes nothing, invoice void', async () => {
    const p = await aProgramme();
    const q = await aQuota(p, 10_000_000);
    const { orderId, invoice } = await anInvoice();
    ok(await useVoucher(invoice.id, q));
    const share = (await invoiceOf(invoice.id)).voucherShare.amount;
    expect(share).toBeGreaterThan(0);
    expect((await remainingOf(q)).remaining).toBe(10_000_000 - share);
    expect(await voucherReceivable(p.issuer.id)).toBe(share);
    ok(await call(tk.sme, 'POST', `/v1/orders/${orderId}/cancel`, { reason: '项目取消' }));
    const after = await invoiceOf(invoice.id);
    expect(after).toMatchObject({ status: 'void', voucherShare: { amount: 0 }, amountDue: { amount: 0 } });
    expect(await remainingOf(q)).toEqual({ quota: 10_000_000, remaining: 10_000_000, used: 0 });
    expect(await voucherReceivable(p.issuer.id)).toBe(0);
    await trialBalanced();
  });

  it('once the programme has paid the claim, a credit that would take its part down is refused and changes nothing', async () => {
    const p = await aProgramme();
    const q = await aQuota(p, 10_000_000);
    const { orderId, invoice } = await anInvoice();
    ok(await useVoucher(invoice.id, q));
    await payRest(invoice.id);
    await t.db.pool.query(`UPDATE orders SET status = 'report_issued' WHERE id = $1`, [orderId]);
    const claim = ok<{ id: string; amount: { amount: number } }>(
      await call(tk.lab, 'POST', `/v1/labs/${labId}/voucher-claims`, { invoiceId: invoice.id }),
      201,
    );
    ok(await call(tk.admin, 'POST', `/v1/admin/voucher-claims/${claim.id}/approve`));
    ok(
      await call(tk.admin, 'POST', `/v1/admin/voucher-claims/${claim.id}/payments`, {
        amount: claim.amount,
        receivedOn: '2026-11-26',
      }),
    );
    const before = await invoiceOf(invoice.id);
    await expect(discount(orderId, 1000)).rejects.toMatchObject({ code: 'voucher_claim_paid' });
    expect(await invoiceOf(invoice.id)).toEqual(before);
    expect((await remainingOf(q)).used).toBe(claim.amount.amount);
  });
});

describe('concurrent credits and uses of one quota', () => {
  it(
    'never takes the quota below zero, and what is left plus what is used is always the quota',
    { timeout: 180_000 },
    async () => {
      const p = await aProgramme();
      const first = await anInvoice();
      const share = Math.floor((first.invoice.total.amount * 5000) / 10_000);
      // Room for two shares: one already used, two more invoices compete while the first is credited.
      const q = await aQuota(p, 2 * share);
      const base = await voucherReceivable(p.issuer.id);
      ok(await useVoucher(first.invoice.id, q));
      for (let round = 0; round < 3; round++) {
        const others = [await anInvoice(), await anInvoice()];
        const credited = round === 0 ? first : await anInvoice();
        if (round > 0) await useVoucher(credited.invoice.id, q);
        const results = await Promise.allSettled([
          call(tk.sme, 'POST', `/v1/orders/${credited.orderId}/cancel`, { reason: '项目取消' }),
          ...others.map((o) => useVoucher(o.invoice.id, q)),
        ]);
        for (const r of results) {
          expect(r.status).toBe('fulfilled');
          if (r.status === 'fulfilled') expect([200, 201, 409]).toContain(r.value.statusCode);
        }
        const s = await remainingOf(q);
        expect(s.remaining).toBeGreaterThanOrEqual(0);
        expect(s.remaining + s.used).toBe(s.quota);
        expect(await voucherReceivable(p.issuer.id)).toBe(base + s.used);
      }
      await trialBalanced();
    },
  );
});

const cell = (v: string) => (/[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
const csvText = (rows: string[][]) => rows.map((r) => r.map(cell).join(',')).join('\r\n') + '\r\n';

describe('the programme’s transfer on the lab’s bank statement', () => {
  it('pays the approved claim whose invoice number the issuer’s remark names — once, as the manual payment books it', async () => {
    const p = await aProgramme();
    const q = await aQuota(p, 10_000_000);
    const base = await voucherReceivable(p.issuer.id);
    const { orderId, invoice } = await anInvoice();
    ok(await useVoucher(invoice.id, q));
    await payRest(invoice.id);
    await t.db.pool.query(`UPDATE orders SET status = 'report_issued' WHERE id = $1`, [orderId]);
    const claim = ok<{ id: string; amount: { amount: number } }>(
      await call(tk.lab, 'POST', `/v1/labs/${labId}/voucher-claims`, { invoiceId: invoice.id }),
      201,
    );
    const share = claim.amount.amount;
    const { rows: org } = await t.db.pool.query<{ name_zh: string }>(
      'SELECT name_zh FROM organisations WHERE id = $1',
      [p.issuer.id],
    );
    const issuer = org[0]!.name_zh;
    const yuan = (fen: number) => `${Math.floor(fen / 100)}.${String(fen % 100).padStart(2, '0')}`;
    const number = (
      await t.db.pool.query<{ number: string }>('SELECT number FROM invoices WHERE id = $1', [invoice.id])
    ).rows[0]!.number;
    const csv = csvText([
      ['交易日期', '交易流水号', '对方户名', '对方账号', '摘要', '收入金额'],
      // Before approval nothing is paid: the claim is only submitted.
      ['2026-11-25', 'VCH-0', issuer, '3201 0000 0001', `创新券兑付 ${number}`, yuan(share)],
    ]);
    const early = ok<{ matched: number; unmatched: number }>(
      await call(tk.lab, 'POST', `/v1/labs/${labId}/bank-statements`, csv, { 'content-type': 'text/csv' }),
    );
    expect(early).toMatchObject({ matched: 0 });
    ok(await call(tk.admin, 'POST', `/v1/admin/voucher-claims/${claim.id}/approve`));
    const file = csvText([
      ['交易日期', '交易流水号', '对方户名', '对方账号', '摘要', '收入金额'],
      // The programme's transfer: its name (full-width spaces around it), the invoice number in the remark.
      [
        '2026-11-26',
        'VCH-1',
        `\u3000${issuer}\u3000`,
        '3201 0000 0001',
        `创新券兑付 ${number.toLowerCase()} 款`,
        yuan(share),
      ],
      // A second transfer naming the same claim: nothing is left open on it.
      ['2026-11-26', 'VCH-2', issuer, '3201 0000 0001', `创新券兑付 ${number}`, yuan(100)],
      // Someone else naming the number is not the programme.
      ['2026-11-26', 'VCH-3', '某某公司', '6222 0000', `${number}`, yuan(share)],
    ]);
    const counts = ok<{ lines: number; matched: number }>(
      await call(tk.lab, 'POST', `/v1/labs/${labId}/bank-statements`, file, { 'content-type': 'text/csv' }),
    );
    expect(counts).toMatchObject({ lines: 3, matched: 1 });
    const { rows } = await t.db.pool.query<{ status: string; paid_fen: string }>(
      'SELECT status, paid_fen FROM voucher_claims WHERE id = $1',
      [claim.id],
    );
    expect(rows[0]).toEqual({ status: 'paid', paid_fen: String(share) });
    const { rows: pays } = await t.db.pool.query<{ amount_fen: string; key: string }>(
      `SELECT p.amount_fen, l.line_key AS key FROM voucher_claim_payments p JOIN bank_statement_lines l ON l.id = p.bank_line_id
        WHERE p.claim_id = $1`,
      [claim.id],
    );
    expect(pays.map((r) => Number(r.amount_fen))).toEqual([share]);
    expect(await voucherReceivable(p.issuer.id)).toBe(base);
    // The same file again changes nothing; the manual payment finds nothing left to pay.
    const again = ok<{ matched: number; duplicates: number }>(
      await call(tk.lab, 'POST', `/v1/labs/${labId}/bank-statements`, file, { 'content-type': 'text/csv' }),
    );
    expect(again).toMatchObject({ matched: 0, duplicates: 3 });
    await expectProblem(
      await call(tk.admin, 'POST', `/v1/admin/voucher-claims/${claim.id}/payments`, {
        amount: { amount: 1, currency: 'CNY' },
        receivedOn: '2026-11-26',
      }),
      409,
      'illegal_transition',
    );
    expect(await voucherReceivable(p.issuer.id)).toBe(base);
    await trialBalanced();
  });
});

// Last: the discount leaves the customer a credit with the lab, which later invoices would spend.
describe('a partial credit note', () => {
  it('a partial credit takes the programme’s part down in proportion, and the filed claim with it', async () => {
    const p = await aProgramme(6000);
    const q = await aQuota(p, 10_000_000);
    // The programme's issuer is the region's platform, which earlier tests' programmes share.
    const base = await voucherReceivable(p.issuer.id);
    const { orderId, invoice } = await anInvoice();
    ok(await useVoucher(invoice.id, q));
    await payRest(invoice.id);
    // The work is done: the lab files its claim.
    await t.db.pool.query(`UPDATE orders SET status = 'report_issued' WHERE id = $1`, [orderId]);
    const claim = ok<{ id: string; amount: { amount: number } }>(
      await call(tk.lab, 'POST', `/v1/labs/${labId}/voucher-claims`, { invoiceId: invoice.id }),
      201,
    );
    const total = invoice.total.amount;
    const share = Math.floor((total * 6000) / 10_000);
    expect(claim.amount.amount).toBe(share);
    const off = Math.floor(total / 4);
    const note = (await discount(orderId, off))!.creditNote!;
    const part = Math.floor(((total - off) * 6000) / 10_000);
    const after = await invoiceOf(invoice.id);
    expect(after.voucherShare.amount).toBe(part);
    expect(after.amountDue.amount).toBe(0);
    expect(await remainingOf(q)).toEqual({ quota: 10_000_000, remaining: 10_000_000 - part, used: part });
    expect(await voucherReceivable(p.issuer.id)).toBe(base + part);
    const { rows } = await t.db.pool.query<{ amount_fen: string; status: string }>(
      'SELECT amount_fen, status FROM voucher_claims WHERE id = $1',
      [claim.id],
    );
    expect(rows[0]).toEqual({ amount_fen: String(part), status: 'submitted' });
    // The customer's part of the discount (it had paid) is its credit with the lab.
    const { rows: cc } = await t.db.pool.query<{ code: string; n: string }>(
      `SELECT a.code, sum(e.amount_fen) AS n FROM ledger_entries e JOIN ledger_accounts a ON a.id = e.account_id
         JOIN ledger_transactions x ON x.id = e.transaction_id
        WHERE x.source_kind = 'invoice' AND x.source_id = $1 AND a.code IN ('customer_credit', 'voucher_receivable')
        GROUP BY a.code ORDER BY a.code`,
      [note.id],
    );
    expect(cc.map((r) => [r.code, Number(r.n)])).toEqual([
      ['customer_credit', -(off - (share - part))],
      ['voucher_receivable', -(share - part)],
    ]);
    // The programme approves and pays the reduced claim: it owes the lab nothing more.
    ok(await call(tk.admin, 'POST', `/v1/admin/voucher-claims/${claim.id}/approve`));
    ok(
      await call(tk.admin, 'POST', `/v1/admin/voucher-claims/${claim.id}/payments`, {
        amount: { amount: part, currency: 'CNY' },
        receivedOn: '2026-11-26',
      }),
    );
    expect(await voucherReceivable(p.issuer.id)).toBe(base);
    await trialBalanced();
  });
});

describe('bad input', () => {
  it('a voucher on an unknown invoice is 404', async () => {
    await expectProblem(
      await useVoucher('00000000-0000-4000-8000-000000000000', '00000000-0000-4000-8000-000000000000'),
      404,
      'not_found',
    );
  });
});
