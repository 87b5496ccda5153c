import { browserJourney, NO_BROWSER, shot } from '../support/browser.ts';
import type { Browser, Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RunningStack } from '../support/servers.ts';

let stack: RunningStack;
let browser: Browser;
const journey = browserJourney();
beforeAll(() => {
  ({ stack, browser } = journey);
});

/** Each instrument card of the page: its instrument (from its link), name and next-free line. */
const cardsOf = (page: Page) =>
  page.getByTestId('instrument-card').evaluateAll((cards) =>
    cards.map((card) => {
      const link = card.querySelector('h3 a') as HTMLAnchorElement;
      return {
        id: new URL(link.href).pathname.split('/').pop()!,
        name: link.textContent!.trim(),
        nextFree: card.querySelector('[data-testid="next-free"]')?.textContent?.replace(/\s+/g, ' ').trim() ?? null,
      };
    }),
  );

/**
 * The next free hour of each instrument as the API's availability search answers it from `at` on the
 * journey clock (as the instrument list asks it: 14 days, one hour), keyed by id.
 */
async function nextFreeFromApi(ids: string[], at: Date): Promise<Map<string, { start: string; timeZone: string }>> {
  const from = new Date(Math.ceil(at.getTime() / 60_000) * 60_000);
  const to = new Date(from.getTime() + 14 * 86_400_000);
  const query = new URLSearchParams({ from: from.toISOString(), to: to.toISOString(), durationMinutes: '60' });
  query.set('limit', '50');
  for (const id of ids) query.append('ids', id);
  const res = await stack.api.inject({ method: 'GET', url: `/v1/availability/search?${query}` });
  expect(res.statusCode, res.body).toBe(200);
  const items = res.json<{ items: { id: string; site: { timeZone: string }; slots: { start: string }[] }[] }>().items;
  return new Map(items.map((i) => [i.id, { start: i.slots[0]!.start, timeZone: i.site.timeZone }]));
}

/** "2026年11月30日周一 09:00" as the card writes an instant in the site's zone. */
function zhDateTime(iso: string, timeZone: string): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', {
      timeZone,
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      weekday: 'short',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    })
      .formatToParts(new Date(iso))
      .map((p) => [p.type, p.value]),
  );
  const weekday = { Sun: '周日', Mon: '周一', Tue: '周二', Wed: '周三', Thu: '周四', Fri: '周五', Sat: '周六' }[
    parts.weekday!
  ];
  return `${parts.year}年${Number(parts.month)}月${Number(parts.day)}日${weekday} ${parts.hour}:${parts.minute}`;
}

describe.skipIf(NO_BROWSER)('browser journey: search that understands places', () => {
  it('"盐雾 苏州" finds the salt-spray chambers in Suzhou with a count and their next free slot, on a phone', async () => {
    const page = await browser.newPage({ locale: 'zh-CN', viewport: { width: 390, height: 844 } });
    await page.goto(`${stack.webUrl}/instruments`);
    await page.getByTestId('search-input').first().fill('盐雾 苏州');
    // The page asks for the next free hours on the journey clock, somewhere between these two instants.
    const asked = stack.clock.now;
    await page.getByTestId('search-submit').first().click();
    await page.waitForURL(/\/instruments\?/);
    await expect.poll(() => page.getByTestId('instrument-card').count()).toBeGreaterThan(0);
    const answered = stack.clock.now;
    const count = await page.getByTestId('instrument-card').count();
    expect(await page.getByTestId('result-count').textContent()).toContain(`共 ${count} 个结果`);
    expect(await page.getByTestId('place-read').first().textContent()).toContain('苏州市');
    for (const text of await page.getByTestId('instrument-card').allTextContents()) expect(text).toContain('苏州');
    // Each card shows its instrument's next free hour as the availability search has it (a concrete
    // date and time), or says there is none; the demo lab's chambers are free within the fortnight.
    const cards = await cardsOf(page);
    const ids = cards.map((c) => c.id);
    const [early, late] = [await nextFreeFromApi(ids, asked), await nextFreeFromApi(ids, answered)];
    expect(early.size, 'some chamber in Suzhou is free within 14 days').toBeGreaterThan(0);
    const shown = cards.filter((c) => c.nextFree?.startsWith('最早可约'));
    expect(shown.length).toBeGreaterThan(0);
    for (const card of cards.filter((c) => c.nextFree !== null)) {
      const expected = [early.get(card.id), late.get(card.id)].map((slot) =>
        slot ? `最早可约：${zhDateTime(slot.start, slot.timeZone)}` : '14 天内暂无空档',
      );
      expect(expected, `${card.name}: ${card.nextFree}`).toContain(card.nextFree);
    }
    for (const card of shown) expect(card.nextFree).toMatch(/^最早可约：\d{4}年\d{1,2}月\d{1,2}日周. \d{2}:\d{2}$/);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await shot(page, 'search-places-01-suzhou');
    await page.close();
  });

  it('a standard number finds the instruments used for it, with the count of the cards shown, on a phone', async () => {
    const page = await browser.newPage({ locale: 'zh-CN', viewport: { width: 390, height: 844 } });
    await page.goto(`${stack.webUrl}/instruments`);
    for (const [q, names] of [
      // The demo lab is accredited for GB/T 10125 (中性盐雾试验): its salt-spray chambers, not its other instruments.
      ['GB/T 10125', ['循环盐雾腐蚀试验箱', '盐雾试验箱']],
      // An instrument whose own description names the standard.
      ['GB/T 17626.2', ['静电放电模拟器']],
    ] as const) {
      await page.getByTestId('search-input').first().fill(q);
      await page.getByTestId('search-submit').first().click();
      await page.waitForURL((u) => u.pathname === '/instruments' && u.searchParams.get('q') === q);
      await expect
        .poll(async () => (await cardsOf(page)).map((c) => c.name))
        .toEqual(expect.arrayContaining([...names]));
      const cards = await cardsOf(page);
      expect(await page.getByTestId('result-count').textContent()).toContain(`共 ${cards.length} 个结果`);
      if (q === 'GB/T 10125') {
        const categories = await page.getByTestId('instrument-card').locator('.category').allTextContents();
        expect(new Set(categories.map((c) => c.trim()))).toEqual(new Set(['盐雾试验箱']));
      }
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
      await shot(page, `search-places-standard-${q.replace(/\W+/g, '-')}`);
    }
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
    expect(await page.getByLabel('搜索仪器').count()).toBe(0);
    await page.close();
    const english = await browser.newPage({ locale: 'en', viewport: { width: 1280, height: 900 } });
    await english.context().addCookies([{ name: 'qihub_locale', value: 'en', url: stack.webUrl }]);
    await english.goto(`${stack.webUrl}/services`);
    expect(await english.getByLabel('Search services').count()).toBe(1);
    expect(await english.getByLabel('Search instruments').count()).toBe(0);
    await english.close();
  });
});
