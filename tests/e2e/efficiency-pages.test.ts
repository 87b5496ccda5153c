import type { Browser } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { browserJourney, NO_BROWSER, shot, signIn } from '../support/browser.ts';
import type { TestDatabase } from '../support/db.ts';
import { orgOf, USERS } from '../support/scenario.ts';
import type { RunningStack } from '../support/servers.ts';

/**
 * The province admin reads 效能评价 and 仪器利用: each page draws its chart in the browser (ECharts on
 * a canvas) and has the same figures as a table; a figure opens the orders behind it.
 */
let db: TestDatabase;
let stack: RunningStack;
let browser: Browser;
const journey = browserJourney();
beforeAll(() => {
  ({ db, stack, browser } = journey);
});

const soon = { timeout: 30_000 };

describe.skipIf(NO_BROWSER)('browser: the evaluation pages of the platform console', () => {
  it('efficiency: charts on canvas, the figures as a table, a figure’s orders', async () => {
    const labId = await orgOf(db, USERS.lab);
    const context = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1280, height: 900 } });
    try {
      const page = await context.newPage();
      await signIn(page, stack.webUrl, USERS.admin, '/admin/efficiency');
      await page.goto(`${stack.webUrl}/admin/efficiency?from=2026-05-01&to=2026-11-30`);
      await expect.poll(() => page.getByTestId('admin-nav-efficiency').getAttribute('aria-current'), soon).toBe('page');
      for (const chart of ['eff-chart-rates', 'eff-chart-times']) {
        await page.getByTestId(chart).locator('canvas').first().waitFor(soon);
        expect(await page.getByTestId(chart).getAttribute('role')).toBe('img');
      }
      const row = page.locator(`[data-testid="eff-group"][data-key="${labId}"]`);
      await row.waitFor(soon);
      expect(await page.getByTestId('eff-table').locator('caption').count()).toBe(1);
      await shot(page, 'efficiency-page');

      await row.getByTestId('eff-turnaround').click();
      await page.waitForURL(/\/admin\/efficiency\/orders\?/, soon);
      const orders = page.getByTestId('eff-order');
      await orders.first().waitFor(soon);
      expect(await orders.count()).toBeGreaterThan(0);
      expect(new URL(page.url()).searchParams.get('lab')).toBe(labId);
      expect(await page.getByTestId('eff-order-value').first().textContent()).toMatch(/工作日/);
    } finally {
      await context.close();
    }
  });

  it('utilisation: the months on a canvas and in a table, labs and idle instruments', async () => {
    const context = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1280, height: 900 } });
    try {
      const page = await context.newPage();
      await signIn(page, stack.webUrl, USERS.admin, '/admin/utilisation');
      await page.goto(`${stack.webUrl}/admin/utilisation?year=2026`);
      await page.getByTestId('use-chart').locator('canvas').first().waitFor(soon);
      expect(await page.getByTestId('use-months').locator('tbody tr').count()).toBe(12);
      expect(await page.getByTestId('use-lab').count()).toBeGreaterThan(0);
      expect(await page.getByTestId('use-idle-item').count()).toBeGreaterThan(0);
      await shot(page, 'utilisation-page');
    } finally {
      await context.close();
    }
  });
});
