import { creditCode } from '@qihub/db/seed';
import { type Browser, type Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../support/app.ts';
import { browserJourney, NO_BROWSER, shot } from '../support/browser.ts';
import type { TestDatabase } from '../support/db.ts';
import { USERS } from '../support/scenario.ts';
import type { RunningStack } from '../support/servers.ts';

// On a slow phone the form is on the screen, from the server, well before its script has run, and
// people start typing. Whatever they typed must still be there once the page has hydrated, and the
// form must then work with it. The page's scripts are held back here until the typing is done.

const skip = NO_BROWSER;

let db: TestDatabase;
let stack: RunningStack;
let browser: Browser;
const journey = browserJourney();
beforeAll(() => {
  ({ db, stack, browser } = journey);
});

/**
 * Opens `path` with the app's scripts held back: resolves once the server's HTML is on the screen
 * (not hydrated), and returns `hydrate`, which lets the scripts through and waits for the page to
 * have hydrated.
 */
async function openBeforeHydration(page: Page, path: string): Promise<{ hydrate: () => Promise<void> }> {
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  await page.route(/\/_app\/immutable\/.*\.js$/, async (route) => {
    await held;
    await route.continue();
  });
  // The journey's goto waits for hydration (support/browser.ts), which cannot happen yet.
  const loading = page.goto(`${stack.webUrl}${path}`);
  loading.catch(() => {}); // awaited in hydrate; not an unhandled rejection in the meantime
  await page.locator('form').first().waitFor({ state: 'visible', timeout: 60_000 });
  return {
    hydrate: async () => {
      release();
      await loading;
    },
  };
}

async function hydrated(page: Page): Promise<boolean> {
  return (await page.locator('html[data-hydrated]').count()) > 0;
}

describe.skipIf(skip)('browser journey: what is typed before the page hydrates is kept', () => {
  it('registers a company from a form filled in before its script ran', async () => {
    const context = await browser.newContext({ locale: 'zh-CN', viewport: { width: 390, height: 844 } });
    const page = await context.newPage();
    const { hydrate } = await openBeforeHydration(page, '/register');

    const email = 'early-typist@example.test';
    const code = creditCode('91', '320500', 'MA1EARLY1');
    const typed: Record<string, string> = {
      '#nameZh': '苏州早到精密制造有限公司',
      '#nameEn': 'Suzhou Early Precision',
      '#creditCode': code,
      '#displayName': '钱早',
      '#email': email,
      '#password': DEMO_PASSWORD,
    };
    for (const [field, text] of Object.entries(typed)) await page.locator(field).fill(text);
    const chosen: Record<string, string> = { '#regionCode': '320500', '#size': 'small', '#industryCode': 'C' };
    for (const [field, option] of Object.entries(chosen)) await page.locator(field).selectOption(option);
    expect(await hydrated(page)).toBe(false);

    await hydrate();
    expect(await hydrated(page)).toBe(true);
    for (const [field, text] of Object.entries(typed)) expect(await page.locator(field).inputValue(), field).toBe(text);
    for (const [field, option] of Object.entries(chosen)) {
      expect(await page.locator(field).inputValue(), field).toBe(option);
    }
    await shot(page, 'typed-before-hydration-01-register');

    await Promise.all([
      page.waitForURL((url) => url.pathname === '/' && url.searchParams.get('welcome') === 'enterprise', {
        waitUntil: 'commit',
        timeout: 60_000,
      }),
      page.locator('form button[type="submit"]').click(),
    ]);
    const { rows } = await db.pool.query<{ name_zh: string; credit_code: string; region_code: string }>(
      `SELECT o.name_zh, o.credit_code, o.region_code FROM users u
       JOIN memberships m ON m.user_id = u.id JOIN organisations o ON o.id = m.org_id
       WHERE u.email = $1`,
      [email],
    );
    expect(rows).toEqual([{ name_zh: typed['#nameZh'], credit_code: code, region_code: '320500' }]);
    await context.close();
  });

  it('signs in with an address typed before the login page hydrated', async () => {
    const context = await browser.newContext({ locale: 'zh-CN', viewport: { width: 390, height: 844 } });
    const page = await context.newPage();
    const { hydrate } = await openBeforeHydration(page, '/login?redirect=%2Forders');
    await page.getByTestId('login-email').fill(USERS.sme);
    await page.getByTestId('login-password').fill(DEMO_PASSWORD);
    expect(await hydrated(page)).toBe(false);

    await hydrate();
    expect(await page.getByTestId('login-email').inputValue()).toBe(USERS.sme);
    expect(await page.getByTestId('login-password').inputValue()).toBe(DEMO_PASSWORD);
    await Promise.all([
      page.waitForURL((url) => url.pathname === '/orders', { waitUntil: 'commit', timeout: 60_000 }),
      page.getByTestId('login-submit').click(),
    ]);
    await context.close();
  });
});
