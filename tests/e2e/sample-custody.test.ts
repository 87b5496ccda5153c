import { browserJourney, NO_BROWSER, shot } from '../support/browser.ts';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { bearer, login } from '../support/app.ts';
import type { TestDatabase } from '../support/db.ts';
import { orgOf, USERS } from '../support/scenario.ts';
import type { RunningStack } from '../support/servers.ts';
import { COMMISSION } from '../factories/index.ts';

/**
 * Sample custody in the browser: the lab records a sample taken for testing and back to storage on
 * the console's order page; once the report is out and the objection period has passed, 今日 lists
 * the sample under 样品待退还/待处置 and the lab records its return by courier; the customer reads
 * the whole log on their own order page.
 */
const skip = NO_BROWSER;
const REVIEWER = 'reviewer@demo.qihub.test';
const soon = { timeout: 15_000 };

let db: TestDatabase;
let stack: RunningStack;
const journey = browserJourney();

async function call(method: string, url: string, token: string, body?: unknown) {
  const res = await stack.api.inject({
    method: method as 'POST',
    url,
    headers: bearer(token),
    payload: body as object,
  });
  expect(res.statusCode, `${method} ${url}: ${res.body}`).toBeLessThan(300);
  return res.json();
}

async function pageAs(email: string, path: string): Promise<Page> {
  const { page } = await journey.person(email, path);
  await page.goto(`${stack.webUrl}${path}`);
  return page;
}

const steps = (page: Page) =>
  page.getByTestId('custody-entry').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-step')));

describe.skipIf(skip)('browser journey: sample custody', () => {
  let orderId: string;
  let sampleId: string;

  beforeAll(async () => {
    ({ db, stack } = journey);
    const labId = await orgOf(db, USERS.lab);
    const service = await db.pool.query<{ id: string }>(
      `SELECT id FROM services WHERE lab_id = $1 AND name_zh = '中性盐雾试验'`,
      [labId],
    );
    const sme = await login(stack.api, USERS.sme);
    const lab = await login(stack.api, USERS.lab);
    const created = await call('POST', '/v1/orders', sme, {
      labId,
      requestNotes: '镀锌支架中性盐雾 24 h',
      lines: [{ serviceId: service.rows[0]!.id, quantity: 24 }],
    });
    orderId = created.order.id;
    if (created.order.status === 'requested') {
      await call('POST', `/v1/orders/${orderId}/quote`, lab, {
        lines: created.lines.map((l: { id: string }) => ({ lineId: l.id, unitPriceFen: 3000 })),
        validUntil: '2026-12-31',
      });
    }
    const quoted = await call('GET', `/v1/orders/${orderId}`, sme);
    const accepted = await call('POST', `/v1/orders/${orderId}/accept`, sme, {
      quotedAt: quoted.order.quotedAt,
      commission: { ...COMMISSION, quantity: 1 },
      deadlineTierDays: 15,
      samples: [{ nameZh: '镀锌支架', quantity: 1, unit: '件' }],
    });
    sampleId = accepted.samples[0].id;
    await call('POST', `/v1/orders/${orderId}/samples/${sampleId}/receive`, lab, {
      conditionOnArrival: '纸箱包装完好',
      quantity: 1,
      storageLocation: '收样室',
    });
    await call('POST', `/v1/orders/${orderId}/start`, lab);
  });

  it('the lab records the sample taken for testing and back to storage; the customer sees the log', async () => {
    const page = await pageAs(USERS.lab, `/console/orders/${orderId}`);
    const form = page.locator(`[data-testid="custody-form"][data-sample-id="${sampleId}"]`);
    await form.waitFor(soon);
    await form.getByTestId('custody-step').selectOption('taken');
    await form.getByTestId('custody-taken-by').fill('王工');
    await form.getByTestId('custody-submit').click();
    await expect.poll(() => steps(page), soon).toEqual(['received', 'taken']);
    const again = page.locator(`[data-testid="custody-form"][data-sample-id="${sampleId}"]`);
    await again.getByTestId('custody-step').selectOption('back');
    await again.getByTestId('custody-location').fill('样品间 A-3');
    await again.getByTestId('custody-submit').click();
    await expect.poll(() => steps(page), soon).toEqual(['received', 'taken', 'back']);
    expect(
      await page.locator(`[data-testid="custody-sample"][data-sample-id="${sampleId}"]`).getAttribute('data-state'),
    ).toBe('stored');
    await shot(page, 'custody-01-lab');

    const customer = await pageAs(USERS.sme, `/orders/${orderId}`);
    await customer.getByTestId('custody-log').waitFor(soon);
    expect(await steps(customer)).toEqual(['received', 'taken', 'back']);
    expect(await customer.getByTestId('custody-log').textContent()).toContain('样品间 A-3');
    // Each handover says when (China time, the app clock's instant) and who recorded it.
    const { rows: taken } = await db.pool.query<{ at: Date; name: string }>(
      `SELECT e.at, u.display_name AS name FROM sample_custody_entries e JOIN users u ON u.id = e.actor_user_id
       WHERE e.sample_id = $1 AND e.step = 'taken'`,
      [sampleId],
    );
    expect(taken).toHaveLength(1);
    const when = new Intl.DateTimeFormat('zh-CN', {
      timeZone: 'Asia/Shanghai',
      dateStyle: 'medium',
      timeStyle: 'short',
      hourCycle: 'h23',
    }).format(taken[0]!.at);
    const cells = await customer.locator('[data-testid="custody-entry"][data-step="taken"] td').allInnerTexts();
    expect(cells[0]).toBe(when);
    expect(cells[3]).toContain('王工');
    expect(cells[4]).toBe(taken[0]!.name);
    // Read-only for the customer.
    expect(await customer.getByTestId('custody-form').count()).toBe(0);
    await shot(customer, 'custody-02-customer');
  });

  it('after the objection period 今日 lists the leftover; the lab returns it by courier and the customer sees it', async () => {
    const lab = await login(stack.api, USERS.lab);
    const reviewer = await login(stack.api, REVIEWER);
    const tester = await db.pool.query<{ id: string }>('SELECT id FROM users WHERE email = $1', [USERS.operator]);
    const draft = await call('POST', `/v1/orders/${orderId}/reports`, lab, { testerId: tester.rows[0]!.id });
    await call('PATCH', `/v1/reports/${draft.id}`, lab, {
      results: draft.results.map((r: Record<string, unknown>) => ({
        lineId: r.lineId,
        parameterZh: r.parameterZh,
        standardCode: r.standardCode,
        result: '24 h 无红锈',
        verdict: 'pass',
      })),
    });
    await call('POST', `/v1/reports/${draft.id}/submit`, lab);
    await call('POST', `/v1/reports/${draft.id}/review`, reviewer, { decision: 'approve' });
    await call('POST', `/v1/reports/${draft.id}/issue`, lab);
    const issued = await call('GET', `/v1/orders/${orderId}`, lab);
    // Past the objection window on the API's clock.
    stack.clock.advance(new Date(issued.order.objectionUntil).getTime() - stack.clock.now.getTime() + 60_000);

    const page = await pageAs(USERS.lab, '/console');
    await page.getByTestId('today-section-samplesDue').waitFor(soon);
    const row = page.locator(`[data-testid="today-row-samplesDue"][data-id="${sampleId}"]`);
    expect(await row.textContent()).toContain('退还客户');
    await shot(page, 'custody-03-today');
    await row.locator('a').first().click();
    await page.waitForURL((u) => u.pathname === `/console/orders/${orderId}`);
    const form = page.locator(`[data-testid="custody-form"][data-sample-id="${sampleId}"]`);
    await form.getByTestId('custody-step').selectOption('returned');
    await form.getByTestId('custody-method').selectOption('courier');
    await form.getByTestId('custody-courier').fill('顺丰速运');
    await form.getByTestId('custody-tracking').fill('SF1234567890123');
    await form.getByTestId('custody-submit').click();
    await expect.poll(() => steps(page), soon).toEqual(['received', 'taken', 'back', 'returned']);
    expect(await page.getByTestId('custody-form').count()).toBe(0);

    const customer = await pageAs(USERS.sme, `/orders/${orderId}`);
    await customer.getByTestId('custody-log').waitFor(soon);
    expect(
      await customer.locator(`[data-testid="custody-sample"][data-sample-id="${sampleId}"]`).getAttribute('data-state'),
    ).toBe('returned');
    expect(await customer.getByTestId('custody-log').textContent()).toContain('SF1234567890123');
    await shot(customer, 'custody-04-returned');
  });
});
