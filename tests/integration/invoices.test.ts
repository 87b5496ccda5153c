import { beforeAll, describe, expect, it } from 'vitest';
import { expectProblem, testClock, useSeededApp } from '../support/app.ts';
import { aLab, anOrder, api, COMMISSION, ok, serviceId, signIn, type Detail } from '../factories/index.ts';

/**
 * Invoices (issue 11, slice 1): every chargeable event of an order becomes an invoice line exactly
 * once, in the same transaction; late reports and cancellations are credit notes, never edits;
 * every journal balances, and the database refuses one that does not.
 */
const clock = testClock(new Date('2026-11-26T02:00:00Z'));
const t = useSeededApp({ clock });

interface InvoiceView {
  id: string;
  number: string;
  kind: string;
  status: string;
  creditsInvoiceId: string | null;
  labId: string;
  customerOrgId: string;
  total: { amount: number };
  tax: { amount: number };
  amountDue: { amount: number };
  amountCredited: { amount: number };
  dueDate: string;
  paymentReference: string;
  lines: { amount: { amount: number }; taxRate: number; source: { kind: string; id: string; charge: string } }[];
}

let tk: { sme: string; sme2: string; lab: string; lab2: string; admin: string };
let labId: string;
let saltSpray: string;
let call: ReturnType<typeof api>;

beforeAll(async () => {
  call = api(t.app);
  labId = (await aLab(t).withDefaultOrderTerms().create()).id;
  saltSpray = await serviceId(t.db, labId, '中性盐雾试验');
  tk = await signIn(t.app, ['sme', 'sme2', 'lab', 'lab2', 'admin']);
});

const order = () => anOrder(t, { customer: tk.sme, lab: tk.lab, labId }).ofService(saltSpray, 24);

async function invoicesOf(orderId: string, who = tk.sme): Promise<InvoiceView[]> {
  const list = ok<{ items: InvoiceView[] }>(await call(who, 'GET', '/v1/invoices?limit=100'));
  return list.items.filter((i) => i.lines.some((l) => l.source.id === orderId)).reverse();
}

async function trialBalanced(book: string) {
  const tb = ok<{ accounts: unknown[]; totals: { debit: { amount: number }; credit: { amount: number } } }>(
    await call(tk.lab, 'GET', `/v1/labs/${book}/ledger/trial-balance?from=2026-01-01&to=2026-12-31`),
  );
  expect(tb.totals.debit.amount).toBe(tb.totals.credit.amount);
  return tb;
}

describe('an accepted order is invoiced once', () => {
  it('bills the accepted amount, VAT-inclusive at 6 %, payable to the lab with a payment reference', async () => {
    const d: Detail = await order().accepted({ expedite: 'h72' });
    const [inv, ...more] = await invoicesOf(d.order.id);
    expect(more).toEqual([]);
    expect(inv!.kind).toBe('invoice');
    expect(inv!.status).toBe('open');
    expect(inv!.labId).toBe(labId);
    expect(inv!.total.amount).toBe(d.order.total.amount);
    expect(inv!.amountDue.amount).toBe(d.order.total.amount);
    expect(inv!.lines).toHaveLength(1);
    expect(inv!.lines[0]!.taxRate).toBe(0.06);
    expect(inv!.tax.amount).toBe(Math.round((d.order.total.amount * 6) / 106));
    expect(inv!.number).toMatch(/^ZD-2026-\d{6}$/);
    expect(inv!.paymentReference).toMatch(/^QH[2-9A-HJKMNP-Z]{8}$/);
    // The lab sees it too; another enterprise and another lab do not.
    expect(ok<InvoiceView>(await call(tk.lab, 'GET', `/v1/invoices/${inv!.id}`)).id).toBe(inv!.id);
    await expectProblem(await call(tk.sme2, 'GET', `/v1/invoices/${inv!.id}`), 404, 'not_found');
    await expectProblem(await call(tk.lab2, 'GET', `/v1/invoices/${inv!.id}`), 404, 'not_found');
    await trialBalanced(labId);
  });

  it('numbers invoices gaplessly per lab, however many are accepted at once', async () => {
    const quoted = await Promise.all([0, 1, 2, 3, 4].map(() => order().quoted()));
    await Promise.all(
      quoted.map((q) =>
        call(tk.sme, 'POST', `/v1/orders/${q.order.id}/accept`, {
          quotedAt: q.order.quotedAt,
          commission: COMMISSION,
          deadlineTierDays: 15,
        }),
      ),
    );
    const { rows } = await t.db.pool.query<{ seq: number }>(
      `SELECT seq FROM invoices WHERE lab_id = $1 AND year = 2026 ORDER BY seq`,
      [labId],
    );
    expect(rows.map((r) => r.seq)).toEqual(rows.map((_, i) => i + 1));
  });
});

describe('credit notes, never edits', () => {
  it('cancelling an accepted order credits its invoice and bills the cancellation fee', async () => {
    const d = await order().accepted({ deadlineTierDays: 15 });
    const res = await call(tk.sme, 'POST', `/v1/orders/${d.order.id}/cancel`, { reason: '项目取消' });
    const after = ok<Detail>(res);
    const all = await invoicesOf(d.order.id);
    const original = all.find((i) => i.kind === 'invoice' && i.lines.some((l) => l.source.charge === 'order'))!;
    const note = all.find((i) => i.kind === 'credit_note')!;
    expect(note.creditsInvoiceId).toBe(original.id);
    expect(note.total.amount).toBe(-original.total.amount);
    expect(note.number).toMatch(/^HZ-2026-\d{6}$/);
    const fresh = ok<InvoiceView>(await call(tk.sme, 'GET', `/v1/invoices/${original.id}`));
    expect(fresh.total.amount).toBe(original.total.amount);
    expect(fresh.amountDue.amount).toBe(0);
    expect(fresh.status).toBe('void');
    const fee = after.order.cancellationFee?.amount ?? 0;
    const feeInvoices = all.filter((i) => i.lines.some((l) => l.source.charge === 'cancellation_fee'));
    expect(feeInvoices.reduce((s, i) => s + i.total.amount, 0)).toBe(fee);
    await trialBalanced(labId);
  });
});

describe('the ledger', () => {
  it('refuses, at commit, a journal inserted by raw SQL that does not balance', async () => {
    const client = await t.db.pool.connect();
    try {
      await client.query('BEGIN');
      const acct = await client.query<{ id: string }>(
        `INSERT INTO ledger_accounts (book_org_id, code) VALUES ($1, 'bank')
           ON CONFLICT ON CONSTRAINT ledger_accounts_uq DO UPDATE SET code = EXCLUDED.code RETURNING id`,
        [labId],
      );
      const tx = await client.query<{ id: string }>(
        `INSERT INTO ledger_transactions (book_org_id, kind, source_kind, posted_at) VALUES ($1, 'test', 'test', now()) RETURNING id`,
        [labId],
      );
      await client.query(`INSERT INTO ledger_entries (transaction_id, account_id, amount_fen) VALUES ($1, $2, 100)`, [
        tx.rows[0]!.id,
        acct.rows[0]!.id,
      ]);
      await expect(client.query('COMMIT')).rejects.toThrow(/does not balance/);
    } finally {
      client.release();
    }
  });

  it('refuses an entry added later to a journal already committed', async () => {
    const { rows } = await t.db.pool.query<{ transaction_id: string; account_id: string }>(
      `SELECT transaction_id, account_id FROM ledger_entries LIMIT 1`,
    );
    const e = rows[0]!;
    await expect(
      t.db.pool.query(`INSERT INTO ledger_entries (transaction_id, account_id, amount_fen) VALUES ($1, $2, 0 + 5)`, [
        e.transaction_id,
        e.account_id,
      ]),
    ).rejects.toThrow(/written whole/);
  });

  it('is append-only', async () => {
    await expect(t.db.pool.query(`UPDATE ledger_entries SET amount_fen = amount_fen WHERE true`)).rejects.toThrow(
      /append-only/,
    );
    await expect(t.db.pool.query(`DELETE FROM ledger_transactions WHERE true`)).rejects.toThrow(/append-only/);
  });

  it('answers the admin with the region’s books, balanced; an enterprise user gets 403', async () => {
    const tb = ok<{ totals: { debit: { amount: number }; credit: { amount: number } }; accounts: unknown[] }>(
      await call(tk.admin, 'GET', '/v1/admin/ledger/trial-balance?from=2026-01-01&to=2026-12-31'),
    );
    expect(tb.accounts.length).toBeGreaterThan(0);
    expect(tb.totals.debit.amount).toBe(tb.totals.credit.amount);
    await expectProblem(
      await call(tk.sme, 'GET', '/v1/admin/ledger/trial-balance?from=2026-01-01&to=2026-12-31'),
      403,
      'forbidden',
    );
    await expectProblem(
      await call(tk.admin, 'GET', '/v1/admin/ledger/trial-balance?from=2026-12-31&to=2026-01-01'),
      400,
      'invalid_range',
    );
  });
});
