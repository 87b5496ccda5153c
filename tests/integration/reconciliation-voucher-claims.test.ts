import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { amountDue, lockInvoiceForVoucher, recordPayment } from '@qihub/api/modules/invoices/index';
import { recomputeDiscrepancies } from '@qihub/api/modules/reconciliation/index';
import { beforeAll, describe, expect, it } from 'vitest';
import { expectProblem, login, testClock, useSeededApp } from '../support/app.ts';
import { aLab, anOrder, api, ok, serviceId, signIn, USERS } from '../factories/index.ts';

/**
 * The reconciliation's voucher-claim detectors (issue 11, "a voucher claim waiting too long"): a claim
 * filed and undecided 20 days after its China filing date, and an approved claim whose programme
 * payment has not arrived in full 30 days after the approval — each its own kind, linked to the
 * claims review page, found at the threshold and not the day before, gone when the claim moves on,
 * a resolution kept while the problem stays, and seen only by the admins of the lab's region.
 */
const clock = testClock(new Date('2026-11-26T02:00:00Z'));
const t = useSeededApp({ clock });

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
interface Reconciliation {
  labs: { lab: { id: string }; vouchers: Record<'claimed' | 'approved' | 'paid', { amount: number }> }[];
  discrepancies: Discrepancy[];
}
interface Claim {
  id: string;
  status: string;
  amount: { amount: number };
}

let call: ReturnType<typeof api>;
let tk: Record<'sme' | 'lab' | 'admin', string>;
let labId: string;
let saltSpray: string;
let applicationId: string;
/** Claims filed on 1 December (China): `waiting` is never decided, `unpaid` is approved on 2 December. */
const claims = {} as Record<'waiting' | 'unpaid' | 'rejected', Claim & { invoiceNumber: string }>;
let reportSeq = 0;

const deps = () => ({ db: t.db.db, clock: () => clock.now });
/** Runs the daily job at an instant and reads the queue as the admin (signed in there and then). */
async function runAt(iso: string, email: string = USERS.admin): Promise<Reconciliation> {
  clock.now = new Date(iso);
  await recomputeDiscrepancies(deps());
  const token = await login(t.app, email);
  if (email === USERS.admin) tk.admin = token;
  return ok<Reconciliation>(await call(token, 'GET', '/v1/admin/reconciliation?from=2026-12-01&to=2026-12-31'));
}
const ofClaim = (r: Reconciliation, claim: Claim, kind?: string) =>
  r.discrepancies.filter((d) => d.subject.id === claim.id && (kind === undefined || d.kind === kind));

/** A platform admin of a new Zhejiang platform, with the demo password. */
const ZHEJIANG = 'zj-recon@test.qihub.test';
async function zhejiangAdmin(): Promise<void> {
  const { rows: org } = await t.db.pool.query<{ id: string }>(
    `INSERT INTO organisations (kind, status, name_zh, region_code, platform_level)
     VALUES ('platform', 'active', '浙江省质量基础设施平台（对账测试）', '330000', 'province') RETURNING id`,
  );
  const { rows: user } = await t.db.pool.query<{ id: string }>(
    `INSERT INTO users (email, password_hash, display_name)
     SELECT $2, password_hash, '浙江管理员' FROM users WHERE email = $1 RETURNING id`,
    [USERS.admin, ZHEJIANG],
  );
  await t.db.pool.query(`INSERT INTO memberships (user_id, org_id, role) VALUES ($1, $2, 'admin')`, [
    user[0]!.id,
    org[0]!.id,
  ]);
}

/**
 * A claim the lab files at `filedAt`: an order accepted (its invoice), half of it paid by the
 * voucher, the customer's own part paid, the report issued.
 */
async function aClaim(filedAt: string): Promise<Claim & { invoiceNumber: string }> {
  const d = await anOrder(t, { customer: tk.sme, lab: tk.lab, labId }).ofService(saltSpray, 24).accepted();
  const { rows } = await t.db.pool.query<{ invoice_id: string; number: string }>(
    `SELECT l.invoice_id, i.number FROM invoice_lines l JOIN invoices i ON i.id = l.invoice_id
      WHERE l.source_kind = 'order' AND l.source_id = $1`,
    [d.order.id],
  );
  const invoiceId = rows[0]!.invoice_id;
  ok(await call(tk.sme, 'POST', `/v1/invoices/${invoiceId}/voucher`, { applicationId }));
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
  const number = `SZTI-2026-R${String(++reportSeq).padStart(5, '0')}`;
  const rel = path.posix.join('reports', labId, `${number}.pdf`);
  const pdf = Buffer.from(`%PDF-1.4\n% report ${number}\n%%EOF\n`);
  mkdirSync(path.join(t.app.ctx.config.filesDir, 'reports', labId), { recursive: true });
  writeFileSync(path.join(t.app.ctx.config.filesDir, rel), pdf);
  await t.db.pool.query(
    `INSERT INTO reports (order_id, lab_id, number, status, verification_code, issued_at, pdf_path, pdf_sha256)
     VALUES ($1, $2, $3, 'issued', $4, $5, $6, $7)`,
    [d.order.id, labId, number, `V${number}`, clock.now, rel, createHash('sha256').update(pdf).digest('hex')],
  );
  await t.db.pool.query(`UPDATE orders SET status = 'report_issued' WHERE id = $1`, [d.order.id]);
  const before = clock.now;
  clock.now = new Date(filedAt);
  try {
    const claim = ok<Claim>(await call(tk.lab, 'POST', `/v1/labs/${labId}/voucher-claims`, { invoiceId }), 201);
    return { ...claim, invoiceNumber: rows[0]!.number };
  } finally {
    clock.now = before;
  }
}

beforeAll(async () => {
  call = api(t.app);
  tk = await signIn(t.app, ['sme', 'lab', 'admin']);
  labId = (await aLab(t).withDefaultOrderTerms().create()).id;
  saltSpray = await serviceId(t.db, labId, '中性盐雾试验');
  const programme = ok<{ id: string }>(
    await call(tk.admin, 'POST', '/v1/admin/voucher-programmes', {
      nameZh: '对账测试创新券',
      nameEn: 'Reconciliation test vouchers',
      shareBp: 5000,
      cap: { amount: 5_000_000, currency: 'CNY' },
      eligibleKinds: ['commissioned_test'],
      validFrom: '2026-01-01',
      validTo: '2026-12-31',
    }),
    201,
  );
  const applied = ok<{ id: string }>(
    await call(tk.sme, 'POST', '/v1/voucher-applications', {
      programmeId: programme.id,
      amount: { amount: 3_000_000, currency: 'CNY' },
      purpose: '新产品定型检测',
    }),
    201,
  );
  ok(
    await call(tk.admin, 'POST', `/v1/admin/voucher-applications/${applied.id}/approve`, {
      quota: { amount: 3_000_000, currency: 'CNY' },
    }),
  );
  applicationId = applied.id;
  // Filed at 10:00 on 1 December, China time.
  claims.waiting = await aClaim('2026-12-01T02:00:00Z');
  claims.unpaid = await aClaim('2026-12-01T02:00:00Z');
  claims.rejected = await aClaim('2026-12-01T02:00:00Z');

  clock.now = new Date('2026-12-02T02:00:00Z');
  tk = await signIn(t.app, ['sme', 'lab', 'admin']);
  ok(await call(tk.admin, 'POST', `/v1/admin/voucher-claims/${claims.unpaid.id}/approve`));
  ok(await call(tk.admin, 'POST', `/v1/admin/voucher-claims/${claims.rejected.id}/reject`, { reason: '材料不全' }));
});

describe('a claim filed and not decided', () => {
  it('is not found on the 20th day after its filing date (China), only from the 21st', async () => {
    tk = await signIn(t.app, ['sme', 'lab', 'admin']);
    // 23:59 on 20 December in China: 19 days after the filing date.
    const before = await runAt('2026-12-20T15:59:00Z');
    expect(ofClaim(before, claims.waiting)).toEqual([]);
    // Midnight, 21 December in China: 20 days.
    const at = await runAt('2026-12-20T16:00:00Z');
    const found = ofClaim(at, claims.waiting);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({
      kind: 'voucher_claim_waiting',
      labId,
      subject: { kind: 'voucher_claim', id: claims.waiting.id },
      link: `/admin/vouchers/claims?claim=${claims.waiting.id}`,
      detectedAt: '2026-12-20T16:00:00.000Z',
      resolvedAt: null,
      resolvedBy: null,
      amount: { amount: claims.waiting.amount.amount },
      date: '2026-12-01',
      reference: claims.waiting.invoiceNumber,
    });
    // The approved one waits for money, not a decision (not yet long enough); the rejected one for nothing.
    expect(ofClaim(at, claims.unpaid)).toEqual([]);
    expect(ofClaim(at, claims.rejected)).toEqual([]);
  });

  it('is seen by the admins of the lab’s region only', async () => {
    await zhejiangAdmin();
    const zj = await runAt('2026-12-21T02:00:00Z', ZHEJIANG);
    expect(zj.discrepancies.some((d) => d.labId === labId)).toBe(false);
    expect(zj.labs.some((l) => l.lab.id === labId)).toBe(false);
    const found = ofClaim(await runAt('2026-12-21T02:00:00Z'), claims.waiting, 'voucher_claim_waiting')[0]!;
    await expectProblem(
      await call(await login(t.app, ZHEJIANG), 'POST', `/v1/admin/reconciliation/discrepancies/${found.id}/resolve`, {
        note: '已催办',
      }),
      404,
      'not_found',
    );
  });

  it('disappears once the claim is decided', async () => {
    clock.now = new Date('2026-12-22T02:00:00Z');
    tk = await signIn(t.app, ['sme', 'lab', 'admin']);
    ok(await call(tk.admin, 'POST', `/v1/admin/voucher-claims/${claims.waiting.id}/approve`));
    const r = await runAt('2026-12-22T03:00:00Z');
    expect(ofClaim(r, claims.waiting)).toEqual([]);
    const { rows } = await t.db.pool.query<{ cleared_at: Date | null }>(
      `SELECT cleared_at FROM reconciliation_discrepancies WHERE subject_id = $1 AND kind = 'voucher_claim_waiting'`,
      [claims.waiting.id],
    );
    expect(rows[0]!.cleared_at).toEqual(new Date('2026-12-22T03:00:00Z'));
  });
});

describe('an approved claim the programme has not paid', () => {
  it('is found 30 days after the approval date, not 29', async () => {
    // Approved on 2 December (China): 31 December is day 29, 1 January day 30.
    tk = await signIn(t.app, ['sme', 'lab', 'admin']);
    expect(ofClaim(await runAt('2026-12-31T15:59:00Z'), claims.unpaid)).toEqual([]);
    const found = ofClaim(await runAt('2026-12-31T16:00:00Z'), claims.unpaid);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({
      kind: 'voucher_claim_unpaid',
      link: `/admin/vouchers/claims?claim=${claims.unpaid.id}`,
      amount: { amount: claims.unpaid.amount.amount },
      date: '2026-12-02',
    });
  });

  it('resolved with a note stays resolved while it is still unpaid, and clears when the money arrives', async () => {
    clock.now = new Date('2027-01-04T02:00:00Z');
    tk = await signIn(t.app, ['sme', 'lab', 'admin']);
    const d = ofClaim(await runAt('2027-01-04T02:00:00Z'), claims.unpaid, 'voucher_claim_unpaid')[0]!;
    const resolved = ok<Discrepancy>(
      await call(tk.admin, 'POST', `/v1/admin/reconciliation/discrepancies/${d.id}/resolve`, {
        note: '财政局确认一月下旬拨付',
      }),
    );
    expect(resolved).toMatchObject({
      resolvedAt: '2027-01-04T02:00:00.000Z',
      note: '财政局确认一月下旬拨付',
      resolvedBy: { name: expect.any(String) as string },
      amount: { amount: claims.unpaid.amount.amount },
    });
    expect(resolved.resolvedBy!.name.length).toBeGreaterThan(0);

    const still = ofClaim(await runAt('2027-01-05T02:00:00Z'), claims.unpaid, 'voucher_claim_unpaid')[0]!;
    expect(still).toMatchObject({ id: d.id, resolvedAt: '2027-01-04T02:00:00.000Z', note: '财政局确认一月下旬拨付' });

    // Part of the money: still owed, still resolved, the amount is what remains.
    clock.now = new Date('2027-01-06T02:00:00Z');
    tk = await signIn(t.app, ['sme', 'lab', 'admin']);
    const part = Math.floor(claims.unpaid.amount.amount / 2);
    ok(
      await call(tk.admin, 'POST', `/v1/admin/voucher-claims/${claims.unpaid.id}/payments`, {
        amount: { amount: part, currency: 'CNY' },
        receivedOn: '2027-01-06',
        note: '财政拨付（部分）',
      }),
    );
    const partly = ofClaim(await runAt('2027-01-06T03:00:00Z'), claims.unpaid, 'voucher_claim_unpaid')[0]!;
    expect(partly).toMatchObject({ id: d.id, amount: { amount: claims.unpaid.amount.amount - part } });
    expect(partly.resolvedAt).not.toBeNull();

    ok(
      await call(tk.admin, 'POST', `/v1/admin/voucher-claims/${claims.unpaid.id}/payments`, {
        amount: { amount: claims.unpaid.amount.amount - part, currency: 'CNY' },
        receivedOn: '2027-01-06',
        note: '财政拨付（余款）',
      }),
    );
    expect(ofClaim(await runAt('2027-01-06T04:00:00Z'), claims.unpaid)).toEqual([]);
  });
});

describe('the voucher figures', () => {
  it('count the claims filed, approved and paid in the period', async () => {
    clock.now = new Date('2027-01-06T05:00:00Z');
    tk = await signIn(t.app, ['sme', 'lab', 'admin']);
    const figures = async (from: string, to: string) =>
      ok<Reconciliation>(await call(tk.admin, 'GET', `/v1/admin/reconciliation?from=${from}&to=${to}`)).labs.find(
        (l) => l.lab.id === labId,
      )!.vouchers;
    const all = claims.waiting.amount.amount + claims.unpaid.amount.amount + claims.rejected.amount.amount;
    // December: three filed (the rejected one too: it was claimed), two approved (2 and 22 December), nothing paid.
    expect(await figures('2026-12-01', '2026-12-31')).toEqual({
      claimed: { amount: all, currency: 'CNY' },
      approved: { amount: claims.waiting.amount.amount + claims.unpaid.amount.amount, currency: 'CNY' },
      paid: { amount: 0, currency: 'CNY' },
    });
    // January: the programme's two payments.
    expect(await figures('2027-01-01', '2027-01-31')).toEqual({
      claimed: { amount: 0, currency: 'CNY' },
      approved: { amount: 0, currency: 'CNY' },
      paid: { amount: claims.unpaid.amount.amount, currency: 'CNY' },
    });
  });
});
