import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { browserJourney, NO_BROWSER, shot } from '../support/browser.ts';
import type { TestDatabase } from '../support/db.ts';
import { chinaDate } from '../support/journey-clock.ts';
import { USERS } from '../support/scenario.ts';
import type { RunningStack } from '../support/servers.ts';

/**
 * Issue 11's bank-transfer journey, in Chromium by the people who take it: the SME accepts the
 * Suzhou institute's quote → 我的账单 shows the invoice with its payment reference → the lab
 * uploads its bank statement, whose remark carries the reference → the line is matched → the
 * SME's invoice reads 已付款. Then the platform admin's trial balance, whose totals agree.
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

/** The page is no wider than the screen (a phone must not scroll sideways). */
const fitsWidth = (page: Page) =>
  page.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth);

describe.skipIf(skip)('browser journey: an order paid by bank transfer', () => {
  it('SME accepts, sees the invoice and its reference, the lab uploads the statement, the invoice is paid', async () => {
    const { rows: orders } = await db.pool.query<{ id: string; customer: string }>(
      `SELECT o.id, c.name_zh AS customer FROM orders o JOIN organisations c ON c.id = o.customer_org_id
        WHERE o.number = $1`,
      [QUOTED_ORDER],
    );
    const orderId = orders[0]!.id;

    // 1. The SME accepts the quote with the commission form (the institute bills on acceptance).
    const sme = await person(USERS.sme, `/orders/${orderId}`);
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

    // 2. The order page links its invoice; 我的账单 lists it, open, with the amount due.
    await sme.page.reload();
    const invoiceLink = sme.page.getByTestId('order-invoice-link').first();
    await expect.poll(() => invoiceLink.count(), soon).toBe(1);
    const number = (await invoiceLink.textContent())!.trim();
    await sme.page.goto(`${stack.webUrl}/invoices`);
    const row = sme.page.locator('[data-testid="invoice-row"]', { hasText: number });
    expect(await row.getAttribute('data-status')).toBe('open');
    expect(await row.getByTestId('invoice-amount-due').textContent()).toContain('9,600.00');
    await shot(sme.page, 'money-01-invoices');

    // 3. The invoice page shows the lab's account and the payment reference to put in the remark.
    await row.getByTestId('invoice-link').click();
    await sme.page.waitForURL(/\/invoices\/[0-9a-f-]{36}$/);
    const reference = (await sme.page.getByTestId('payment-reference').textContent())!.trim();
    expect(reference).toMatch(/^QH[2-9A-HJKMNP-Z]{8}$/);
    expect(await sme.page.getByTestId('invoice-payee').textContent()).toContain('中国工商银行苏州吴中支行');
    expect(await sme.page.getByTestId('invoice-pay').textContent()).toContain('附言/用途');
    await shot(sme.page, 'money-02-invoice');
    const invoiceUrl = sme.page.url();
    // The payment notice (付款通知书) downloads through the web with the session.
    const pdfHref = (await sme.page.getByTestId('invoice-pdf').getAttribute('href'))!;
    const pdf = await sme.page.request.get(`${stack.webUrl}${pdfHref}`);
    expect(pdf.status()).toBe(200);
    expect((await pdf.body()).subarray(0, 5).toString()).toBe('%PDF-');

    // 4. The lab uploads its bank's export: one transfer from the SME whose remark holds the reference.
    const lab = await person(USERS.lab, '/console/finance');
    await lab.page.goto(`${stack.webUrl}/console`);
    await lab.page.getByTestId('console-nav-finance').click();
    await lab.page.waitForURL((u) => u.pathname === '/console/finance');
    expect(await lab.page.locator(`[data-testid="invoice-row"]`, { hasText: number }).count()).toBe(1);
    // The lab's terms carry the account the invoice names.
    await lab.page.getByTestId('finance-tab-terms').click();
    await lab.page.waitForURL((u) => u.pathname === '/console/finance/terms');
    expect(await lab.page.getByTestId('settings-accountNumber').inputValue()).toBe('1102 0207 0900 0156 378');
    await lab.page.getByTestId('finance-tab-bank').click();
    await lab.page.waitForURL((u) => u.pathname === '/console/finance/bank');
    const csv = [
      '中国工商银行 账户明细',
      '交易日期,对方户名,收入金额,支出金额,摘要',
      `${chinaDate(stack.clock)},${orders[0]!.customer},"9,600.00",,检测费 ${reference}`,
    ].join('\r\n');
    await lab.page.getByTestId('statement-file').setInputFiles({
      name: 'statement.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(csv, 'utf8'),
    });
    await lab.page.getByTestId('statement-submit').click();
    await expect.poll(() => lab.page.getByTestId('statement-matched').textContent(), soon).toBe('1');
    expect(await lab.page.getByTestId('statement-lines').textContent()).toBe('1');
    await shot(lab.page, 'money-03-statement');

    // 5. The SME's invoice is paid.
    await sme.page.goto(invoiceUrl);
    expect(await sme.page.getByTestId('invoice').getAttribute('data-status')).toBe('paid');
    expect(await sme.page.getByTestId('invoice-status').first().textContent()).toBe('已付款');
    expect(await sme.page.getByTestId('invoice-payment').count()).toBe(1);
    await shot(sme.page, 'money-04-paid');

    // 6. On a phone, 我的账单 is a list of cards, with no sideways scroll.
    const phone = await person(USERS.sme, '/invoices', { width: 390, height: 900 });
    await phone.page.goto(`${stack.webUrl}/invoices`);
    expect(await phone.page.getByTestId('invoice-row').count()).toBeGreaterThan(0);
    expect(await fitsWidth(phone.page)).toBe(true);
    await phone.page.goto(invoiceUrl);
    expect(await fitsWidth(phone.page)).toBe(true);
    await shot(phone.page, 'money-05-phone');

    // 7. The platform admin's trial balance: debits and credits agree.
    const admin = await person(USERS.admin, '/admin/ledger');
    await admin.page.goto(`${stack.webUrl}/admin/ledger?from=2026-01-01&to=${chinaDate(stack.clock)}`);
    expect(await admin.page.getByTestId('trial-balance-book').count()).toBeGreaterThan(0);
    const debit = await admin.page.getByTestId('trial-balance-debit').textContent();
    expect(debit).toBe(await admin.page.getByTestId('trial-balance-credit').textContent());
    expect(await admin.page.getByTestId('trial-balance-balanced').textContent()).toBe('借贷平衡');
    await shot(admin.page, 'money-06-ledger');

    for (const c of [sme.context, lab.context, phone.context, admin.context]) await c.close();
  });
});
