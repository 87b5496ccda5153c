import type { Browser } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { login } from '../support/app.ts';
import { browserJourney, NO_BROWSER, shot, signIn } from '../support/browser.ts';
import { USERS } from '../support/scenario.ts';
import type { RunningStack } from '../support/servers.ts';

/**
 * Issue 12: the platform console's home — the admin opens /admin from the header and finds this
 * month's figures (the same as the statistics API's for the period the page names), the twelve
 * months' chart and what waits for them, and follows one of those to the work.
 */
const skip = NO_BROWSER;

let stack: RunningStack;
let browser: Browser;
const journey = browserJourney();
beforeAll(() => {
  ({ stack, browser } = journey);
});

const soon = { timeout: 15_000 };

async function apiGet<T>(url: string): Promise<T> {
  const token = await login(stack.api, USERS.admin);
  const res = await stack.api.inject({ method: 'GET', url, headers: { authorization: `Bearer ${token}` } });
  expect(res.statusCode, res.body).toBe(200);
  return res.json<T>();
}

describe.skipIf(skip)('browser: the platform console home', () => {
  it('figures of the month, the chart, the attention list and one link followed', async () => {
    const context = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await signIn(page, stack.webUrl, USERS.admin, '/');

    // 1. The header's menu has one platform link: it opens the console's home, the nav's current entry.
    await page.getByTestId('user-menu').locator('summary').click();
    await page.locator('[data-testid="user-menu"] a[href="/admin"]').click();
    await page.waitForURL((u) => u.pathname === '/admin');
    await expect.poll(() => page.getByTestId('admin-nav-home').getAttribute('aria-current'), soon).toBe('page');
    expect(await page.getByTestId('admin-nav-statistics').getAttribute('aria-current')).toBeNull();

    // 2. The figures: the period is the page's own (the web server's clock), the API answers the same.
    const list = page.getByTestId('dash-figures');
    const from = (await list.getAttribute('data-from'))!;
    const to = (await list.getAttribute('data-to'))!;
    expect(from).toMatch(/^\d{4}-\d{2}-01$/);
    const stats = await apiGet<{ serviceTimes: number; enterprisesServed: number }>(
      `/v1/admin/statistics?region=320000&from=${from}&to=${to}`,
    );
    expect((await page.getByTestId('dash-value-serviceTimes').textContent())?.replace(/,/g, '')).toBe(
      String(stats.serviceTimes),
    );
    expect((await page.getByTestId('dash-value-enterprisesServed').textContent())?.replace(/,/g, '')).toBe(
      String(stats.enterprisesServed),
    );
    expect(await page.getByTestId('dash-figure-reportsIssued').getAttribute('href')).toContain('/admin/statistics');

    // 3. The twelve months drawn in the browser, and as a table.
    await expect.poll(() => page.locator('[data-testid="dash-chart-months"] canvas').count(), soon).toBeGreaterThan(0);
    expect(await page.locator('[data-testid="dash-table-months"] tbody tr').count()).toBeGreaterThan(0);

    // 4. What waits: the submitted cases' count is the API's.
    const cases = await apiGet<{ items: unknown[] }>('/v1/admin/cases?status=submitted');
    expect(await page.getByTestId('dash-count-cases').textContent()).toBe(String(cases.items.length));
    expect(await page.locator('[data-testid="dash-attention"] li').count()).toBe(6);
    await shot(page, 'admin-home');

    // 5. One link to the work.
    await page.getByTestId('dash-attention-cases').click();
    await page.waitForURL(/\/admin\/cases\?status=submitted/);
    await context.close();
  });
});
