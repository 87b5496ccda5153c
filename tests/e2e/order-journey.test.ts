import { createHash } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { createJobHandlers, createRegistry } from '@qihub/api/jobs';
import { browserJourney, NO_BROWSER, shot } from '../support/browser.ts';
import type { TestDatabase } from '../support/db.ts';
import { orgOf, USERS } from '../support/scenario.ts';
import { nextChinaWeekday } from '../support/journey-clock.ts';
import type { RunningStack } from '../support/servers.ts';

/**
 * The journey, every step in Chromium by the person who takes it: the SME requests a
 * salt-spray test → the lab quotes → the SME accepts and fills the commission form → the lab
 * receives the sample, schedules the chamber, writes the report, a colleague reviews it and the
 * signatory issues it → the SME downloads the PDF → the public verification page shows it valid.
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

const soon = { timeout: 15_000 };
/** The customer page has one status badge; the console's is in the page header. */
const customerStatus = (page: Page) => page.getByTestId('order-status').first().getAttribute('data-status');
const consoleStatus = (page: Page) => page.locator('header [data-testid="order-status"]').getAttribute('data-status');

const { person } = journey;

/** A weekday two weeks ahead on the journey clock (China calendar), clear of the booking rules' lead time. */
function workdayAhead(): string {
  return nextChinaWeekday(stack.clock, 1, 14);
}

describe.skipIf(skip)('browser journey: a commissioned salt-spray test from request to verified report', () => {
  it('SME requests, lab quotes, SME accepts, lab tests and issues, SME downloads, anyone verifies', async () => {
    const labId = await orgOf(db, USERS.lab);
    const { rows: svc } = await db.pool.query<{ id: string }>(
      `SELECT id FROM services WHERE lab_id = $1 AND name_zh = '中性盐雾试验'`,
      [labId],
    );
    const { rows: chamber } = await db.pool.query<{ id: string }>(
      `SELECT id FROM instruments WHERE lab_id = $1 AND name_zh = '循环盐雾腐蚀试验箱'`,
      [labId],
    );
    const serviceId = svc[0]!.id;

    // 1. The SME requests the test on the service page.
    const sme = await person(USERS.sme, `/services/${serviceId}`);
    await sme.page.goto(`${stack.webUrl}/services/${serviceId}`);
    const request = sme.page.getByTestId('order-request-form');
    // Three panels, 96 hours of salt spray: the number of samples and the hours are two fields.
    await request.locator('#sampleCount').fill('3');
    await request.locator('#quantity').fill('96');
    await request.locator('#parameterZh').fill('中性盐雾试验');
    await request.locator('#requestNotes').fill('镀锌钢板 Q235B 来料验证，试验 96 h，评定红锈。');
    await sme.page.getByTestId('order-request-submit').click();
    await sme.page.waitForURL(/\/orders\/[0-9a-f-]{36}/);
    const orderId = /\/orders\/([0-9a-f-]{36})/.exec(sme.page.url())![1]!;
    // The Suzhou institute checks its capability before quoting: the request waits for the lab.
    expect(await customerStatus(sme.page)).toBe('requested');
    // No price yet: the subtotal says it waits for the quote, not ¥0.00.
    expect(await sme.page.getByTestId('order-subtotal').textContent()).toContain('待报价');
    expect(await sme.page.getByTestId('order-subtotal').textContent()).not.toContain('0.00');
    await shot(sme.page, 'journey-01-requested');

    // 2. The lab finds it in its queue and quotes it (yuan typed, fen stored).
    const lab = await person(USERS.lab, '/console/orders');
    await lab.page.goto(`${stack.webUrl}/console/orders?tab=requested`);
    const row = lab.page.locator(`[data-testid="console-order-row"][data-order-id="${orderId}"]`);
    await row.getByTestId('console-order-link').click();
    await lab.page.waitForURL((u) => u.pathname === `/console/orders/${orderId}`);
    expect(await lab.page.getByTestId('quote-line-samples').first().textContent()).toContain('3');
    expect(await lab.page.getByTestId('quote-line-unit').first().textContent()).toBe('小时');
    await lab.page.getByTestId('quote-line-price').first().fill('30');
    await lab.page.getByTestId('quote-submit').click();
    await expect.poll(() => consoleStatus(lab.page), soon).toBe('quoted');
    await shot(lab.page, 'journey-02-quoted');

    // 3. The SME sees the quote (96 h × ¥30 = ¥2,880.00, inside the CMA scope) and accepts it with the 委托单.
    await sme.page.reload();
    expect(await customerStatus(sme.page)).toBe('quoted');
    expect(await sme.page.getByTestId('quote-total').textContent()).toContain('2,880.00');
    expect(await sme.page.getByTestId('order-subtotal').textContent()).toContain('2,880.00');
    expect(await sme.page.getByTestId('line-scope').first().textContent()).toContain('CMA');
    const accept = sme.page.getByTestId('accept-form');
    // The commission form counts the three samples, not the 96 hours.
    expect(await accept.locator('#quantity').inputValue()).toBe('3');
    await accept.locator('#sampleName').fill('镀锌钢板 Q235B');
    await accept.locator('#specification').fill('150×75×1 mm');
    await accept.locator('#purpose').fill('来料检验');
    await sme.page.getByTestId('turnaround-d15').check();
    await sme.page.getByTestId('accept-submit').click();
    await expect.poll(() => customerStatus(sme.page), soon).toBe('awaiting_samples');
    await shot(sme.page, 'journey-03-accepted');

    // 4. The lab receives the sample, books the salt-spray chamber, starts and writes the report.
    await lab.page.reload();
    expect(await lab.page.getByTestId('commission').textContent()).toContain('镀锌钢板 Q235B');
    await lab.page.getByTestId('sample-condition').first().fill('包装完好，试样无锈蚀');
    await lab.page.getByTestId('sample-receive-submit').first().click();
    await expect.poll(() => consoleStatus(lab.page), soon).toBe('samples_received');
    const day = workdayAhead();
    await lab.page.getByTestId('schedule-instrument').selectOption(chamber[0]!.id);
    await lab.page.getByTestId('schedule-start').fill(`${day}T09:00`);
    await lab.page.getByTestId('schedule-end').fill(`${day}T11:00`);
    await lab.page.getByTestId('schedule-submit').click();
    await expect.poll(() => lab.page.getByTestId('order-booking').count(), soon).toBe(1);
    // The chamber's time is taken for rental customers too: the booking engine holds it.
    const { rows: held } = await db.pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM bookings WHERE order_id = $1 AND instrument_id = $2 AND status = 'confirmed'`,
      [orderId, chamber[0]!.id],
    );
    expect(held[0]!.n).toBe(1);
    await lab.page.getByTestId('order-start').click();
    await expect.poll(() => consoleStatus(lab.page), soon).toBe('in_progress');
    await lab.page.getByTestId('report-create').click();
    await expect.poll(() => lab.page.getByTestId('report-result').count(), soon).toBeGreaterThan(0);
    await lab.page.getByTestId('report-result').first().fill('96 h 无红锈');
    await lab.page.getByTestId('report-verdict').first().selectOption('pass');
    await lab.page.getByTestId('report-conclusion').fill('所检项目符合 GB/T 10125-2021 的要求。');
    // The operator who ran the chamber is the tester: the signatory may not be (three people).
    const operator = await db.pool.query<{ id: string }>('SELECT id FROM users WHERE email = $1', [USERS.operator]);
    await lab.page.getByTestId('report-tester').selectOption(operator.rows[0]!.id);
    await lab.page.getByTestId('report-save').click();
    await expect.poll(() => lab.page.getByTestId('action-done').count(), soon).toBe(1);
    await lab.page.getByTestId('report-submit').click();
    await expect.poll(() => consoleStatus(lab.page), soon).toBe('report_review');
    await shot(lab.page, 'journey-04-review');

    // 5. A colleague reviews it; the authorised signatory issues it.
    const reviewer = await person(REVIEWER, `/console/orders/${orderId}`);
    await reviewer.page.goto(`${stack.webUrl}/console/orders/${orderId}`);
    await reviewer.page.getByTestId('report-approve').click();
    await expect.poll(() => reviewer.page.getByTestId('action-done').count(), soon).toBe(1);
    await lab.page.reload();
    await lab.page.getByTestId('report-issue').click();
    await expect.poll(() => consoleStatus(lab.page), soon).toBe('report_issued');
    const number = (await lab.page.getByTestId('report-number').textContent())!.trim();
    expect(number).toMatch(/^SZQI-\d{4}-\d{6}$/);
    await shot(lab.page, 'journey-05-issued');

    // The worker renders the PDF (here: its job, run once as the worker would after the issue).
    const reportId = (await lab.page.getByTestId('issued-report').getAttribute('data-report-id'))!;
    const jobs = createRegistry(
      createJobHandlers({
        db: db.db,
        dispatch: async () => {},
        filesDir: stack.api.ctx.config.filesDir,
        webUrl: stack.webUrl,
      }),
    );
    await jobs.run('reports.render-pdf', { reportId }, { jobId: `render-${reportId}` });

    // The Suzhou institute bills on delivery: the report is released once the invoice is paid, so
    // the lab records the customer's transfer on the order's invoice in 财务.
    const { rows: billed } = await db.pool.query<{ id: string }>(
      `SELECT invoice_id AS id FROM invoice_lines WHERE source_kind = 'order' AND source_id = $1 AND charge = 'order'`,
      [orderId],
    );
    await lab.page.goto(`${stack.webUrl}/console/finance/invoices/${billed[0]!.id}`);
    await lab.page.getByTestId('payment-date').fill(stack.clock.now.toISOString().slice(0, 10));
    await lab.page.getByTestId('payment-submit').click();
    await expect
      .poll(
        async () => (await db.pool.query(`SELECT status FROM invoices WHERE id = $1`, [billed[0]!.id])).rows[0]?.status,
        soon,
      )
      .toBe('paid');

    // 6. The SME downloads the PDF: the bytes are the ones whose SHA-256 the verification page shows.
    await sme.page.reload();
    expect(await customerStatus(sme.page)).toBe('report_issued');
    const href = (await sme.page.getByTestId('report-download').first().getAttribute('href'))!;
    const pdf = await sme.page.request.get(`${stack.webUrl}${href}`);
    expect(pdf.status()).toBe(200);
    const bytes = await pdf.body();
    expect(bytes.subarray(0, 5).toString()).toBe('%PDF-');
    await shot(sme.page, 'journey-06-report');

    // 7. Anyone, signed in or not, checks it on the public verification page.
    const verifyHref = (await sme.page.getByTestId('verify-link').first().getAttribute('href'))!;
    const anyone = await browser.newContext({ locale: 'zh-CN' });
    const check = await anyone.newPage();
    await check.goto(new URL(new URL(verifyHref, stack.webUrl).pathname, stack.webUrl).toString());
    expect(await check.getByTestId('verify-status').getAttribute('data-status')).toBe('valid');
    expect((await check.getByTestId('verify-number').textContent())!.trim()).toBe(number);
    expect(await check.content()).toContain(createHash('sha256').update(bytes).digest('hex'));
    // Nothing confidential: neither the customer nor the sample is on the public page.
    expect(await check.content()).not.toContain('镀锌钢板');
    await shot(check, 'journey-07-verified');

    for (const c of [sme.context, lab.context, reviewer.context, anyone]) await c.close();
  });
});
