import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { browserJourney, NO_BROWSER, shot } from '../support/browser.ts';
import type { TestDatabase } from '../support/db.ts';
import { chinaDate } from '../support/journey-clock.ts';
import { USERS } from '../support/scenario.ts';
import type { RunningStack } from '../support/servers.ts';

/**
 * Issue 11's innovation-voucher journey (创新券), in Chromium by the people who take it: the SME,
 * holding the seeded ¥20,000 Jiangsu quota, accepts the Suzhou institute's quote and uses the
 * voucher on the invoice (half of ¥9,600 paid by the programme) → the lab records the SME's own
 * ¥4,800 transfer in 财务 → once the report is issued the lab files the claim and downloads its
 * evidence pack → the platform admin opens the evidence, approves the claim and records the
 * programme's payment → the lab sees it paid. Then the other half of the programme's life: the
 * admin opens a programme, the SME applies (too much is refused), the admin grants a quota.
 */
const skip = NO_BROWSER;

let db: TestDatabase;
let stack: RunningStack;
const journey = browserJourney();
beforeAll(() => {
  ({ db, stack } = journey);
});

const soon = { timeout: 15_000 };
/** The seeded quote of the Suzhou institute to the SME: 240 h salt spray + 48 h damp heat, ¥9,600.00. */
const QUOTED_ORDER = 'QI2026000251';

const { person } = journey;

/** The page has hydrated, so a form submits through `use:enhance`. */
const hydrated = (page: Page) => page.waitForSelector('html[data-hydrated]', { state: 'attached', timeout: 60_000 });
const text = async (page: Page, testid: string) =>
  ((await page.getByTestId(testid).first().textContent()) ?? '').trim();

describe.skipIf(skip)('browser journey: an invoice paid half by an innovation voucher, claimed and repaid', () => {
  it('SME uses the voucher and pays its part, the lab claims, the admin approves and records the payment', async () => {
    const { rows } = await db.pool.query<{ id: string; labId: string; labName: string }>(
      `SELECT o.id, o.lab_id AS "labId", l.name_zh AS "labName"
         FROM orders o JOIN organisations l ON l.id = o.lab_id WHERE o.number = $1`,
      [QUOTED_ORDER],
    );
    const { id: orderId, labId, labName } = rows[0]!;

    // 1. The SME's 创新券 page: the seeded quota, nothing used yet, valid to the programme's end.
    const sme = await person(USERS.sme, '/vouchers');
    await sme.page.goto(`${stack.webUrl}/invoices`);
    await sme.page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '创新券' }).click();
    await sme.page.waitForURL((u) => u.pathname === '/vouchers');
    const quota = sme.page.getByTestId('voucher-quota');
    expect(await quota.count()).toBe(1);
    expect(await text(sme.page, 'quota-approved')).toBe('¥20,000.00');
    expect(await text(sme.page, 'quota-used')).toBe('¥0.00');
    expect(await text(sme.page, 'quota-remaining')).toBe('¥20,000.00');
    expect(await text(sme.page, 'quota-valid-to')).toContain('2028');
    expect(await sme.page.getByTestId('application-row').first().getAttribute('data-status')).toBe('approved');
    // The programme it holds is open but already applied for this year: no second application.
    expect(await sme.page.getByTestId('open-programme').first().textContent()).toContain('本年度已申请');
    await shot(sme.page, 'voucher-01-quota');

    // 2. The SME accepts the quote; the institute bills on acceptance.
    await sme.page.goto(`${stack.webUrl}/orders/${orderId}`);
    const accept = sme.page.getByTestId('accept-form');
    await accept.locator('#sampleName').fill('门铰链限位器总成');
    await accept.locator('#specification').fill('带橡胶缓冲块');
    await accept.locator('#purpose').fill('型式试验');
    await sme.page.getByTestId('turnaround-d15').check();
    await sme.page.getByTestId('accept-submit').click();
    await expect
      .poll(() => sme.page.getByTestId('order-status').first().getAttribute('data-status'), soon)
      .not.toBe('quoted');
    await sme.page.reload();
    const invoiceLink = sme.page.getByTestId('order-invoice-link').first();
    await expect.poll(() => invoiceLink.count(), soon).toBe(1);
    await invoiceLink.click();
    await sme.page.waitForURL(/\/invoices\/[0-9a-f-]{36}$/);
    const invoiceId = /\/invoices\/([0-9a-f-]{36})$/.exec(sme.page.url())![1]!;
    const invoiceNumber = /ZD-\d{4}-\d{6}/.exec(await text(sme.page, 'invoice-number'))![0];

    // 3. Before paying: the split — the programme pays 50 % of ¥9,600, the SME the rest.
    await hydrated(sme.page);
    expect(await text(sme.page, 'invoice-due-amount')).toBe('¥9,600.00');
    const option = sme.page.getByTestId('voucher-option');
    expect(await option.getAttribute('data-usable')).toBe('yes');
    expect(await text(sme.page, 'split-voucher')).toBe('¥4,800.00');
    expect(await text(sme.page, 'split-self')).toBe('¥4,800.00');
    await shot(sme.page, 'voucher-02-split');
    await sme.page.getByTestId('voucher-apply').click();
    await expect.poll(() => sme.page.getByTestId('flash').getAttribute('data-flash'), soon).toBe('voucher');
    expect(await sme.page.getByTestId('invoice-voucher').getAttribute('data-state')).toBe('used');
    expect(await text(sme.page, 'voucher-used')).toContain('¥4,800.00');
    expect(await text(sme.page, 'invoice-due-amount')).toBe('¥4,800.00');
    expect(await sme.page.getByTestId('invoice-totals').textContent()).toContain('创新券支付部分');
    await shot(sme.page, 'voucher-03-used');
    // The quota shows what was used.
    await sme.page.goto(`${stack.webUrl}/vouchers`);
    expect(await text(sme.page, 'quota-used')).toBe('¥4,800.00');
    expect(await text(sme.page, 'quota-remaining')).toBe('¥15,200.00');

    // 4. The lab's 创新券 tab: the invoice waits for the customer's own part.
    const lab = await person(USERS.lab, '/console/finance');
    await lab.page.goto(`${stack.webUrl}/console/finance`);
    await lab.page.getByTestId('finance-tab-vouchers').click();
    await lab.page.waitForURL((u) => u.pathname === '/console/finance/vouchers');
    const claimable = lab.page.locator(`[data-testid="claimable-row"][data-invoice-id="${invoiceId}"]`);
    expect(await claimable.getAttribute('data-state')).toBe('unpaid');
    expect(await claimable.textContent()).toContain('¥4,800.00');
    expect(await lab.page.getByTestId('claims-empty').count()).toBe(1);

    // 5. The SME's transfer of its ¥4,800 arrives; the lab records it on the invoice.
    await lab.page.goto(`${stack.webUrl}/console/finance/invoices/${invoiceId}`);
    await hydrated(lab.page);
    expect(await lab.page.getByTestId('payment-amount').inputValue()).toBe('4800.00');
    await lab.page.getByTestId('payment-date').fill(chinaDate(stack.clock));
    await lab.page.getByTestId('payment-submit').click();
    await expect.poll(() => lab.page.getByTestId('invoice').getAttribute('data-status'), soon).toBe('paid');
    await sme.page.goto(`${stack.webUrl}/invoices/${invoiceId}`);
    expect(await sme.page.getByTestId('invoice').getAttribute('data-status')).toBe('paid');
    expect(await text(sme.page, 'voucher-used')).toContain('¥4,800.00');

    // 6. Paid, but the tests are not done yet: nothing to claim until the report is issued.
    await lab.page.goto(`${stack.webUrl}/console/finance/vouchers`);
    expect(await claimable.getAttribute('data-state')).toBe('work');
    expect(await claimable.getByTestId('claim-file').count()).toBe(0);
    // The report's issue is the order journey's (review and signature); here it is written as done.
    await db.pool.query(
      `INSERT INTO reports (order_id, lab_id, number, status, verification_code, issued_at, conclusion_zh, conclusion_en)
       VALUES ($1, $2, 'SZTI-2026-V00001', 'issued', 'voucher-journey', $3, '符合要求', 'Conforms')`,
      [orderId, labId, stack.clock.now],
    );
    await db.pool.query(`UPDATE orders SET status = 'report_issued' WHERE id = $1`, [orderId]);

    // 7. The lab files the claim and downloads its evidence pack.
    await lab.page.reload();
    await hydrated(lab.page);
    expect(await claimable.getAttribute('data-state')).toBe('ready');
    await claimable.getByTestId('claim-file').click();
    await expect.poll(() => lab.page.getByTestId('flash').getAttribute('data-flash'), soon).toBe('filed');
    const claimRow = lab.page.getByTestId('claim-row');
    expect(await claimRow.count()).toBe(1);
    expect(await claimRow.getAttribute('data-status')).toBe('submitted');
    expect(await claimRow.textContent()).toContain(invoiceNumber);
    expect(await claimRow.getByTestId('claim-status').textContent()).toBe('已提交');
    expect(await lab.page.locator(`[data-testid="claimable-row"][data-invoice-id="${invoiceId}"]`).count()).toBe(0);
    const labZip = await lab.page.request.get(
      `${stack.webUrl}${await claimRow.getByTestId('claim-evidence').getAttribute('href')}`,
    );
    expect(labZip.status()).toBe(200);
    expect(labZip.headers()['content-type']).toBe('application/zip');
    expect((await labZip.body()).subarray(0, 2).toString()).toBe('PK');
    await shot(lab.page, 'voucher-04-claim-filed');

    // 8. The platform admin reviews: the evidence opens, the claim is approved, the payment recorded.
    const admin = await person(USERS.admin, '/admin/vouchers/claims');
    await admin.page.goto(`${stack.webUrl}/admin/ledger`);
    await admin.page.getByTestId('admin-nav-voucher-claims').click();
    await admin.page.waitForURL((u) => u.pathname === '/admin/vouchers/claims');
    await hydrated(admin.page);
    const claim = admin.page.getByTestId('admin-claim');
    expect(await claim.count()).toBe(1);
    expect(await claim.getAttribute('data-status')).toBe('submitted');
    expect(await claim.textContent()).toContain(labName);
    expect(await text(admin.page, 'admin-claim-amount')).toBe('¥4,800.00');
    const adminZip = await admin.page.request.get(
      `${stack.webUrl}${await claim.getByTestId('admin-claim-evidence').getAttribute('href')}`,
    );
    expect(adminZip.status()).toBe(200);
    expect((await adminZip.body()).subarray(0, 2).toString()).toBe('PK');
    // A rejection needs its reason: refused here before it reaches the API.
    const claimId = (await claim.getAttribute('data-claim-id'))!;
    await claim.getByTestId('claim-reject').click();
    await expect.poll(() => admin.page.getByTestId(`field-error-reason-${claimId}`).count(), soon).toBe(1);
    expect(await claim.getAttribute('data-status')).toBe('submitted');
    await claim.getByTestId('claim-approve').click();
    await expect.poll(() => admin.page.getByTestId('flash').getAttribute('data-flash'), soon).toBe('claimApproved');
    expect(await claim.getAttribute('data-status')).toBe('approved');
    await shot(admin.page, 'voucher-05-approved');
    expect(await claim.getByTestId('claim-pay-amount').inputValue()).toBe('4800');
    // More than is owed is refused next to the field.
    await claim.getByTestId('claim-pay-amount').fill('4800.01');
    await claim.getByTestId('claim-pay-submit').click();
    await expect.poll(() => admin.page.getByTestId(`field-error-amount-${claimId}`).count(), soon).toBe(1);
    await claim.getByTestId('claim-pay-amount').fill('4800');
    await claim.getByTestId('claim-pay-date').fill(chinaDate(stack.clock));
    await claim.getByTestId('claim-pay-note').fill('苏财教〔2026〕118号 拨付');
    await claim.getByTestId('claim-pay-submit').click();
    await expect.poll(() => admin.page.getByTestId('flash').getAttribute('data-flash'), soon).toBe('claimPaid');
    expect(await claim.getAttribute('data-status')).toBe('paid');
    expect(await text(admin.page, 'admin-claim-paid')).toBe('¥4,800.00');
    await shot(admin.page, 'voucher-06-paid');

    // 9. The lab sees the claim paid.
    await lab.page.reload();
    expect(await claimRow.getAttribute('data-status')).toBe('paid');
    expect(await claimRow.getByTestId('claim-status').textContent()).toBe('已兑付');
    expect(await text(lab.page, 'claim-paid')).toBe('¥4,800.00');
    await shot(lab.page, 'voucher-07-lab-paid');

    for (const c of [sme.context, lab.context, admin.context]) await c.close();
  });

  it('the admin opens a programme, the SME applies (more than the cap is refused), the admin grants a quota', async () => {
    // 1. The admin sets up a programme: 60 % of calibration and testing, up to ¥30,000 a year.
    const admin = await person(USERS.admin, '/admin/vouchers');
    await admin.page.goto(`${stack.webUrl}/admin/vouchers`);
    await hydrated(admin.page);
    const before = await admin.page.getByTestId('programme-row').count();
    await admin.page.getByTestId('programme-nameZh').fill('苏州市质量提升创新券');
    await admin.page.getByTestId('programme-nameEn').fill('Suzhou quality vouchers');
    await admin.page.getByTestId('programme-share').fill('60');
    await admin.page.getByTestId('programme-cap').fill('30000');
    await admin.page.getByTestId('programme-validFrom').fill(chinaDate(stack.clock));
    await admin.page.getByTestId('programme-validTo').fill('2027-12-31');
    // No service chosen: refused next to the list.
    await admin.page.getByTestId('programme-submit').click();
    await expect.poll(() => admin.page.getByTestId('field-error-eligibleKinds').count(), soon).toBe(1);
    await admin.page.getByTestId('programme-kind-calibration').check();
    await admin.page.getByTestId('programme-kind-commissioned_test').check();
    await admin.page.getByTestId('programme-submit').click();
    await expect.poll(() => admin.page.getByTestId('flash').getAttribute('data-flash'), soon).toBe('created');
    expect(await admin.page.getByTestId('programme-row').count()).toBe(before + 1);
    const row = admin.page.locator('[data-testid="programme-row"]', { hasText: '苏州市质量提升创新券' });
    expect(await row.textContent()).toContain('60%');
    expect(await row.textContent()).toContain('¥30,000.00');
    await shot(admin.page, 'voucher-08-programmes');

    // 2. The SME applies: ¥40,000 is over the cap; ¥10,000 goes through and waits.
    const sme = await person(USERS.sme, '/vouchers');
    await sme.page.goto(`${stack.webUrl}/vouchers`);
    await hydrated(sme.page);
    const programmeId = (await sme.page
      .locator('[data-testid="open-programme"]', { hasText: '苏州市质量提升创新券' })
      .getAttribute('data-programme-id'))!;
    await sme.page.getByTestId('apply-programme').selectOption(programmeId);
    expect(await sme.page.getByTestId('apply-amount').inputValue()).toBe('30000');
    await sme.page.getByTestId('apply-amount').fill('40000');
    await sme.page.getByTestId('apply-purpose').fill('出口产品计量校准及型式试验');
    await sme.page.getByTestId('apply-submit').click();
    await expect.poll(() => sme.page.getByTestId('field-error-amount').count(), soon).toBe(1);
    expect(await text(sme.page, 'field-error-amount')).toBe('超过项目的年度上限');
    await sme.page.getByTestId('apply-amount').fill('10000');
    await sme.page.getByTestId('apply-submit').click();
    await expect.poll(() => sme.page.getByTestId('flash').getAttribute('data-flash'), soon).toBe('applied');
    const pending = sme.page.locator('[data-testid="application-row"]', { hasText: '苏州市质量提升创新券' });
    expect(await pending.getAttribute('data-status')).toBe('pending');
    expect(await pending.getByTestId('application-status').textContent()).toBe('待审核');

    // 3. The admin grants ¥8,000 of it.
    await admin.page.getByTestId('admin-nav-voucher-applications').click();
    await admin.page.waitForURL((u) => u.pathname === '/admin/vouchers/applications');
    await hydrated(admin.page);
    const application = admin.page.locator('[data-testid="admin-application"][data-status="pending"]');
    expect(await application.count()).toBe(1);
    expect(await application.textContent()).toContain('¥10,000.00');
    expect(await application.getByTestId('application-quota').inputValue()).toBe('10000');
    await application.getByTestId('application-quota').fill('8000');
    await application.getByTestId('application-approve').click();
    await expect.poll(() => admin.page.getByTestId('flash').getAttribute('data-flash'), soon).toBe('approved');
    await shot(admin.page, 'voucher-09-granted');

    // 4. The SME holds two quotas now.
    await sme.page.reload();
    expect(await sme.page.getByTestId('voucher-quota').count()).toBe(2);
    const granted = sme.page.locator('[data-testid="voucher-quota"]', { hasText: '苏州市质量提升创新券' });
    expect(await granted.getByTestId('quota-approved').textContent()).toBe('¥8,000.00');
    expect(await pending.getAttribute('data-status')).toBe('approved');
    await shot(sme.page, 'voucher-10-two-quotas');

    for (const c of [sme.context, admin.context]) await c.close();
  });
});
