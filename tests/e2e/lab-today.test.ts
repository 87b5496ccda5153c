import { browserJourney, NO_BROWSER, shot, signIn } from '../support/browser.ts';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { bearer, login } from '../support/app.ts';
import type { TestDatabase } from '../support/db.ts';
import { anInstrumentOf, orgOf, USERS } from '../support/scenario.ts';
import { nextChinaWeekday } from '../support/journey-clock.ts';
import type { RunningStack } from '../support/servers.ts';

/**
 * The lab console opens on 今日: a lab manager sees the day's counts on the page and in the
 * navigation, approves a booking from there and sees the count drop; a reviewer lands on the review
 * queue; each role's header offers its own pages; the console reads at 390 px without sideways scrolling.
 */
const skip = NO_BROWSER;
const REVIEWER = 'reviewer@demo.qihub.test';
const soon = { timeout: 15_000 };

let db: TestDatabase;
let stack: RunningStack;
const journey = browserJourney();
let bookingId: string;

const newPage = (width = 1280) => journey.newPage({ width, height: 900 });
const count = async (page: Page, testid: string) =>
  Number((await page.getByTestId(testid).textContent())?.replace(/[^0-9]/g, ''));
const headerLinks = async (page: Page) =>
  page
    .locator('header.site-header nav a')
    .evaluateAll((as) => as.map((a) => new URL((a as HTMLAnchorElement).href).pathname));

describe.skipIf(skip)('browser journey: the lab console starts with today', () => {
  beforeAll(async () => {
    ({ db, stack } = journey);
    const labId = await orgOf(db, USERS.lab);
    const instrument = await anInstrumentOf(db, labId);
    const sme = await login(stack.api, USERS.sme);
    const day = nextChinaWeekday(stack.clock, 2, 2);
    const held = await stack.api.inject({
      method: 'POST',
      url: '/v1/bookings',
      headers: bearer(sme),
      payload: { instrumentId: instrument.id, start: `${day}T02:00:00Z`, end: `${day}T03:00:00Z`, mode: 'self' },
    });
    expect(held.statusCode, held.body).toBe(201);
    bookingId = held.json<{ id: string }>().id;
    const confirmed = await stack.api.inject({
      method: 'POST',
      url: `/v1/bookings/${bookingId}/confirm`,
      headers: bearer(sme),
    });
    expect(confirmed.json<{ status: string }>().status).toBe('pending_approval');
  });

  it('a lab manager lands on 今日 with the counts, approves a booking from there, and the count drops', async () => {
    const page = await newPage();
    await signIn(page, stack.webUrl, USERS.lab, '/console');
    await page.waitForURL((u) => u.pathname === '/console');
    await page.getByTestId('today-counts').waitFor(soon);
    const before = await count(page, 'today-n-approvals');
    expect(before).toBeGreaterThanOrEqual(1);
    // The navigation carries the same counts: bookings (approvals, check-ins, check-outs) and the day's total.
    expect(await count(page, 'console-nav-bookings-count')).toBeGreaterThanOrEqual(before);
    expect(await count(page, 'console-nav-today-count')).toBeGreaterThanOrEqual(before);
    expect(await page.getByTestId('console-nav').locator('[role="group"]').count()).toBeGreaterThanOrEqual(4);
    await shot(page, 'today-01-manager');

    const row = page.locator(`[data-testid="today-row-approvals"][data-id="${bookingId}"]`);
    await row.getByTestId('today-approve').click();
    await page.getByTestId('action-done').waitFor(soon);
    await expect.poll(() => count(page, 'today-n-approvals'), soon).toBe(before - 1);
    expect(await page.locator(`[data-testid="today-row-approvals"][data-id="${bookingId}"]`).count()).toBe(0);
    const status = await stack.api.inject({
      method: 'GET',
      url: `/v1/bookings/${bookingId}`,
      headers: bearer(await login(stack.api, USERS.lab)),
    });
    expect(status.json<{ status: string }>().status).toBe('confirmed');
    await shot(page, 'today-02-approved');
  });

  it('a reviewer lands on the review queue, and reaches 今日 from the navigation', async () => {
    const page = await newPage();
    await signIn(page, stack.webUrl, REVIEWER, '/console');
    await page.waitForURL((u) => u.pathname === '/console/orders' && u.searchParams.get('tab') === 'report_review');
    await page.getByTestId('console-nav-today').click();
    await page.waitForURL((u) => u.pathname === '/console');
    await page.getByTestId('today-counts').waitFor(soon);
  });

  it('gives each role its own header', async () => {
    const lab = await newPage();
    await signIn(lab, stack.webUrl, USERS.lab, '/');
    const labLinks = await headerLinks(lab);
    expect(labLinks).toContain('/console');
    expect(labLinks).not.toContain('/bookings');
    expect(labLinks).not.toContain('/orders');

    const sme = await newPage();
    await signIn(sme, stack.webUrl, USERS.sme, '/');
    const smeLinks = await headerLinks(sme);
    expect(smeLinks).toEqual(expect.arrayContaining(['/bookings', '/orders', '/invoices']));
    expect(smeLinks).not.toContain('/console');
    expect(smeLinks).not.toContain('/admin');

    const admin = await newPage();
    await signIn(admin, stack.webUrl, USERS.admin, '/');
    const adminLinks = await headerLinks(admin);
    expect(adminLinks).toContain('/admin');
    expect(adminLinks).not.toContain('/bookings');
    expect(adminLinks).not.toContain('/console');
  });

  it('reads at 390 px: the navigation folds into a button, nothing scrolls sideways', async () => {
    for (const [who, path, nav] of [
      [USERS.lab, '/console', 'console-nav'],
      [USERS.admin, '/admin', 'admin-nav'],
    ] as const) {
      const page = await newPage(390);
      await signIn(page, stack.webUrl, who, path);
      await page.waitForURL((u) => u.pathname === path);
      const wide = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
      expect(wide, `${path} scrolls sideways`).toBe(false);
      await page.getByTestId(`${nav}-toggle`).click();
      await page.getByTestId(`${nav}-groups`).waitFor(soon);
      expect(await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth)).toBe(false);
      await shot(page, `today-390-${nav}`);
    }
  });
});
