import { browserJourney, NO_BROWSER, shot, signIn } from '../support/browser.ts';
import type { Browser } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { TestDatabase } from '../support/db.ts';
import { orgOf, USERS } from '../support/scenario.ts';
import type { RunningStack } from '../support/servers.ts';

const skip = NO_BROWSER;

let db: TestDatabase;
let stack: RunningStack;
let browser: Browser;
const journey = browserJourney();
beforeAll(() => {
  ({ db, stack, browser } = journey);
});

describe.skipIf(skip)('browser journey: catalogue → lab console → catalogue', () => {
  it('an SME engineer finds an instrument in Chinese, the lab manager edits it, the catalogue shows it', async () => {
    const labId = await orgOf(db, USERS.lab);
    const { rows } = await db.pool.query<{ id: string; name_zh: string; category_zh: string }>(
      `SELECT i.id, i.name_zh, c.name_zh AS category_zh FROM instruments i JOIN instrument_categories c ON c.code = i.category_code
       WHERE i.lab_id = $1 AND i.status = 'active' ORDER BY i.name_zh LIMIT 1`,
      [labId],
    );
    const instrument = rows[0]!;
    const page = await browser.newPage({ locale: 'zh-CN', viewport: { width: 1280, height: 900 } });

    // 1. Search the catalogue in Chinese, from the home page.
    await page.goto(stack.webUrl);
    await page.getByTestId('search-input').first().fill(instrument.category_zh);
    await page.getByTestId('search-submit').first().click();
    await page.waitForURL(/\/instruments\?/);
    await expect.poll(() => page.getByTestId('instrument-card').count()).toBeGreaterThan(0);
    await shot(page, '01-search');

    // 2. Open the instrument.
    await page.locator(`a[href*="/instruments/${instrument.id}"]`).first().click();
    await page.waitForURL(new RegExp(`/instruments/${instrument.id}`));
    await expect.poll(() => page.getByTestId('instrument-name').textContent()).toContain(instrument.name_zh);
    await shot(page, '02-detail');

    // 3. Log in as the lab manager.
    await signIn(page, stack.webUrl, USERS.lab, '/console/instruments');
    await expect.poll(() => page.getByTestId('console-instrument-row').count()).toBeGreaterThan(0);
    await shot(page, '03-console');

    // 4. Edit the instrument.
    await page.locator(`a[href*="/console/instruments/${instrument.id}"]`).first().click();
    await page.waitForURL(new RegExp(`/console/instruments/${instrument.id}`));
    const newName = `${instrument.name_zh}（已校准升级）`;
    const form = page.getByTestId('instrument-form');
    await form.locator('[name="nameZh"]').fill(newName);
    await form.getByTestId('form-save').click();
    await page.waitForURL((url) => !url.pathname.endsWith(instrument.id) || url.search.includes('saved'));
    await shot(page, '04-saved');

    // 5. See the change in the public catalogue.
    await page.goto(`${stack.webUrl}/instruments?q=${encodeURIComponent('已校准升级')}`);
    await expect.poll(() => page.getByTestId('instrument-card').count()).toBe(1);
    expect(await page.getByTestId('instrument-card').first().textContent()).toContain(newName);
    await shot(page, '05-catalogue-after');

    const { rows: audit } = await db.pool.query<{ action: string }>(
      "SELECT action FROM audit_log WHERE entity_id = $1 AND action = 'instrument.updated'",
      [instrument.id],
    );
    expect(audit).toHaveLength(1);
  });
});
