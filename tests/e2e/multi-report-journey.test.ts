import { browserJourney, NO_BROWSER, shot, signIn } from '../support/browser.ts';
import { type Browser, type BrowserContext, type Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { TestDatabase } from '../support/db.ts';
import { orgOf, USERS } from '../support/scenario.ts';
import type { RunningStack } from '../support/servers.ts';

/**
 * Several reports on one order: the lab issues one report for the first line of a two-line order
 * while the order stays in progress, then a second report for the other line, which settles the
 * order; the customer sees both, each with its line.
 */
const skip = NO_BROWSER;
const REVIEWER = 'reviewer@demo.qihub.test';

let db: TestDatabase;
let stack: RunningStack;
let browser: Browser;
const journey = browserJourney();
beforeAll(() => {
  ({ db, stack, browser } = journey);
});

const soon = { timeout: 10_000 };

async function loginAs(context: BrowserContext, email: string, to: string): Promise<Page> {
  const page = await context.newPage();
  await signIn(page, stack.webUrl, email, to);
  return page;
}

const statusOf = (page: Page) => page.locator('header [data-testid="order-status"]').getAttribute('data-status');

/** A two-line order in progress at the demo lab for the demo enterprise, set up in SQL. */
async function twoLineOrder(): Promise<string> {
  const labId = await orgOf(db, USERS.lab);
  const customerId = await orgOf(db, USERS.sme);
  const { rows } = await db.pool.query<{ id: string }>(
    `INSERT INTO orders (number, customer_org_id, lab_id, requested_by, status, title_zh, subtotal_fen, surcharge_fen,
       total_fen, commission, due_at, clock_started_at, work_started_at, accepted_at, quoted_at)
     SELECT 'QI2026970001', $1, $2, u.id, 'in_progress', '支架双项目委托', 100000, 0, 100000, $3,
       '2026-12-31T10:00:00Z', now(), now(), now(), now()
     FROM users u WHERE u.email = $4
     RETURNING id`,
    [customerId, labId, JSON.stringify({ sampleName: '镀锌支架', reportLanguage: 'zh' }), USERS.sme],
  );
  const orderId = rows[0]!.id;
  const lines = [
    ['中性盐雾试验', 'GB/T 10125-2021'],
    ['涂层附着力（划格法）', 'GB/T 9286-2021'],
  ];
  for (const [i, [name, standard]] of lines.entries()) {
    await db.pool.query(
      `INSERT INTO order_lines (order_id, position, kind, description_zh, parameter_zh, standard_code, quantity,
         unit_price_fen, amount_fen)
       VALUES ($1, $2, 'commissioned_test', $3, $3, $4, 1, 50000, 50000)`,
      [orderId, i + 1, name, standard],
    );
  }
  return orderId;
}

/** Fills the working report's results, names the operator as tester, saves and submits it. */
async function writeAndSubmit(page: Page, operatorId: string) {
  await expect.poll(() => page.getByTestId('report-result').count(), soon).toBe(1);
  await page.getByTestId('report-result').first().fill('合格');
  await page.getByTestId('report-verdict').first().selectOption('pass');
  await page.getByTestId('report-tester').selectOption(operatorId);
  await page.getByTestId('report-save').click();
  await expect.poll(() => page.getByTestId('action-done').count(), soon).toBe(1);
  await page.getByTestId('report-submit').click();
  await expect.poll(() => page.getByTestId('report-submit').count(), soon).toBe(0);
}

async function approve(reviewer: Page, orderId: string) {
  await reviewer.goto(`${stack.webUrl}/console/orders/${orderId}`);
  await reviewer.getByTestId('report-approve').click();
  await expect.poll(() => reviewer.getByTestId('action-done').count(), soon).toBe(1);
}

describe.skipIf(skip)('browser journey: two reports for a two-line order', () => {
  it('the lab issues a report per line; the order is issued with the second; the customer sees both', async () => {
    const orderId = await twoLineOrder();
    const operator = await db.pool.query<{ id: string }>('SELECT id FROM users WHERE email = $1', [USERS.operator]);
    const operatorId = operator.rows[0]!.id;
    const lab = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1280, height: 900 } });
    const other = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1280, height: 900 } });
    const page = await loginAs(lab, USERS.lab, '/console');
    const reviewer = await loginAs(other, REVIEWER, '/console');

    // 1. The first report covers the first line only: the lab unticks the second.
    await page.goto(`${stack.webUrl}/console/orders/${orderId}`);
    expect(await page.getByTestId('report-line-choice').count()).toBe(2);
    await page.getByTestId('report-line-choice').nth(1).uncheck();
    await page.getByTestId('report-create').click();
    await expect.poll(() => page.getByTestId('working-report').count(), soon).toBe(1);
    expect(await page.getByTestId('working-report').getByTestId('report-lines').textContent()).toContain(
      '中性盐雾试验',
    );
    expect(await page.getByTestId('lines-unreported').textContent()).toContain('涂层附着力（划格法）');
    await writeAndSubmit(page, operatorId);
    // The other line has no report yet: the order stays in progress.
    expect(await statusOf(page)).toBe('in_progress');

    // 2. A colleague approves, the signatory issues: still in progress, the second line still to come.
    await approve(reviewer, orderId);
    await page.reload();
    await page.getByTestId('report-issue').click();
    await expect.poll(() => page.getByTestId('issued-report').count(), soon).toBe(1);
    expect(await statusOf(page)).toBe('in_progress');
    await shot(page, 'multi-report-01-first-issued');

    // 3. The second report takes the line left; its issue settles the order.
    expect(await page.getByTestId('report-line-choice').count()).toBe(0);
    await page.getByTestId('report-create').click();
    await expect.poll(() => page.getByTestId('working-report').count(), soon).toBe(1);
    expect(await page.getByTestId('working-report').getByTestId('report-lines').textContent()).toContain(
      '涂层附着力（划格法）',
    );
    await writeAndSubmit(page, operatorId);
    await expect.poll(() => statusOf(page), soon).toBe('report_review');
    await approve(reviewer, orderId);
    await page.reload();
    await page.getByTestId('report-issue').click();
    await expect.poll(() => statusOf(page), soon).toBe('report_issued');
    expect(await page.getByTestId('issued-report').count()).toBe(2);
    expect(await page.getByTestId('report-create').count()).toBe(0);
    await shot(page, 'multi-report-02-both-issued');

    // 4. The customer's order page lists both reports, each with the line it covers.
    const customer = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1280, height: 900 } });
    const sme = await loginAs(customer, USERS.sme, '/orders');
    await sme.goto(`${stack.webUrl}/orders/${orderId}`);
    const reports = sme.getByTestId('order-report');
    expect(await reports.count()).toBe(2);
    const covers = await sme.locator('[data-testid="order-report"] [data-testid="report-lines"]').allTextContents();
    expect(covers.map((c) => c.replace(/\s+/g, ' ').trim())).toEqual([
      expect.stringContaining('中性盐雾试验'),
      expect.stringContaining('涂层附着力（划格法）'),
    ]);
    expect(await sme.getByTestId('lines-unreported').count()).toBe(0);
    await shot(sme, 'multi-report-03-customer');
    await lab.close();
    await other.close();
    await customer.close();
  });
});
