import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { amountDue, lockInvoiceForVoucher, recordPayment } from '@qihub/api/modules/invoices/index';
import { unzipSync, strFromU8 } from 'fflate';
import { beforeAll, describe, expect, it } from 'vitest';
import { expectProblem, login, testClock, useSeededApp } from '../support/app.ts';
import { aLab, anOrder, api, ok, serviceId, signIn, USERS } from '../factories/index.ts';
import { anInstrumentOf } from '../support/scenario.ts';

/**
 * Innovation vouchers (创新券, issue 11): a platform's programme, an enterprise's quota, the voucher
 * split of an invoice — min(share × amount, quota left), never more than the quota under concurrent
 * use — and the lab's redemption claim with an evidence pack built from the data, approved and paid
 * (the programme's receivable back to zero) or rejected (the share billed back, the quota restored).
 */
const clock = testClock(new Date('2026-11-26T02:00:00Z'));
const t = useSeededApp({ clock });

interface Programme {
  id: string;
  shareBp: number;
  cap: { amount: number };
  issuer: { id: string };
}
interface Application {
  id: string;
  status: string;
  quota: { amount: number };
  remaining: { amount: number };
}
interface InvoiceView {
  id: string;
  number: string;
  status: string;
  total: { amount: number };
  voucherShare: { amount: number };
  amountPaid: { amount: number };
  amountDue: { amount: number };
  lines: { source: { kind: string; id: string; charge: string } }[];
  payments: { id: string; amount: { amount: number } }[];
}
interface Claim {
  id: string;
  status: string;
  amount: { amount: number };
  paid: { amount: number };
  invoiceId: string;
  submittedAt: string;
  evidenceUrl: string;
}
interface TrialBalance {
  accounts: {
    book: { id: string };
    code: string;
    counterparty: { id: string } | null;
    debit: { amount: number };
    credit: { amount: number };
  }[];
  totals: { debit: { amount: number }; credit: { amount: number } };
}

let tk: { sme: string; sme2: string; lab: string; lab2: string; admin: string; zhejiang: string; suzhou: string };
let labId: string;
let saltSpray: string;
let call: ReturnType<typeof api>;

/** A platform admin signed in: of a new Zhejiang province platform, or added to an existing platform. */
async function platformAdmin(email: string, platform: { id?: string; regionCode?: string; nameZh?: string }) {
  let orgId = platform.id;
  if (!orgId) {
    const { rows } = await t.db.pool.query<{ id: string }>(
      `INSERT INTO organisations (kind, status, name_zh, region_code, platform_level)
       VALUES ('platform', 'active', $1, $2, 'province') RETURNING id`,
      [platform.nameZh, platform.regionCode],
    );
    orgId = rows[0]!.id;
  }
  const { rows: user } = await t.db.pool.query<{ id: string }>(
    `INSERT INTO users (email, password_hash, display_name)
     SELECT $1, password_hash, '创新券管理员' FROM users WHERE email = $2 RETURNING id`,
    [email, USERS.admin],
  );
  await t.db.pool.query(`INSERT INTO memberships (user_id, org_id, role) VALUES ($1, $2, 'admin')`, [
    user[0]!.id,
    orgId,
  ]);
  return login(t.app, email);
}

beforeAll(async () => {
  call = api(t.app);
  labId = (await aLab(t).withDefaultOrderTerms().create()).id;
  saltSpray = await serviceId(t.db, labId, '中性盐雾试验');
  const suzhou = await t.db.pool.query<{ id: string }>(
    `SELECT id FROM organisations WHERE kind = 'platform' AND region_code = '320500'`,
  );
  tk = {
    ...(await signIn(t.app, ['sme', 'sme2', 'lab', 'lab2', 'admin'])),
    zhejiang: await platformAdmin('admin@zj.example.cn', { regionCode: '330000', nameZh: '浙江省质量基础设施平台' }),
    suzhou: await platformAdmin('vouchers@suzhou.example.cn', { id: suzhou.rows[0]!.id }),
  };
});

let programmeSeq = 0;
async function aProgramme(overrides: Record<string, unknown> = {}, who = tk.admin): Promise<Programme> {
  programmeSeq += 1;
  return ok<Programme>(
    await call(who, 'POST', '/v1/admin/voucher-programmes', {
      nameZh: `测试创新券 ${programmeSeq}`,
      nameEn: `Test vouchers ${programmeSeq}`,
      shareBp: 5000,
      cap: { amount: 5_000_000, currency: 'CNY' },
      eligibleKinds: ['commissioned_test', 'instrument_time', 'outsourced_experiment'],
      validFrom: '2026-01-01',
      validTo: '2026-12-31',
      ...overrides,
    }),
    201,
  );
}

/** The demo enterprise applies and the programme's admin grants `quota` fen. */
async function aQuota(p: Programme, quota: number, admin = tk.admin): Promise<Application> {
  const applied = ok<Application>(
    await call(tk.sme, 'POST', '/v1/voucher-applications', {
      programmeId: p.id,
      amount: { amount: quota, currency: 'CNY' },
      purpose: '新产品定型检测',
    }),
    201,
  );
  return ok<Application>(
    await call(admin, 'POST', `/v1/admin/voucher-applications/${applied.id}/approve`, {
      quota: { amount: quota, currency: 'CNY' },
    }),
  );
}

/** An accepted order of the demo enterprise at the demo lab, and its (open) invoice. */
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

/** The customer's own part arrives by bank transfer (the statement upload is another slice's). */
async function payRest(invoiceId: string) {
  await t.app.ctx.db.transaction(async (tx) => {
    const inv = (await lockInvoiceForVoucher(tx, invoiceId))!;
    await recordPayment(tx, inv, {
      amount: amountDue(inv),
      channel: 'bank_transfer',
      receivedOn: '2026-11-26',
      at: clock.now,
      note: '对公转账 自付部分',
    });
  });
}

/** The lab finishes the work: the order's report is issued, its PDF stored where reports keep them. */
async function reportIssued(orderId: string): Promise<{ pdf: Buffer; number: string }> {
  const number = `SZTI-2026-V${String(++programmeSeq).padStart(5, '0')}`;
  const rel = path.posix.join('reports', labId, `${number}.pdf`);
  const pdf = Buffer.from(`%PDF-1.4\n% report ${number}\n%%EOF\n`);
  mkdirSync(path.join(t.app.ctx.config.filesDir, 'reports', labId), { recursive: true });
  writeFileSync(path.join(t.app.ctx.config.filesDir, rel), pdf);
  await t.db.pool.query(
    `INSERT INTO reports (order_id, lab_id, number, status, verification_code, issued_at, pdf_path, pdf_sha256)
     VALUES ($1, $2, $3, 'issued', $4, $5, $6, $7)`,
    [orderId, labId, number, `V${number}`, clock.now, rel, createHash('sha256').update(pdf).digest('hex')],
  );
  await t.db.pool.query(`UPDATE orders SET status = 'report_issued' WHERE id = $1`, [orderId]);
  return { pdf, number };
}

async function trialBalance(book = labId): Promise<TrialBalance> {
  const tb = ok<TrialBalance>(
    await call(tk.lab, 'GET', `/v1/labs/${book}/ledger/trial-balance?from=2026-01-01&to=2026-12-31`),
  );
  expect(tb.totals.debit.amount).toBe(tb.totals.credit.amount);
  return tb;
}

/** The balance (debit − credit) of the lab's voucher receivable from one issuer. */
async function voucherReceivable(issuer: string): Promise<number> {
  const tb = await trialBalance();
  return tb.accounts
    .filter((a) => a.code === 'voucher_receivable' && a.counterparty?.id === issuer)
    .reduce((s, a) => s + a.debit.amount - a.credit.amount, 0);
}

async function remainingOf(applicationId: string): Promise<number> {
  const { rows } = await t.db.pool.query<{ remaining_fen: string }>(
    'SELECT remaining_fen FROM voucher_applications WHERE id = $1',
    [applicationId],
  );
  return Number(rows[0]!.remaining_fen);
}

describe('programmes and quotas', () => {
  it('an admin sets up a programme; the enterprise applies; the admin grants a quota up to the cap', async () => {
    const p = await aProgramme({ cap: { amount: 1_000_000, currency: 'CNY' } });
    expect(p.shareBp).toBe(5000);
    const tooMuch = await call(tk.sme, 'POST', '/v1/voucher-applications', {
      programmeId: p.id,
      amount: { amount: 1_000_001, currency: 'CNY' },
      purpose: '检测',
    });
    await expectProblem(tooMuch, 422, 'voucher_over_cap');
    const applied = ok<Application>(
      await call(tk.sme, 'POST', '/v1/voucher-applications', {
        programmeId: p.id,
        amount: { amount: 800_000, currency: 'CNY' },
        purpose: '新产品定型检测',
      }),
      201,
    );
    expect(applied.status).toBe('pending');
    await expectProblem(
      await call(tk.sme, 'POST', '/v1/voucher-applications', {
        programmeId: p.id,
        amount: { amount: 100, currency: 'CNY' },
        purpose: '再次申请',
      }),
      409,
      'voucher_application_exists',
    );
    const approve = `/v1/admin/voucher-applications/${applied.id}/approve`;
    await expectProblem(
      await call(tk.admin, 'POST', approve, { quota: { amount: 1_000_001, currency: 'CNY' } }),
      422,
      'voucher_over_cap',
    );
    // Another province's admin, and the enterprise itself, cannot decide it.
    await expectProblem(
      await call(tk.zhejiang, 'POST', approve, { quota: { amount: 500_000, currency: 'CNY' } }),
      404,
      'not_found',
    );
    await expectProblem(
      await call(tk.sme, 'POST', approve, { quota: { amount: 500_000, currency: 'CNY' } }),
      403,
      'forbidden',
    );
    const approved = ok<Application>(
      await call(tk.admin, 'POST', approve, { quota: { amount: 500_000, currency: 'CNY' } }),
    );
    expect(approved).toMatchObject({ status: 'approved', quota: { amount: 500_000 }, remaining: { amount: 500_000 } });
    await expectProblem(
      await call(tk.admin, 'POST', approve, { quota: { amount: 500_000, currency: 'CNY' } }),
      409,
      'illegal_transition',
    );
    const mine = ok<{ items: { applicationId: string; remaining: { amount: number } }[] }>(
      await call(tk.sme, 'GET', '/v1/vouchers/mine'),
    );
    expect(mine.items.find((i) => i.applicationId === applied.id)?.remaining.amount).toBe(500_000);
    const { rows } = await t.db.pool.query<{ link: string }>(
      `SELECT n.link FROM notifications n JOIN users u ON u.id = n.user_id
        WHERE u.email = $1 AND n.kind = 'voucher_application_approved'`,
      [USERS.sme],
    );
    expect(rows.length).toBeGreaterThan(0);
    // The notice leads to the enterprise's 创新券 page.
    expect(rows.every((r) => r.link === '/vouchers')).toBe(true);
    const audit = await t.db.pool.query(
      `SELECT 1 FROM audit_log WHERE entity_id = $1 AND action = 'voucher_application.approved'`,
      [applied.id],
    );
    expect(audit.rowCount).toBe(1);
  });

  it('keeps each platform’s programmes to its own admins (another region’s admin gets 404)', async () => {
    const p = await aProgramme();
    const zj = ok<{ items: { id: string }[] }>(await call(tk.zhejiang, 'GET', '/v1/admin/voucher-programmes'));
    expect(zj.items.map((i) => i.id)).not.toContain(p.id);
    const own = ok<{ items: { id: string }[] }>(await call(tk.admin, 'GET', '/v1/admin/voucher-programmes?limit=100'));
    expect(own.items.map((i) => i.id)).toContain(p.id);
    await expectProblem(
      await call(tk.zhejiang, 'PATCH', `/v1/admin/voucher-programmes/${p.id}`, { nameZh: '改名' }),
      404,
      'not_found',
    );
    await expectProblem(await call(tk.sme, 'GET', '/v1/admin/voucher-programmes'), 403, 'forbidden');
    const renamed = ok<{ nameZh: string }>(
      await call(tk.admin, 'PATCH', `/v1/admin/voucher-programmes/${p.id}`, { nameZh: '改名后的创新券' }),
    );
    expect(renamed.nameZh).toBe('改名后的创新券');
    await expectProblem(
      await call(tk.admin, 'PATCH', `/v1/admin/voucher-programmes/${p.id}`, { validFrom: '2027-06-01' }),
      400,
      'invalid_range',
    );
  });
});

describe('using a voucher on an invoice', () => {
  it('splits min(share × amount, quota left) off what the customer owes', async () => {
    const p = await aProgramme({ shareBp: 6000 });
    const { invoice: first } = await anInvoice();
    const { invoice: second } = await anInvoice();
    const total = first.total.amount;
    const want = Math.floor((total * 6000) / 10_000);
    const quota = want + Math.floor(want / 3);
    const q = await aQuota(p, quota);
    const used = ok<{ voucherShare: { amount: number }; selfPaid: { amount: number }; remaining: { amount: number } }>(
      await useVoucher(first.id, q.id),
    );
    expect(used.voucherShare.amount).toBe(want);
    expect(used.selfPaid.amount).toBe(total - want);
    expect(used.remaining.amount).toBe(quota - want);
    const after = await invoiceOf(first.id);
    expect(after).toMatchObject({
      voucherShare: { amount: want },
      amountDue: { amount: total - want },
      status: 'open',
    });
    // Once per invoice.
    await expectProblem(await useVoucher(first.id, q.id), 409, 'voucher_invoice_not_open');
    // The second invoice gets what is left of the quota, not its full share.
    const rest = ok<{ voucherShare: { amount: number }; remaining: { amount: number } }>(
      await useVoucher(second.id, q.id),
    );
    expect(rest.voucherShare.amount).toBe(quota - want);
    expect(rest.remaining.amount).toBe(0);
    const { invoice: third } = await anInvoice();
    await expectProblem(await useVoucher(third.id, q.id), 409, 'voucher_quota_exhausted');
    expect(await voucherReceivable(p.issuer.id)).toBeGreaterThanOrEqual(quota);
    // Another enterprise cannot use it, nor see the invoice.
    const other = await call(tk.sme2, 'POST', `/v1/invoices/${third.id}/voucher`, { applicationId: q.id });
    await expectProblem(other, 404, 'not_found');
    await trialBalance();
  });

  it('never spends more than the quota, however many invoices use it at once', async () => {
    const p = await aProgramme();
    const invoices = [];
    for (let i = 0; i < 10; i++) invoices.push((await anInvoice()).invoice);
    const share = Math.floor(invoices[0]!.total.amount / 2);
    const quota = Math.floor(share * 2.5);
    const q = await aQuota(p, quota);
    const answers = await Promise.all(invoices.map((inv) => useVoucher(inv.id, q.id)));
    const okOnes = answers.filter((r) => r.statusCode === 200);
    const spent = okOnes.reduce((s, r) => s + r.json<{ voucherShare: { amount: number } }>().voucherShare.amount, 0);
    expect(okOnes).toHaveLength(3);
    expect(spent).toBe(quota);
    for (const r of answers.filter((x) => x.statusCode !== 200)) {
      await expectProblem(r, 409, 'voucher_quota_exhausted');
    }
    expect(await remainingOf(q.id)).toBe(0);
    const shares = await Promise.all(invoices.map((inv) => invoiceOf(inv.id)));
    expect(shares.reduce((s, i) => s + i.voucherShare.amount, 0)).toBe(quota);
    // The database refuses a negative quota whatever the code does.
    await expect(
      t.db.pool.query('UPDATE voucher_applications SET remaining_fen = -1 WHERE id = $1', [q.id]),
    ).rejects.toThrow(/voucher_applications_remaining/);
    await trialBalance();
  });

  it('refuses ineligible service kinds, labs not admitted, closed programmes and unapproved quotas', async () => {
    const calibrationOnly = await aQuota(await aProgramme({ eligibleKinds: ['calibration'] }), 100_000);
    const { invoice } = await anInvoice();
    await expectProblem(await useVoucher(invoice.id, calibrationOnly.id), 422, 'voucher_kind_ineligible');

    const q = await aQuota(await aProgramme(), 100_000);
    await t.db.pool.query(`UPDATE organisations SET status = 'suspended' WHERE id = $1`, [labId]);
    try {
      await expectProblem(await useVoucher(invoice.id, q.id), 422, 'voucher_lab_not_admitted');
    } finally {
      await t.db.pool.query(`UPDATE organisations SET status = 'active' WHERE id = $1`, [labId]);
    }

    const ending = await aProgramme({ validTo: '2026-12-31' });
    const late = await aQuota(ending, 100_000);
    // A programme whose validity ended yesterday (as the notice said; the API refuses to set a past end).
    await t.db.pool.query(`UPDATE voucher_programmes SET valid_to = '2026-11-25' WHERE id = $1`, [ending.id]);
    await expectProblem(await useVoucher(invoice.id, late.id), 422, 'voucher_programme_closed');
    await t.db.pool.query(`UPDATE voucher_programmes SET valid_to = '2026-12-31' WHERE id = $1`, [ending.id]);
    ok(await call(tk.admin, 'PATCH', `/v1/admin/voucher-programmes/${ending.id}`, { status: 'closed' }));
    await expectProblem(await useVoucher(invoice.id, late.id), 422, 'voucher_programme_closed');
    await expectProblem(
      await call(tk.admin, 'PATCH', `/v1/admin/voucher-programmes/${ending.id}`, { validTo: '2026-11-25' }),
      422,
      'voucher_validity_past',
    );

    const pendingP = await aProgramme();
    const pending = ok<Application>(
      await call(tk.sme, 'POST', '/v1/voucher-applications', {
        programmeId: pendingP.id,
        amount: { amount: 1000, currency: 'CNY' },
        purpose: '检测',
      }),
      201,
    );
    await expectProblem(await useVoucher(invoice.id, pending.id), 409, 'voucher_application_not_approved');
    // Nothing changed on the invoice.
    expect((await invoiceOf(invoice.id)).voucherShare.amount).toBe(0);
    await trialBalance();
  });
});

describe('redemption claims', () => {
  it('builds the evidence pack from the data; approved and paid, the programme owes the lab nothing', async () => {
    // A Suzhou programme, so its receivable in the lab's book is this test's alone.
    const p = await aProgramme({}, tk.suzhou);
    const q = await aQuota(p, 2_000_000, tk.suzhou);
    const { orderId, invoice } = await anInvoice();
    const used = ok<{ voucherShare: { amount: number } }>(await useVoucher(invoice.id, q.id));
    const share = used.voucherShare.amount;
    const file = (id = invoice.id) => call(tk.lab, 'POST', `/v1/labs/${labId}/voucher-claims`, { invoiceId: id });

    await expectProblem(await file(), 409, 'voucher_self_paid_missing');
    await payRest(invoice.id);
    await expectProblem(await file(), 409, 'voucher_work_not_done');
    const report = await reportIssued(orderId);
    await expectProblem(
      await call(tk.lab2, 'POST', `/v1/labs/${labId}/voucher-claims`, { invoiceId: invoice.id }),
      404,
      'not_found',
    );
    const claim = ok<Claim>(await file(), 201);
    expect(claim).toMatchObject({ status: 'submitted', amount: { amount: share }, invoiceId: invoice.id });
    await expectProblem(await file(), 409, 'voucher_claim_exists');

    // The evidence pack: every file checked against the data.
    const zipRes = await call(tk.lab, 'GET', claim.evidenceUrl);
    expect(zipRes.statusCode, zipRes.body).toBe(200);
    expect(zipRes.headers['content-type']).toBe('application/zip');
    const zip = unzipSync(new Uint8Array(zipRes.rawPayload));
    const names = Object.keys(zip).sort();
    const paid = await invoiceOf(invoice.id);
    const { rows: orderRows } = await t.db.pool.query<{ number: string }>('SELECT number FROM orders WHERE id = $1', [
      orderId,
    ]);
    const orderNo = orderRows[0]!.number;
    expect(names).toEqual(
      [
        'manifest.json',
        'README.txt',
        `1-commission/order-${orderNo}.json`,
        `1-commission/order-${orderNo}.txt`,
        `2-invoice/invoice-${paid.number}.json`,
        '3-payments/payments.json',
        '3-payments/payments.csv',
        `4-report/${report.number}.pdf`,
      ].sort(),
    );
    const manifest = JSON.parse(strFromU8(zip['manifest.json']!)) as {
      claimId: string;
      amountFen: number;
      files: { name: string; sha256: string; bytes: number }[];
    };
    expect(manifest).toMatchObject({ claimId: claim.id, amountFen: share });
    expect(manifest.files.map((f) => f.name).sort()).toEqual(names.filter((n) => n !== 'manifest.json').sort());
    for (const f of manifest.files) {
      expect(createHash('sha256').update(zip[f.name]!).digest('hex'), f.name).toBe(f.sha256);
    }
    const commission = JSON.parse(strFromU8(zip[`1-commission/order-${orderNo}.json`]!)) as {
      order: { id: string; number: string; commission: { sampleName: string } };
      lines: { kind: string }[];
    };
    expect(commission.order).toMatchObject({ id: orderId, number: orderNo });
    expect(commission.order.commission.sampleName).toBeTruthy();
    expect(commission.lines.map((l) => l.kind)).toContain('commissioned_test');
    expect(strFromU8(zip[`1-commission/order-${orderNo}.txt`]!)).toContain(orderNo);
    const inv = JSON.parse(strFromU8(zip[`2-invoice/invoice-${paid.number}.json`]!)) as InvoiceView;
    expect(inv).toMatchObject({
      id: invoice.id,
      number: paid.number,
      total: paid.total,
      voucherShare: { amount: share },
      amountPaid: { amount: paid.total.amount - share },
      amountDue: { amount: 0 },
      status: 'paid',
    });
    const payments = JSON.parse(strFromU8(zip['3-payments/payments.json']!)) as { id: string; amountFen: number }[];
    expect(payments.map((x) => x.id)).toEqual(paid.payments.map((x) => x.id));
    expect(payments.reduce((s, x) => s + x.amountFen, 0)).toBe(paid.total.amount - share);
    const csv = strFromU8(zip['3-payments/payments.csv']!)
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    expect(csv[0]).toBe('id,channel,amount_fen,currency,received_on,bank_line_id,external_id,note');
    expect(csv.slice(1).map((l) => l.split(',')[0])).toEqual(payments.map((x) => x.id));
    expect(Buffer.from(zip[`4-report/${report.number}.pdf`]!).equals(report.pdf)).toBe(true);
    expect(strFromU8(zip['README.txt']!)).toContain(paid.number);
    // Built from the data, so the same claim gives the same bytes; the programme's admin may fetch it.
    const again = await call(tk.suzhou, 'GET', claim.evidenceUrl);
    expect(Buffer.from(again.rawPayload).equals(Buffer.from(zipRes.rawPayload))).toBe(true);
    await expectProblem(await call(tk.lab2, 'GET', claim.evidenceUrl), 404, 'not_found');
    await expectProblem(await call(tk.admin, 'GET', claim.evidenceUrl), 404, 'not_found');

    // Review: only the programme's own admins; then the programme pays the lab.
    const listed = ok<{ items: Claim[] }>(await call(tk.suzhou, 'GET', '/v1/admin/voucher-claims?status=submitted'));
    expect(listed.items.map((c) => c.id)).toContain(claim.id);
    const zj = ok<{ items: Claim[] }>(await call(tk.zhejiang, 'GET', '/v1/admin/voucher-claims'));
    expect(zj.items).toEqual([]);
    await expectProblem(
      await call(tk.zhejiang, 'POST', `/v1/admin/voucher-claims/${claim.id}/approve`),
      404,
      'not_found',
    );
    const pay = (amount: number) =>
      call(tk.suzhou, 'POST', `/v1/admin/voucher-claims/${claim.id}/payments`, {
        amount: { amount, currency: 'CNY' },
        receivedOn: '2026-11-26',
        note: '苏州市财政拨付',
      });
    await expectProblem(await pay(share), 409, 'illegal_transition');
    expect(ok<Claim>(await call(tk.suzhou, 'POST', `/v1/admin/voucher-claims/${claim.id}/approve`)).status).toBe(
      'approved',
    );
    expect(await voucherReceivable(p.issuer.id)).toBe(share);
    await expectProblem(await pay(share + 1), 422, 'amount_exceeds_due');
    const part = Math.floor(share / 3);
    expect(ok<Claim>(await pay(part))).toMatchObject({ status: 'approved', paid: { amount: part } });
    expect(await voucherReceivable(p.issuer.id)).toBe(share - part);
    expect(ok<Claim>(await pay(share - part))).toMatchObject({ status: 'paid', paid: { amount: share } });
    expect(await voucherReceivable(p.issuer.id)).toBe(0);
    // Paid is final: it can be neither voided nor paid again.
    await expectProblem(
      await call(tk.suzhou, 'POST', `/v1/admin/voucher-claims/${claim.id}/void`, { reason: '核查' }),
      409,
      'illegal_transition',
    );
    await trialBalance();
  });

  it('a booking’s claim packs the booking record and the instrument’s usage log', async () => {
    const q = await aQuota(await aProgramme({ eligibleKinds: ['instrument_time'] }), 1_000_000);
    const instrument = await anInstrumentOf(t.db, labId);
    const operator = await login(t.app, USERS.operator);
    const act = (token: string, id: string, verb: string) => call(token, 'POST', `/v1/bookings/${id}/${verb}`);
    const start = clock.now;
    let booking: { id: string; status: string };
    let done: { billableMinutes: number; billed: { amount: number } };
    try {
      booking = ok<{ id: string; status: string }>(
        await call(tk.sme, 'POST', '/v1/bookings', {
          instrumentId: instrument.id,
          start: '2026-11-30T02:00:00Z',
          end: '2026-11-30T04:00:00Z',
          mode: 'self',
        }),
        201,
      );
      const confirmed = ok<{ status: string }>(await act(tk.sme, booking.id, 'confirm'));
      if (confirmed.status === 'pending_approval') ok(await act(tk.lab, booking.id, 'approve'));
      clock.now = new Date('2026-11-30T01:55:00Z');
      ok(await act(operator, booking.id, 'check-in'));
      clock.now = new Date('2026-11-30T04:20:00Z');
      done = ok<{ billableMinutes: number; billed: { amount: number } }>(await act(operator, booking.id, 'check-out'));
    } finally {
      clock.now = start;
    }
    const list = ok<{ items: InvoiceView[] }>(await call(tk.sme, 'GET', '/v1/invoices?limit=100'));
    const invoice = list.items.find((i) =>
      i.lines.some((l) => l.source.kind === 'booking' && l.source.id === booking.id),
    )!;
    expect(invoice.total.amount).toBe(done.billed.amount);
    const share = ok<{ voucherShare: { amount: number } }>(await useVoucher(invoice.id, q.id)).voucherShare.amount;
    expect(share).toBe(Math.floor(done.billed.amount / 2));
    await payRest(invoice.id);
    const claim = ok<Claim>(
      await call(tk.lab, 'POST', `/v1/labs/${labId}/voucher-claims`, { invoiceId: invoice.id }),
      201,
    );
    const zip = unzipSync(new Uint8Array((await call(tk.lab, 'GET', claim.evidenceUrl)).rawPayload));
    expect(Object.keys(zip)).toEqual(
      expect.arrayContaining([
        `1-booking/booking-${booking.id}.json`,
        `1-booking/booking-${booking.id}.txt`,
        `4-usage/usage-${booking.id}.json`,
        `4-usage/usage-${booking.id}.txt`,
      ]),
    );
    const record = JSON.parse(strFromU8(zip[`1-booking/booking-${booking.id}.json`]!)) as {
      booking: { id: string; instrumentId: string; status: string };
    };
    expect(record.booking).toMatchObject({ id: booking.id, instrumentId: instrument.id, status: 'completed' });
    const usage = JSON.parse(strFromU8(zip[`4-usage/usage-${booking.id}.json`]!)) as Record<string, unknown>;
    expect(usage).toMatchObject({
      bookingId: booking.id,
      actualStart: '2026-11-30T01:55:00.000Z',
      actualEnd: '2026-11-30T04:20:00.000Z',
      billableMinutes: done.billableMinutes,
      billedAmount: done.billed.amount,
    });
    expect(strFromU8(zip[`1-booking/booking-${booking.id}.txt`]!)).toContain(instrument.name_zh);
    expect(Object.keys(zip).some((n) => n.startsWith('4-report/'))).toBe(false);
    await trialBalance();
  });

  it('a rejected claim bills the share back to the customer and restores the quota; so does a voided one', async () => {
    const p = await aProgramme();
    const q = await aQuota(p, 3_000_000);
    const claimed = async () => {
      const { orderId, invoice } = await anInvoice();
      const share = ok<{ voucherShare: { amount: number } }>(await useVoucher(invoice.id, q.id)).voucherShare.amount;
      await payRest(invoice.id);
      await reportIssued(orderId);
      const claim = ok<Claim>(
        await call(tk.lab, 'POST', `/v1/labs/${labId}/voucher-claims`, { invoiceId: invoice.id }),
        201,
      );
      return { invoice, share, claim };
    };

    const before = await remainingOf(q.id);
    const r = await claimed();
    expect(await remainingOf(q.id)).toBe(before - r.share);
    await expectProblem(
      await call(tk.zhejiang, 'POST', `/v1/admin/voucher-claims/${r.claim.id}/reject`, { reason: '材料不全' }),
      404,
      'not_found',
    );
    const rejected = ok<Claim>(
      await call(tk.admin, 'POST', `/v1/admin/voucher-claims/${r.claim.id}/reject`, { reason: '检测项目不在支持范围' }),
    );
    expect(rejected.status).toBe('rejected');
    const billed = await invoiceOf(r.invoice.id);
    expect(billed).toMatchObject({
      voucherShare: { amount: 0 },
      amountDue: { amount: r.share },
      status: 'partially_paid',
      total: r.invoice.total,
    });
    expect(await remainingOf(q.id)).toBe(before);
    await expectProblem(
      await call(tk.admin, 'POST', `/v1/admin/voucher-claims/${r.claim.id}/approve`),
      409,
      'illegal_transition',
    );
    const told = await t.db.pool.query<{ link: string }>(
      `SELECT n.link FROM notifications n JOIN users u ON u.id = n.user_id
        WHERE u.email = $1 AND n.kind = 'voucher_share_billed_back'`,
      [USERS.sme],
    );
    expect(told.rowCount).toBeGreaterThan(0);
    // The customer is sent to the invoice now due, the lab to its 创新券 tab in 财务.
    expect(told.rows.map((x) => x.link)).toContain(`/invoices/${r.invoice.id}`);
    const labTold = await t.db.pool.query<{ link: string }>(
      `SELECT n.link FROM notifications n JOIN users u ON u.id = n.user_id
        WHERE u.email = $1 AND n.kind = 'voucher_claim_rejected'`,
      [USERS.lab],
    );
    expect(labTold.rows.map((x) => x.link)).toContain(`/console/finance/vouchers?lab=${labId}`);

    const v = await claimed();
    ok(await call(tk.admin, 'POST', `/v1/admin/voucher-claims/${v.claim.id}/approve`));
    const voided = ok<Claim>(
      await call(tk.admin, 'POST', `/v1/admin/voucher-claims/${v.claim.id}/void`, { reason: '虚假交易' }),
    );
    expect(voided.status).toBe('void');
    expect((await invoiceOf(v.invoice.id)).amountDue.amount).toBe(v.share);
    expect(await remainingOf(q.id)).toBe(before);
    const audit = await t.db.pool.query(`SELECT action FROM audit_log WHERE entity_id = ANY($1) ORDER BY action`, [
      [r.claim.id, v.claim.id],
    ]);
    expect(audit.rows.map((x: { action: string }) => x.action)).toEqual(
      expect.arrayContaining(['voucher_claim.rejected', 'voucher_claim.voided', 'voucher_claim.approved']),
    );
    await trialBalance();
  });
});
