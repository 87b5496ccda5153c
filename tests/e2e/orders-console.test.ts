import { browserJourney, NO_BROWSER, shot, signIn } from '../support/browser.ts';
import { type Browser, type BrowserContext, type Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { createJobHandlers, createRegistry } from '@qihub/api/jobs';
import { bearer, login } from '../support/app.ts';
import type { TestDatabase } from '../support/db.ts';
import { orgOf, USERS } from '../support/scenario.ts';
import { chinaDate, JOURNEY_START, nextChinaWeekday } from '../support/journey-clock.ts';
import type { RunningStack } from '../support/servers.ts';

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

async function loginAs(context: BrowserContext, email: string): Promise<Page> {
  const page = await context.newPage();
  await signIn(page, stack.webUrl, email, '/console');
  return page;
}

async function api(method: string, url: string, token: string, body?: unknown) {
  const res = await stack.api.inject({
    method: method as 'POST',
    url,
    headers: bearer(token),
    payload: body as object,
  });
  expect(res.statusCode, `${method} ${url}: ${res.body}`).toBeLessThan(300);
  return res.json();
}

/** The demo SME's request of the demo lab's neutral salt-spray test (the order as the API answers it). */
async function saltSprayRequest(requestNotes: string, quantity: number) {
  const labId = await orgOf(db, USERS.lab);
  const service = await db.pool.query<{ id: string }>(
    `SELECT id FROM services WHERE lab_id = $1 AND name_zh = '中性盐雾试验'`,
    [labId],
  );
  const sme = await login(stack.api, USERS.sme);
  return api('POST', '/v1/orders', sme, {
    labId,
    requestNotes,
    lines: [{ serviceId: service.rows[0]!.id, quantity }],
  });
}

const statusOf = (page: Page) => page.locator('header [data-testid="order-status"]').getAttribute('data-status');
const problemOf = (page: Page) => page.getByTestId('problem').first().getAttribute('data-code');

describe.skipIf(skip)('browser journey: the lab console runs an order', () => {
  it('quotes, receives the sample, books the chamber, writes, reviews and signs the report, then answers the customer', async () => {
    const labId = await orgOf(db, USERS.lab);
    const service = await db.pool.query<{ id: string }>(
      `SELECT id FROM services WHERE lab_id = $1 AND name_zh = '中性盐雾试验'`,
      [labId],
    );
    const chamber = await db.pool.query<{ id: string }>(
      `SELECT id FROM instruments WHERE lab_id = $1 AND name_zh = '循环盐雾腐蚀试验箱'`,
      [labId],
    );
    const sme = await login(stack.api, USERS.sme);
    const created = await api('POST', '/v1/orders', sme, {
      labId,
      requestNotes: '镀锌支架中性盐雾 480 h',
      lines: [
        { serviceId: service.rows[0]!.id, quantity: 1, standardCode: 'GB/T 10125-2021', parameterZh: '中性盐雾' },
      ],
    });
    const orderId = created.order.id as string;

    // 1. The queue shows the order under its status; the lab prices it (yuan typed, fen stored).
    const lab = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1280, height: 900 } });
    const page = await loginAs(lab, USERS.lab);
    await page.goto(`${stack.webUrl}/console/orders?tab=${created.order.status}`);
    const row = page.locator(`[data-testid="console-order-row"][data-order-id="${orderId}"]`);
    expect(await row.count()).toBe(1);
    await shot(page, 'console-order-01-queue');
    await row.getByTestId('console-order-link').click();
    await page.waitForURL((u) => u.pathname === `/console/orders/${orderId}`);
    // Kinds and units read as words in the editor, not as message keys.
    expect(await page.getByTestId('quote-line-unit').first().textContent()).toBe('小时');
    const kinds = await page.locator('select[name="new-0-kind"] option').allTextContents();
    expect(kinds).toContain('仪器共享');
    expect(kinds.join('|')).not.toMatch(/returned an object|serviceKinds/);
    // "中性盐雾" is no item of the lab's scope word for word: the editor says so and offers the
    // closest first; the lab places the line under 中性盐雾试验 × GB/T 10125-2021.
    expect(await page.getByTestId('quote-line-no-match').count()).toBe(1);
    const scope = page.getByTestId('quote-line-scope').first();
    const closest = scope.locator('optgroup').first().locator('option').first();
    expect(await closest.textContent()).toContain('中性盐雾试验 · GB/T 10125-2021');
    await scope.selectOption((await closest.getAttribute('value'))!);
    await page.getByTestId('quote-line-price').first().fill('1,200.50');
    await page.getByTestId('quote-submit').click();
    await expect.poll(() => statusOf(page), soon).toBe('quoted');
    const quoted = await api('GET', `/v1/orders/${orderId}`, sme);
    expect(quoted.order.total.amount).toBe(120050);
    expect(quoted.lines[0]).toMatchObject({ parameterZh: '中性盐雾试验', inCmaScope: true });

    // 2. The customer accepts; the lab receives the sample.
    await api('POST', `/v1/orders/${orderId}/accept`, sme, {
      quotedAt: quoted.order.quotedAt,
      commission: {
        sampleName: '镀锌支架',
        specification: 'ZJ-01',
        manufacturer: '恒瑞精密',
        batch: 'B1',
        quantity: 3,
        trademark: '',
        productionDate: null,
        packagingCondition: '纸箱包装',
        testScope: 'single',
        purpose: '质量控制',
        testBasis: 'GB/T 10125-2021',
        evaluationBasis: '',
        subcontractingAllowed: false,
        leftoverSamples: 'return',
        storageConditions: '常温',
        reportCopies: 1,
        reportLanguage: 'zh',
        reportDelivery: 'electronic',
        deliveryAddress: '',
      },
      deadlineTierDays: 15,
    });
    await page.reload();
    expect(await page.getByTestId('commission').count()).toBe(1);
    await page.getByTestId('sample-condition').first().fill('包装完好，无锈蚀');
    await page.getByTestId('sample-receive-submit').first().click();
    await expect.poll(() => statusOf(page), soon).toBe('samples_received');

    // 3. The chamber is booked in China time until it is full; a taken slot is explained.
    // The Monday after the journey's Friday: past the chamber's lead time, a working day.
    const day = nextChinaWeekday(stack.clock, 1);
    // Each round waits until the page has taken the answer in (a booking more, or a problem), so
    // the form's reset after a success never lands on the next round's typed values.
    for (let i = 0; i < 6 && (await page.getByTestId('problem').count()) === 0; i++) {
      const before = await page.getByTestId('order-booking').count();
      await page.getByTestId('schedule-instrument').selectOption(chamber.rows[0]!.id);
      await page.getByTestId('schedule-start').fill(`${day}T10:00`);
      await page.getByTestId('schedule-end').fill(`${day}T12:00`);
      await page.getByTestId('schedule-submit').click();
      await expect
        .poll(
          async () =>
            (await page.getByTestId('order-booking').count()) > before ||
            (await page.getByTestId('problem').count()) > 0,
          soon,
        )
        .toBe(true);
    }
    expect(await page.getByTestId('order-booking').count()).toBeGreaterThan(0);
    expect(await problemOf(page)).toBe('slot_unavailable');
    await shot(page, 'console-order-02-scheduled');

    // 4. Work starts; the report is drafted, filled in and submitted.
    await page.getByTestId('order-start').click();
    await expect.poll(() => statusOf(page), soon).toBe('in_progress');
    await page.getByTestId('report-create').click();
    await expect.poll(() => page.getByTestId('report-result').count(), soon).toBeGreaterThan(0);
    await page.getByTestId('report-result').first().fill('480 h 无红锈');
    await page.getByTestId('report-verdict').first().selectOption('pass');
    await page.getByTestId('report-conclusion').fill('所检项目符合 GB/T 10125-2021 要求。');
    await page.getByTestId('report-save').click();
    await expect.poll(() => page.getByTestId('action-done').count(), soon).toBe(1);
    await page.getByTestId('report-submit').click();
    await expect.poll(() => statusOf(page), soon).toBe('report_review');

    // 5. The tester may not review: the page says so and the API's refusal is shown.
    expect(await page.getByTestId('review-blocked').getAttribute('data-code')).toBe('reviewer_is_tester');
    await page.getByTestId('report-approve').click();
    await expect.poll(() => problemOf(page), soon).toBe('reviewer_is_tester');

    // 6. Nor may the tester sign: a colleague returns it, the lab names the operator who ran the
    //    chamber as tester and submits again; the colleague approves and the signatory issues it.
    const other = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1280, height: 900 } });
    const reviewer = await loginAs(other, REVIEWER);
    await reviewer.goto(`${stack.webUrl}/console/orders/${orderId}`);
    await reviewer
      .locator('[data-testid="report-review"] textarea[name=comment]')
      .fill('签发人不得兼任检测人，请更正。');
    await reviewer.getByTestId('report-return').click();
    await expect.poll(() => reviewer.getByTestId('action-done').count(), soon).toBe(1);
    await page.reload();
    expect(await statusOf(page)).toBe('in_progress');
    const operator = await db.pool.query<{ id: string }>('SELECT id FROM users WHERE email = $1', [USERS.operator]);
    await page.getByTestId('report-tester').selectOption(operator.rows[0]!.id);
    await page.getByTestId('report-save').click();
    await expect.poll(() => page.getByTestId('action-done').count(), soon).toBe(1);
    await page.getByTestId('report-submit').click();
    await expect.poll(() => statusOf(page), soon).toBe('report_review');
    await reviewer.reload();
    await reviewer.getByTestId('report-approve').click();
    await expect.poll(() => reviewer.getByTestId('action-done').count(), soon).toBe(1);
    expect(await reviewer.getByTestId('issue-blocked').getAttribute('data-code')).toBe('not_a_signatory');
    await page.reload();
    await page.getByTestId('report-issue').click();
    await expect.poll(() => statusOf(page), soon).toBe('report_issued');
    expect(await page.getByTestId('report-number').textContent()).toMatch(/^SZQI-\d{4}-\d{6}$/);

    // 7. Once rendered, the PDF comes through the console's proxy with the caller's session only.
    const reportId = (await page.getByTestId('issued-report').getAttribute('data-report-id'))!;
    const registry = createRegistry(
      createJobHandlers({
        db: db.db,
        dispatch: async () => {},
        clock: () => stack.clock.now,
        filesDir: stack.api.ctx.config.filesDir,
        webUrl: stack.webUrl,
      }),
    );
    await registry.run('reports.render-pdf', { reportId }, { jobId: `render-${reportId}` });
    await page.reload();
    const pdfUrl = new URL((await page.getByTestId('report-download').getAttribute('href'))!, page.url()).toString();
    const cookie = (await lab.cookies()).map((c) => `${c.name}=${c.value}`).join('; ');
    const pdf = await fetch(pdfUrl, { headers: { cookie } });
    expect(pdf.status).toBe(200);
    expect(
      Buffer.from(await pdf.arrayBuffer())
        .subarray(0, 5)
        .toString(),
    ).toBe('%PDF-');
    expect((await fetch(pdfUrl, { redirect: 'manual' })).status).toBeGreaterThanOrEqual(300);
    expect(await page.getByTestId('verify-link').getAttribute('href')).toContain('/verify/');
    await shot(page, 'console-order-03-issued');

    // 8. The customer objects; the manager dismisses it; a message goes to the customer.
    await api('POST', `/v1/orders/${orderId}/objections`, sme, { reason: '结果与我方自检不一致' });
    await page.reload();
    await page.locator('[data-testid="objection"] textarea[name=resolution]').fill('复核原始记录，结果无误。');
    await page.locator('[data-testid="objection"] button[value=dismissed]').click();
    await expect.poll(() => page.getByTestId('objection').getAttribute('data-status'), soon).toBe('dismissed');
    await page.getByTestId('message-body').fill('报告已签发，请查收。');
    await page.getByTestId('message-submit').click();
    await expect.poll(() => page.getByTestId('order-message').count(), soon).toBeGreaterThan(0);
    await lab.close();
    await other.close();
  });

  it("says overdue by the server's clock, also after the page hydrated in a browser whose clock is ahead", async () => {
    const created = await saltSprayRequest('逾期标记', 1);
    // The servers run on the journey's clock (2026-11-27); this browser's clock is set a week later,
    // on any day the test runs, so an order due in between is overdue by the browser only.
    const dueAt = new Date(JOURNEY_START.getTime() + 3 * 86_400_000);
    const setDue = (at: Date) =>
      db.pool.query(`UPDATE orders SET status = 'in_progress', due_at = $2 WHERE id = $1`, [created.order.id, at]);
    await setDue(dueAt);
    const context = await browser.newContext({ locale: 'zh-CN' });
    await context.clock.install({ time: stack.clock.now.getTime() + 7 * 86_400_000 });
    const page = await loginAs(context, USERS.lab);
    await page.goto(`${stack.webUrl}/console/orders/${created.order.id}`);
    expect(await statusOf(page)).toBe('in_progress');
    expect(await page.getByTestId('order-overdue').count()).toBe(0);
    // Due a day before the journey's today: overdue, before and after hydration alike.
    await setDue(new Date(JOURNEY_START.getTime() - 86_400_000));
    await page.goto(`${stack.webUrl}/console/orders/${created.order.id}`);
    await expect.poll(() => page.getByTestId('order-overdue').count(), soon).toBe(1);
    await context.close();
  });

  it('works without JavaScript: a bad price stays in its box, a line is added, the order is cancelled', async () => {
    const created = await saltSprayRequest('第二个订单', 2);
    const context = await browser.newContext({ locale: 'zh-CN', javaScriptEnabled: false });
    const page = await loginAs(context, USERS.lab);
    await page.goto(`${stack.webUrl}/console/orders/${created.order.id}`);
    await page.getByTestId('quote-line-price').first().fill('abc');
    await page.getByTestId('quote-submit').click();
    await page.waitForLoadState();
    expect(await page.locator('.field-error').count()).toBeGreaterThan(0);
    expect(await page.getByTestId('quote-line-price').first().inputValue()).toBe('abc');
    await page.getByTestId('quote-line-price').first().fill('800');
    await page.locator('button[name=addRow]').click();
    await page.waitForLoadState();
    expect(await page.getByTestId('quote-new-row').count()).toBe(2);
    expect(await page.getByTestId('quote-line-price').first().inputValue()).toBe('800');
    await page.locator('input[name="new-0-description"]').fill('加测附着力');
    await page.locator('input[name="new-0-price"]').fill('150');
    await page.getByTestId('quote-submit').click();
    await page.waitForLoadState();
    expect(await statusOf(page)).toBe('quoted');
    expect(await page.getByTestId('quote-line').count()).toBe(2);
    await page.locator('details.cancel summary').click();
    await page.locator('[data-testid="order-cancel"] textarea[name=reason]').fill('客户改期');
    await page.getByTestId('order-cancel-submit').click();
    await page.waitForLoadState();
    expect(await statusOf(page)).toBe('cancelled');

    // Order settings: managers edit and name signatories; staff only read.
    await page.goto(`${stack.webUrl}/console/settings/orders`);
    await page.locator('#sig-email').fill(REVIEWER);
    await page.getByTestId('signatory-add').click();
    await page.waitForLoadState();
    expect(await page.getByTestId('signatory-row').count()).toBe(2);
    await context.close();
    const staff = await browser.newContext({ locale: 'zh-CN' });
    // This browser's clock is in another year than the servers': the example report number keeps the
    // servers' year (reports are numbered by their issue year in China), before and after hydration.
    await staff.clock.install({ time: stack.clock.now.getTime() + 400 * 24 * 3600_000 });
    const staffPage = await loginAs(staff, REVIEWER);
    await staffPage.goto(`${stack.webUrl}/console/settings/orders`);
    expect(await staffPage.getByTestId('order-settings-read-only').count()).toBe(1);
    expect(await staffPage.getByTestId('order-settings-save').count()).toBe(0);
    const serversYear = chinaDate(stack.clock).slice(0, 4);
    expect(await staffPage.getByTestId('report-number-example').textContent()).toContain(`-${serversYear}-000123`);
    await staff.close();
  });
});
