import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';
import { orgOf, USERS } from '../support/scenario.ts';
import { startStack, type RunningStack } from '../support/servers.ts';
import { DEMO_PASSWORD } from '../support/app.ts';

const artifacts = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../artifacts');
const skip = process.env.QIHUB_TEST_NO_BROWSER === '1';

let db: TestDatabase;
let stack: RunningStack;
let browser: Browser;

beforeAll(async () => {
  if (skip) return;
  mkdirSync(artifacts, { recursive: true });
  db = await createTestDatabase();
  stack = await startStack(db);
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    chromiumSandbox: false,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
});
afterAll(async () => {
  if (skip) return;
  await browser?.close();
  await stack?.close();
  await db?.drop();
});

async function shot(page: Page, name: string) {
  await page.screenshot({ path: path.join(artifacts, `${name}.png`), fullPage: true });
}

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
    await page.goto(`${stack.webUrl}/login?redirect=/console`);
    await page.getByTestId('login-email').fill(USERS.lab);
    await page.getByTestId('login-password').fill(DEMO_PASSWORD);
    await page.getByTestId('login-submit').click();
    await page.waitForURL(/\/console/);
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
