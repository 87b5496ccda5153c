import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { anOrder } from '../factories/orders.ts';
import { login } from '../support/app.ts';
import { browserJourney, NO_BROWSER, shot } from '../support/browser.ts';
import type { TestDatabase } from '../support/db.ts';
import { orgOf, USERS } from '../support/scenario.ts';
import type { RunningStack } from '../support/servers.ts';

/**
 * Issue 11's finance desk, in Chromium: the Suzhou institute opens September's statement (the seed
 * invoiced and was paid for an order that month), downloads its PDF and workbook, and rebuilds it;
 * the SME asks for a fapiao on a paid invoice, the lab records the number it issued in the tax
 * system, and the SME reads it under 我的账单; the Wuxi enterprise, on a monthly account (月结) with
 * the institute, opens its statement of the running month.
 */
const skip = NO_BROWSER;

let db: TestDatabase;
let stack: RunningStack;
const journey = browserJourney();
beforeAll(() => {
  ({ db, stack } = journey);
});

const soon = { timeout: 15_000 };
/** The seed's month with money in it: order QI2026000137 invoiced on 2 September, paid on the 18th. */
const MONTH = '2026-09';
/** The running month on the journey clock (27 November 2026): provisional. */
const RUNNING = '2026-11';
const FAPIAO_NUMBER = '26322000000012345678';
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

const { person } = journey;

/** Downloads a link of the page with its session and checks the file is what it says it is. */
async function fileBehind(page: Page, testid: string, type: string, magic: string) {
  const href = (await page.getByTestId(testid).getAttribute('href'))!;
  const res = await page.request.get(`${stack.webUrl}${href}`);
  expect(res.status(), href).toBe(200);
  expect(res.headers()['content-type']).toContain(type);
  expect(res.headers()['content-disposition']).toMatch(/^attachment;/);
  const body = await res.body();
  expect(body.subarray(0, magic.length).toString('latin1')).toBe(magic);
  expect(body.length).toBeGreaterThan(1_000);
  return body;
}

const fitsWidth = (page: Page) =>
  page.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth);

describe.skipIf(skip)('browser journey: the finance desk', () => {
  it('the lab opens a month’s statement, downloads it as PDF and Excel and rebuilds it', async () => {
    const lab = await person(USERS.lab, '/console/finance');
    await lab.page.goto(`${stack.webUrl}/console/finance`);
    await lab.page.getByTestId('finance-tab-statements').click();
    await lab.page.waitForURL((u) => u.pathname === '/console/finance/statements');

    // The running month is offered as provisional; a past month not built yet is built when opened.
    const running = lab.page.locator(`[data-testid="statement-month"][data-month="${RUNNING}"]`);
    expect(await running.getAttribute('data-state')).toBe('provisional');
    await lab.page.locator(`[data-testid="statement-month"][data-month="${MONTH}"]`).click();
    await lab.page.waitForURL((u) => u.searchParams.get('month') === MONTH);
    const statement = lab.page.getByTestId('statement');
    expect(await statement.getAttribute('data-month')).toBe(MONTH);
    expect(await lab.page.getByTestId('statement-provisional').count()).toBe(0);
    expect(await lab.page.getByTestId('statement-invoice').count()).toBeGreaterThan(0);
    expect(await lab.page.getByTestId('statement-invoiced').textContent()).toMatch(/¥[1-9]/);
    expect(await lab.page.getByTestId('statement-received').textContent()).toMatch(/¥[1-9]/);
    expect(await lab.page.locator('[data-testid="statement-channel"][data-channel="bank_transfer"]').count()).toBe(1);
    expect(await fitsWidth(lab.page)).toBe(true);
    await shot(lab.page, 'finance-desk-01-statement');

    // The PDF and the workbook, through the web with the session.
    await fileBehind(lab.page, 'statement-pdf', 'application/pdf', '%PDF-');
    await fileBehind(lab.page, 'statement-xlsx', XLSX, 'PK\u0003\u0004');

    // Opening it stored it; the manager rebuilds it (the same data, the same files).
    await lab.page.reload();
    expect(
      await lab.page.locator(`[data-testid="statement-month"][data-month="${MONTH}"]`).getAttribute('data-state'),
    ).toBe('closed');
    await lab.page.getByTestId('statement-rebuild').click();
    await expect.poll(() => lab.page.getByTestId('flash').getAttribute('data-flash'), soon).toBe('rebuilt');

    // The running month so far.
    await running.click();
    await lab.page.waitForURL((u) => u.searchParams.get('month') === RUNNING);
    expect(await lab.page.getByTestId('statement-provisional').count()).toBe(1);
    expect(await lab.page.getByTestId('statement-rebuild').count()).toBe(0);
    await lab.context.close();
  });

  it('the SME asks for a fapiao, the lab records the number it issued, the SME reads it', async () => {
    const labId = await orgOf(db, USERS.lab);
    const smeOrg = await orgOf(db, USERS.sme);
    const { rows } = await db.pool.query<{ id: string; number: string }>(
      `SELECT id, number FROM invoices WHERE lab_id = $1 AND customer_org_id = $2 AND status = 'paid'
        ORDER BY number LIMIT 1`,
      [labId, smeOrg],
    );
    const invoice = rows[0]!;

    // 1. The SME saves its invoice title (drafted from its registration) and asks for a fapiao.
    const sme = await person(USERS.sme, `/invoices/${invoice.id}`);
    await sme.page.goto(`${stack.webUrl}/invoices/${invoice.id}`);
    await sme.page.getByTestId('fapiao-title-form').locator('button[type="submit"]').click();
    await sme.page.getByTestId('fapiao-request').waitFor(soon);
    await sme.page.getByTestId('fapiao-request').click();
    await expect.poll(() => sme.page.getByTestId('fapiao-status').getAttribute('data-status'), soon).toBe('pending');
    await sme.page.goto(`${stack.webUrl}/invoices`);
    const mine = sme.page.locator(`[data-testid="my-fapiao-row"][data-invoice="${invoice.number}"]`);
    expect(await mine.getAttribute('data-status')).toBe('pending');

    // 2. The lab's 发票 desk lists it first; a wrong number is refused, the right one recorded.
    const lab = await person(USERS.lab, '/console/finance/fapiao');
    await lab.page.goto(`${stack.webUrl}/console/finance`);
    await lab.page.getByTestId('finance-tab-fapiao').click();
    await lab.page.waitForURL((u) => u.pathname === '/console/finance/fapiao');
    const row = lab.page.locator(`[data-testid="fapiao-desk-row"][data-invoice="${invoice.number}"]`);
    expect(await row.getAttribute('data-status')).toBe('pending');
    expect(await lab.page.getByTestId('fapiao-desk-row').first().getAttribute('data-status')).toBe('pending');
    const exported = await fileBehind(lab.page, 'fapiao-export', XLSX, 'PK\u0003\u0004');
    expect(exported.length).toBeGreaterThan(1_000);
    await row.getByTestId('fapiao-number-input').fill('1234');
    await row.getByTestId('fapiao-issued-submit').click();
    await expect.poll(() => row.locator('[data-testid^="field-error-fapiaoNumber"]').count(), soon).toBe(1);
    expect(await row.getAttribute('data-status')).toBe('pending');
    await row.getByTestId('fapiao-number-input').fill(FAPIAO_NUMBER);
    await row.getByTestId('fapiao-issued-submit').click();
    await expect.poll(() => lab.page.getByTestId('flash').getAttribute('data-flash'), soon).toBe('issued');
    expect(await row.getAttribute('data-status')).toBe('issued');
    expect(await row.getByTestId('fapiao-desk-number').textContent()).toBe(FAPIAO_NUMBER);
    await shot(lab.page, 'finance-desk-02-fapiao');

    // 3. The SME sees the number under 我的账单, linked to its invoice.
    await sme.page.reload();
    expect(await mine.getAttribute('data-status')).toBe('issued');
    expect(await mine.getByTestId('my-fapiao-number').textContent()).toBe(FAPIAO_NUMBER);
    await mine.getByTestId('my-fapiao-invoice').click();
    await sme.page.waitForURL((u) => u.pathname === `/invoices/${invoice.id}`);
    expect(await sme.page.getByTestId('fapiao-status').getAttribute('data-status')).toBe('issued');
    await shot(sme.page, 'finance-desk-03-fapiao-issued');
    for (const c of [sme.context, lab.context]) await c.close();
  });

  it('the monthly-account customer opens its statement with the lab', async () => {
    // The Wuxi enterprise (sme2) has a monthly account (月结) with the Suzhou institute: an order it
    // accepted this month is charged to the account, not invoiced yet.
    const labId = await orgOf(db, USERS.lab);
    const { rows } = await db.pool.query<{ id: string }>(
      `SELECT id FROM services WHERE lab_id = $1 AND status = 'active' ORDER BY name_zh LIMIT 1`,
      [labId],
    );
    const [sme2Token, labToken] = await Promise.all([login(stack.api, USERS.sme2), login(stack.api, USERS.lab)]);
    const accepted = await anOrder({ app: stack.api, db }, { customer: sme2Token, lab: labToken, labId })
      .ofService(rows[0]!.id, 1)
      .accepted();
    expect(accepted.order.status).not.toBe('quoted');

    const sme2 = await person(USERS.sme2, '/invoices');
    await sme2.page.goto(`${stack.webUrl}/invoices`);
    await sme2.page.getByTestId('invoices-statements-link').click();
    await sme2.page.waitForURL((u) => u.pathname === '/invoices/statements');
    expect(await sme2.page.getByTestId('customer-statement-lab').inputValue()).toBe(labId);
    await sme2.page.getByTestId('customer-statement-month').selectOption(RUNNING);
    await sme2.page.getByTestId('customer-statement-show').click();
    await sme2.page.waitForURL((u) => u.searchParams.get('month') === RUNNING);
    const statement = sme2.page.getByTestId('statement');
    expect(await statement.getAttribute('data-kind')).toBe('customer');
    expect(await sme2.page.getByTestId('statement-customer').textContent()).toBe('无锡澄锐新材料科技有限公司');
    expect(await sme2.page.getByTestId('statement-provisional').count()).toBe(1);
    expect(await sme2.page.getByTestId('statement-orders').textContent()).toMatch(/¥[1-9]/);
    await fileBehind(sme2.page, 'statement-pdf', 'application/pdf', '%PDF-');
    await fileBehind(sme2.page, 'statement-xlsx', XLSX, 'PK\u0003\u0004');
    expect(await fitsWidth(sme2.page)).toBe(true);
    await shot(sme2.page, 'finance-desk-04-customer-statement');
    await sme2.context.close();
  });
});
