import { mkdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
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

async function loginAs(page: Page, email: string, redirect: string) {
  await page.goto(`${stack.webUrl}/login?redirect=${encodeURIComponent(redirect)}`);
  await page.getByTestId('login-email').fill(email);
  await page.getByTestId('login-password').fill(DEMO_PASSWORD);
  await page.getByTestId('login-submit').click();
  await page.waitForURL((url) => !url.pathname.startsWith('/login'));
}

describe.skipIf(skip)('browser journey: booking instrument time', () => {
  it('an SME books a free slot, the lab approves it, the SME sees it confirmed and downloads the .ics', async () => {
    const labId = await orgOf(db, USERS.lab);
    const { rows } = await db.pool.query<{ id: string }>(
      `SELECT i.id FROM instruments i WHERE i.lab_id = $1 AND i.status = 'active' AND i.external_rate_hour IS NOT NULL
       ORDER BY i.name_zh LIMIT 1`,
      [labId],
    );
    const instrumentId = rows[0]!.id;
    const sme = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1280, height: 900 } });
    const page = await sme.newPage();

    // 1. The SME logs in, opens the instrument and picks the first free slot.
    await loginAs(page, USERS.sme, `/instruments/${instrumentId}`);
    await page.goto(`${stack.webUrl}/instruments/${instrumentId}`);
    await expect.poll(() => page.getByTestId('slot').count()).toBeGreaterThan(0);
    await shot(page, 'booking-01-week');
    await page.getByTestId('slot').first().click();
    await expect.poll(() => page.getByTestId('booking-form').count()).toBe(1);
    expect(Number(await page.getByTestId('booking-price').getAttribute('data-amount'))).toBeGreaterThan(0);
    await shot(page, 'booking-02-form');

    // 2. Book it: it waits for the lab's approval.
    await page.getByTestId('booking-submit').click();
    await page.waitForURL(/\/bookings\/[0-9a-f-]{36}/);
    const bookingId = /\/bookings\/([0-9a-f-]{36})/.exec(page.url())![1]!;
    await expect
      .poll(() => page.getByTestId('booking-status').first().getAttribute('data-status'))
      .toBe('pending_approval');
    await shot(page, 'booking-03-pending');

    // 3. The lab manager approves it in the console.
    const lab = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1280, height: 900 } });
    const labPage = await lab.newPage();
    await loginAs(labPage, USERS.lab, '/console/bookings');
    await labPage.goto(`${stack.webUrl}/console/bookings/${bookingId}`);
    await labPage.getByTestId('approve-button').first().click();
    await expect
      .poll(async () => {
        await labPage.waitForLoadState();
        return labPage.getByTestId('lab-booking-status').first().getAttribute('data-status');
      })
      .toBe('confirmed');
    await shot(labPage, 'booking-04-approved');

    // 4. The SME sees it confirmed and downloads the calendar file.
    await page.goto(`${stack.webUrl}/bookings`);
    const row = page.locator(`[data-testid="booking-row"][data-booking-id="${bookingId}"]`);
    await expect.poll(() => row.getAttribute('data-status')).toBe('confirmed');
    await shot(page, 'booking-05-confirmed');
    const [download] = await Promise.all([page.waitForEvent('download'), row.getByTestId('ics-download').click()]);
    const ics = await readFile((await download.path())!, 'utf8');
    expect(ics).toContain('BEGIN:VCALENDAR');
    expect(ics).toContain(`UID:${bookingId}@qihub`);
    expect(ics).toContain('STATUS:CONFIRMED');

    const { rows: booked } = await db.pool.query<{ status: string }>('SELECT status FROM bookings WHERE id = $1', [
      bookingId,
    ]);
    expect(booked[0]?.status).toBe('confirmed');
    await sme.close();
    await lab.close();
  });
});
