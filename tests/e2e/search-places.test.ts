import { browserJourney, NO_BROWSER, shot } from '../support/browser.ts';
import type { Browser } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RunningStack } from '../support/servers.ts';

let stack: RunningStack;
let browser: Browser;
const journey = browserJourney();
beforeAll(() => {
  ({ stack, browser } = journey);
});

describe.skipIf(NO_BROWSER)('browser journey: search that understands places', () => {
  it('"盐雾 苏州" finds the salt-spray chambers in Suzhou with a count and their next free slot, on a phone', async () => {
    const page = await browser.newPage({ locale: 'zh-CN', viewport: { width: 390, height: 844 } });
    await page.goto(`${stack.webUrl}/instruments`);
    await page.getByTestId('search-input').first().fill('盐雾 苏州');
    await page.getByTestId('search-submit').first().click();
    await page.waitForURL(/\/instruments\?/);
    await expect.poll(() => page.getByTestId('instrument-card').count()).toBeGreaterThan(0);
    const cards = await page.getByTestId('instrument-card').count();
    expect(await page.getByTestId('result-count').textContent()).toContain(`共 ${cards} 个结果`);
    expect(await page.getByTestId('place-read').first().textContent()).toContain('苏州市');
    for (const text of await page.getByTestId('instrument-card').allTextContents()) expect(text).toContain('苏州');
    expect(await page.getByTestId('next-free').first().textContent()).toMatch(/最早可约|暂无空档/);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await shot(page, 'search-places-01-suzhou');
    await page.close();
  });

  it('an empty search suggests what to change, and a suggestion finds something', async () => {
    const page = await browser.newPage({ locale: 'zh-CN', viewport: { width: 1280, height: 900 } });
    await page.goto(`${stack.webUrl}/instruments?q=${encodeURIComponent('盐雾 杭州')}`);
    await expect.poll(() => page.getByTestId('result-count').textContent()).toContain('共 0 个结果');
    const suggestions = page.getByTestId('search-suggestion');
    await expect.poll(() => suggestions.count()).toBeGreaterThan(0);
    expect((await suggestions.allTextContents()).join('|')).toContain('去掉“杭州”');
    await shot(page, 'search-places-02-suggestions');
    await page.getByTestId('search-suggestions').getByText('苏州市', { exact: false }).first().click();
    await page.waitForURL(/region=320500/);
    await expect.poll(() => page.getByTestId('instrument-card').count()).toBeGreaterThan(0);
    await page.close();
  });

  it('labels the services search box 搜索服务 and Search services', async () => {
    const page = await browser.newPage({ locale: 'zh-CN', viewport: { width: 1280, height: 900 } });
    await page.goto(`${stack.webUrl}/services`);
    expect(await page.getByLabel('搜索服务').count()).toBe(1);
    await page.close();
  });
});
