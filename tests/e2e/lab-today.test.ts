import { browserJourney, NO_BROWSER, shot, signIn } from '../support/browser.ts';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { bearer, login } from '../support/app.ts';
import type { TestDatabase } from '../support/db.ts';
import { anOrder, serviceOfKind } from '../factories/orders.ts';
import { inView, PHONE_WIDTH, scrollDownTo, sidewaysScroll } from '../support/page-audit.ts';
import { anInstrumentOf, orgOf, USERS } from '../support/scenario.ts';
import { chinaDate, nextChinaWeekday } from '../support/journey-clock.ts';
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
let phoneBookingId: string;
let labId: string;
const made = {} as Record<'checkIns' | 'checkOuts' | 'toQuote' | 'samplesExpected', string>;
const DAY_MS = 86_400_000;
const PHONE = { width: PHONE_WIDTH, height: 844 };

const newPage = (width = 1280, height = 900) => journey.newPage({ width, height });
const count = async (page: Page, testid: string) =>
  Number((await page.getByTestId(testid).textContent())?.replace(/[^0-9]/g, ''));
/** A navigation badge's number; a link with nothing waiting shows no badge. */
const badge = async (page: Page, testid: string) =>
  (await page.getByTestId(testid).count()) === 0 ? 0 : count(page, testid);
/** Wholly inside the phone's viewport. */

type Today = { sections: { key: string; count: number; items: { id: string }[] }[] };
/** A booking's status as the API has it, asked as the lab manager. */
async function bookingStatus(id: string): Promise<string> {
  const res = await stack.api.inject({
    method: 'GET',
    url: `/v1/bookings/${id}`,
    headers: bearer(await login(stack.api, USERS.lab)),
  });
  return res.json<{ status: string }>().status;
}

/** The queues as the page's server load reads them (`GET /v1/labs/{id}/today`), for the manager. */
async function apiCounts(): Promise<Record<string, number>> {
  const res = await stack.api.inject({
    method: 'GET',
    url: `/v1/labs/${labId}/today`,
    headers: bearer(await login(stack.api, USERS.lab)),
  });
  expect(res.statusCode, res.body).toBe(200);
  return Object.fromEntries(res.json<Today>().sections.map((s) => [s.key, s.count]));
}
/** Which of the day's queues each console link counts (the 今日 link counts them all). */
const NAV_SECTIONS: Record<string, string[]> = {
  bookings: ['approvals', 'checkIns', 'checkOuts'],
  orders: ['toQuote', 'samplesExpected', 'reportsToReview', 'reportsToSign', 'overdue'],
  finance: ['bankLines', 'overdueInvoices'],
};
/** Every tile's number on 今日, by queue. */
const pageCounts = async (page: Page): Promise<Record<string, number>> =>
  page
    .getByTestId('today-counts')
    .locator('[data-testid^="today-n-"]')
    .evaluateAll((ns) =>
      Object.fromEntries(
        ns.map((n) => [n.getAttribute('data-testid')!.slice('today-n-'.length), Number(n.textContent)]),
      ),
    );
const headerLinks = async (page: Page) =>
  page
    .locator('header.site-header nav a')
    .evaluateAll((as) => as.map((a) => new URL((a as HTMLAnchorElement).href).pathname));

/**
 * The 今日 page against the API it is read from: every queue's tile carries the API's count, each
 * queue with something in it lists that many rows (or its first few and how many more), and each
 * navigation badge is the sum of the queues behind its link. Answers the page's counts.
 */
async function expectQueuesAddUp(page: Page): Promise<Record<string, number>> {
  const shown = await pageCounts(page);
  expect(shown).toEqual(await apiCounts());
  // Not a comparison of zeros: the seed and this journey's set-up fill most queues.
  expect(Object.values(shown).filter((n) => n > 0).length).toBeGreaterThanOrEqual(5);
  for (const [key, n] of Object.entries(shown)) {
    const section = page.getByTestId(`today-section-${key}`);
    if (n === 0) {
      expect(await section.count(), key).toBe(0);
      continue;
    }
    expect(Number(await section.locator('h2 .count').textContent()), key).toBe(n);
    const rows = await section.getByTestId(`today-row-${key}`).count();
    const more = section.getByTestId(`today-more-${key}`);
    if (rows < n) {
      expect(rows, key).toBeGreaterThan(0);
      expect(Number((await more.textContent())?.replace(/[^0-9]/g, '')), key).toBe(n - rows);
    } else {
      expect(rows, key).toBe(n);
      expect(await more.count(), key).toBe(0);
    }
  }
  const sum = (keys: string[]) => keys.reduce((t, k) => t + (shown[k] ?? 0), 0);
  expect(await badge(page, 'console-nav-today-count'), 'today').toBe(sum(Object.keys(shown)));
  for (const [link, keys] of Object.entries(NAV_SECTIONS)) {
    expect(await badge(page, `console-nav-${link}-count`), link).toBe(sum(keys));
  }
  return shown;
}

describe.skipIf(skip)('browser journey: the lab console starts with today', () => {
  beforeAll(async () => {
    ({ db, stack } = journey);
    labId = await orgOf(db, USERS.lab);
    const instrument = await anInstrumentOf(db, labId);
    const [sme, lab] = await Promise.all([login(stack.api, USERS.sme), login(stack.api, USERS.lab)]);
    const call = (token: string, method: 'GET' | 'POST', url: string, payload?: object) =>
      stack.api.inject({ method, url, headers: bearer(token), payload });
    /** A booking the customer holds and confirms: it then waits for the lab's approval. */
    const book = async (start: string, end: string) => {
      const held = await call(sme, 'POST', '/v1/bookings', { instrumentId: instrument.id, start, end, mode: 'self' });
      expect(held.statusCode, held.body).toBe(201);
      const id = held.json<{ id: string }>().id;
      const confirmed = await call(sme, 'POST', `/v1/bookings/${id}/confirm`);
      expect(confirmed.json<{ status: string }>().status).toBe('pending_approval');
      return id;
    };
    const day = nextChinaWeekday(stack.clock, 2, 2);
    bookingId = await book(`${day}T02:00:00Z`, `${day}T03:00:00Z`);
    phoneBookingId = await book(`${day}T04:00:00Z`, `${day}T05:00:00Z`);

    // Two of today's bookings, made two days ago (the lead time is a day) and approved then: one to
    // check in this afternoon, one starting within the half hour, checked in now and so to check out.
    const today = chinaDate(stack.clock);
    stack.clock.advance(-2 * DAY_MS);
    try {
      made.checkIns = await book(`${today}T06:00:00Z`, `${today}T07:00:00Z`);
      // 09:30: its check-in opened at 09:00, when the journey clock started (it has run on since).
      made.checkOuts = await book(`${today}T01:30:00Z`, `${today}T02:30:00Z`);
      for (const id of [made.checkIns, made.checkOuts]) {
        const approved = await call(lab, 'POST', `/v1/bookings/${id}/approve`);
        expect(approved.json<{ status: string }>().status, approved.body).toBe('confirmed');
      }
    } finally {
      stack.clock.advance(2 * DAY_MS);
    }
    const checkedIn = await call(lab, 'POST', `/v1/bookings/${made.checkOuts}/check-in`);
    expect(checkedIn.statusCode, checkedIn.body).toBe(200);

    // Orders: one waiting for its quote, one accepted and waiting for the samples.
    const world = { app: stack.api, db };
    const parties = { customer: sme, lab, labId };
    const onQuote = await serviceOfKind(
      db,
      labId,
      ['commissioned_test', 'outsourced_experiment', 'calibration'],
      false,
    );
    made.toQuote = (await anOrder(world, parties).ofService(onQuote.id, 1).requested()).order.id;
    const priced = await serviceOfKind(db, labId, ['commissioned_test'], true);
    made.samplesExpected = (await anOrder(world, parties).ofService(priced.id, 1).accepted()).order.id;
  });

  it('shows every queue of the day for the manager: each count is its rows, and the navigation adds them up', async () => {
    const page = await newPage();
    await signIn(page, stack.webUrl, USERS.lab, '/console');
    await page.waitForURL((u) => u.pathname === '/console');
    await page.getByTestId('today-counts').waitFor(soon);
    const shown = await expectQueuesAddUp(page);
    // What this journey set up is there (the seed adds a request to quote and leftover samples).
    for (const key of ['approvals', 'checkIns', 'checkOuts', 'toQuote', 'samplesExpected'] as const) {
      expect(shown[key], key).toBeGreaterThanOrEqual(key === 'approvals' ? 2 : 1);
    }
    for (const [key, id] of Object.entries(made)) {
      expect(await page.locator(`[data-testid="today-row-${key}"][data-id="${id}"]`).count(), key).toBe(1);
    }
    await shot(page, 'today-00-queues');
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
    expect(await bookingStatus(bookingId)).toBe('confirmed');
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
  it('on a phone (390 px), a lab manager approves a booking from 今日: the button on screen, count and badge drop by one', async () => {
    const page = await newPage(PHONE.width, PHONE.height);
    await signIn(page, stack.webUrl, USERS.lab, '/console');
    await page.waitForURL((u) => u.pathname === '/console');
    await page.getByTestId('today-counts').waitFor(soon);
    expect(await sidewaysScroll(page)).toBeNull();
    // Folded, the navigation's button says how many things wait today (the 今日 tile sum, not the
    // badges added up: 今日's own badge already holds the others).
    const waiting = Object.values(await pageCounts(page)).reduce((t, n) => t + n, 0);
    expect(await badge(page, 'console-nav-toggle-count')).toBe(waiting);
    // Opened, it shows the same badges as on a wide screen.
    await page.getByTestId('console-nav-toggle').click();
    await page.getByTestId('console-nav-groups').waitFor(soon);
    expect(await page.getByTestId('console-nav-bookings-count').isVisible()).toBe(true);
    const shown = await expectQueuesAddUp(page);
    const before = { approvals: shown.approvals!, bookings: await badge(page, 'console-nav-bookings-count') };
    const today = await badge(page, 'console-nav-today-count');
    expect(before.approvals).toBeGreaterThanOrEqual(1);
    await page.getByTestId('console-nav-toggle').click();

    const row = page.locator(`[data-testid="today-row-approvals"][data-id="${phoneBookingId}"]`);
    const approve = row.getByTestId('today-approve');
    // Scrolled to as a thumb would, down the page only (scrollIntoView would also scroll a clipped
    // row sideways and bring an off-screen button into view).
    await scrollDownTo(approve);
    expect(await inView(approve)).toBe(true);
    expect(await sidewaysScroll(page)).toBeNull();
    await shot(page, 'today-390-approvals');
    await approve.click();
    await page.getByTestId('action-done').waitFor(soon);
    await expect.poll(() => count(page, 'today-n-approvals'), soon).toBe(before.approvals - 1);
    expect(await row.count()).toBe(0);
    expect(await badge(page, 'console-nav-bookings-count')).toBe(before.bookings - 1);
    expect(await badge(page, 'console-nav-today-count')).toBe(today - 1);
    expect(await badge(page, 'console-nav-toggle-count')).toBe(waiting - 1);
    expect((await expectQueuesAddUp(page)).approvals).toBe(before.approvals - 1);
    expect(await sidewaysScroll(page)).toBeNull();
    expect(await bookingStatus(phoneBookingId)).toBe('confirmed');
    await shot(page, 'today-390-approved');
  });
});
