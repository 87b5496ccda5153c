import { beforeAll, describe, expect, it } from 'vitest';
import { browserJourney, NO_BROWSER, shot } from '../support/browser.ts';
import type { TestDatabase } from '../support/db.ts';
import { inView, PHONE_WIDTH, scrollDownTo, sidewaysScroll } from '../support/page-audit.ts';
import { orgOf, USERS } from '../support/scenario.ts';
import type { RunningStack } from '../support/servers.ts';

// The main journeys on a phone held upright (390 × 844): book instrument time, request a test, and
// the lab approving the booking, each page read without sideways scrolling and each next step in sight.

const skip = NO_BROWSER;
const PHONE = { width: PHONE_WIDTH, height: 844 };

let db: TestDatabase;
let stack: RunningStack;
const journey = browserJourney();
beforeAll(() => {
  ({ db, stack } = journey);
});

// Not `isMobile`: a mobile viewport grows to fit a page that is too wide, which would hide the fault.
const onPhone = (email: string, redirect: string) => journey.person(email, redirect, PHONE);

async function instrumentToBook(): Promise<string> {
  const labId = await orgOf(db, USERS.lab);
  const { rows } = await db.pool.query<{ id: string }>(
    `SELECT id FROM instruments WHERE lab_id = $1 AND status = 'active' AND external_rate_hour IS NOT NULL
     ORDER BY name_zh LIMIT 1`,
    [labId],
  );
  return rows[0]!.id;
}

describe.skipIf(skip)('browser journeys on a phone (390 px)', { timeout: 300_000 }, () => {
  let bookingId = '';

  it('an SME books a slot: one day at a time, and the chosen slot and its submit button stay in view', async () => {
    const instrumentId = await instrumentToBook();
    const { context, page } = await onPhone(USERS.sme, `/instruments/${instrumentId}`);
    try {
      await page.goto(`${stack.webUrl}/instruments/${instrumentId}`);
      expect(await sidewaysScroll(page)).toBeNull();

      // The week is read one day at a time: seven days to pick from, one column of times shown.
      const days = page.getByTestId('day-pick');
      expect(await days.count()).toBe(7);
      expect(await page.getByTestId('day-picker').isVisible()).toBe(true);
      const shownColumns = () =>
        page
          .locator('[data-testid="week-calendar"] thead th:not(.time-col)')
          .evaluateAll((ths) => ths.filter((th) => getComputedStyle(th).display !== 'none').length);
      expect(await shownColumns()).toBe(1);

      // Picking another day with free time shows that day, without leaving the page.
      const freeDays = await days.evaluateAll((links) =>
        links.filter((a) => !a.classList.contains('none')).map((a) => a.getAttribute('data-date')!),
      );
      expect(freeDays.length).toBeGreaterThan(0);
      const day = freeDays[freeDays.length - 1]!;
      const before = page.url();
      await page.locator(`[data-testid="day-pick"][data-date="${day}"]`).click();
      await expect
        .poll(() => page.locator(`[data-testid="day-pick"][data-date="${day}"]`).getAttribute('aria-current'))
        .toBe('true');
      expect(page.url()).toBe(before);
      expect(await shownColumns()).toBe(1);
      const slot = page.locator(`td[data-date="${day}"] [data-testid="slot"]`).first();
      expect(await slot.isVisible()).toBe(true);
      expect(await sidewaysScroll(page)).toBeNull();
      await shot(page, 'phone-01-day');

      // Tapping a slot opens its confirm panel in place: the page does not jump back to the top, the
      // choice is said to screen readers, and the submit button is on the screen.
      const start = (await slot.getAttribute('data-start'))!;
      const time = (await slot.locator('.t').textContent())!.trim();
      await slot.click();
      await page.waitForURL((u) => u.searchParams.get('start') === start);
      await expect.poll(() => page.getByTestId('booking-form').count()).toBe(1);
      await expect.poll(() => page.evaluate(() => window.scrollY)).toBeGreaterThan(0);
      expect(await page.getByTestId('booking-choice-status').textContent()).toContain('已选择');
      await expect.poll(() => inView(page.getByTestId('booking-submit'))).toBe(true);
      expect(await inView(page.getByTestId('booking-confirm-bar'))).toBe(true);
      expect(await page.getByTestId('booking-confirm-bar').textContent()).toContain(time);
      // The chosen day stays the one shown, its slot marked.
      expect(await page.locator(`td[data-date="${day}"] [data-testid="slot"][aria-current="true"]`).count()).toBe(1);
      expect(await sidewaysScroll(page)).toBeNull();
      await shot(page, 'phone-02-chosen');

      await page.getByTestId('booking-submit').click();
      await page.waitForURL(/\/bookings\/[0-9a-f-]{36}/);
      bookingId = /\/bookings\/([0-9a-f-]{36})/.exec(page.url())![1]!;
      await expect
        .poll(() => page.getByTestId('booking-status').first().getAttribute('data-status'))
        .toBe('pending_approval');
      expect(await sidewaysScroll(page)).toBeNull();

      // 我的预约 lists it as a card, nothing past the edge.
      await page.goto(`${stack.webUrl}/bookings`);
      const row = page.locator(`[data-testid="booking-row"][data-booking-id="${bookingId}"]`);
      expect(await row.count()).toBe(1);
      expect(await sidewaysScroll(page)).toBeNull();
      await shot(page, 'phone-03-my-bookings');
    } finally {
      await context.close();
    }
  });

  it('a lab member approves the booking on a phone: the console in the header, the approve button on screen', async () => {
    expect(bookingId).not.toBe('');
    const { context, page } = await onPhone(USERS.lab, '/console/bookings?tab=pending');
    try {
      await page.goto(`${stack.webUrl}/console/bookings?tab=pending`);
      expect(await sidewaysScroll(page)).toBeNull();
      // 实验室控制台 in the header is whole on the screen, not cut off at its edge.
      expect(await inView(page.locator('.site-header nav a[href="/console"]'))).toBe(true);

      // Each booking a card: its approve button is inside the screen, not off to the right.
      const row = page.locator(`[data-testid="approval-row"][data-booking-id="${bookingId}"]`);
      expect(await row.evaluate((tr) => getComputedStyle(tr).display)).toBe('block');
      const approve = row.getByTestId('approve-button');
      // Scrolled to down the page only: scrollIntoViewIfNeeded would also scroll a clipped row sideways.
      await scrollDownTo(approve);
      expect(await inView(approve)).toBe(true);
      await shot(page, 'phone-04-approvals');
      await approve.click();
      await expect
        .poll(async () => {
          const { rows } = await db.pool.query<{ status: string }>('SELECT status FROM bookings WHERE id = $1', [
            bookingId,
          ]);
          return rows[0]?.status;
        })
        .toBe('confirmed');
      await page.goto(`${stack.webUrl}/console/bookings?tab=all`);
      expect(await sidewaysScroll(page)).toBeNull();
      await shot(page, 'phone-05-approved');
    } finally {
      await context.close();
    }
  });

  it('the SME moves the booking on a phone: the tapped slot leads to its move button, in view', async () => {
    expect(bookingId).not.toBe('');
    const { context, page } = await onPhone(USERS.sme, `/bookings/${bookingId}/reschedule`);
    try {
      await page.goto(`${stack.webUrl}/bookings/${bookingId}/reschedule`);
      expect(await sidewaysScroll(page)).toBeNull();
      const days = page.getByTestId('day-pick');
      const freeDays = await days.evaluateAll((links) =>
        links.filter((a) => !a.classList.contains('none')).map((a) => a.getAttribute('data-date')!),
      );
      expect(freeDays.length).toBeGreaterThan(0);
      const day = freeDays[0]!;
      await page.locator(`[data-testid="day-pick"][data-date="${day}"]`).click();
      await expect
        .poll(() => page.locator(`[data-testid="day-pick"][data-date="${day}"]`).getAttribute('aria-current'))
        .toBe('true');
      const slot = page.locator(`td[data-date="${day}"] [data-testid="slot"]`).first();
      const start = (await slot.getAttribute('data-start'))!;
      await slot.click();
      await page.waitForURL((u) => u.searchParams.get('start') === start);
      await expect.poll(() => page.getByTestId('reschedule-form').count()).toBe(1);
      // Not back at the top: the move button is on the screen, the choice said to screen readers.
      await expect.poll(() => page.evaluate(() => window.scrollY)).toBeGreaterThan(0);
      await expect.poll(() => inView(page.getByTestId('reschedule-submit'))).toBe(true);
      expect(await page.getByTestId('reschedule-choice-status').textContent()).toContain('已选择');
      expect(await sidewaysScroll(page)).toBeNull();
      await shot(page, 'phone-03b-reschedule');

      await page.getByTestId('reschedule-submit').click();
      await page.waitForURL(/\/bookings\/[0-9a-f-]{36}\?flash=rescheduled/);
      const movedId = /\/bookings\/([0-9a-f-]{36})/.exec(page.url())![1]!;
      const { rows } = await db.pool.query<{ starts_at: Date }>(`SELECT starts_at FROM bookings WHERE id = $1`, [
        movedId,
      ]);
      expect(rows[0]!.starts_at.toISOString()).toBe(new Date(start).toISOString());
      expect(await sidewaysScroll(page)).toBeNull();
    } finally {
      await context.close();
    }
  });

  it('an SME requests a test on a phone and finds it in 我的订单 as a card; the lab finds it in its queue', async () => {
    const labId = await orgOf(db, USERS.lab);
    const { rows: svc } = await db.pool.query<{ id: string }>(
      `SELECT id FROM services WHERE lab_id = $1 AND name_zh = '中性盐雾试验'`,
      [labId],
    );
    const serviceId = svc[0]!.id;
    const sme = await onPhone(USERS.sme, `/services/${serviceId}`);
    const lab = await onPhone(USERS.lab, '/console/orders');
    try {
      const page = sme.page;
      await page.goto(`${stack.webUrl}/services/${serviceId}`);
      expect(await sidewaysScroll(page)).toBeNull();
      const request = page.getByTestId('order-request-form');
      await request.locator('#sampleCount').fill('2');
      await request.locator('#quantity').fill('48');
      await request.locator('#parameterZh').fill('中性盐雾试验');
      await request.locator('#requestNotes').fill('铝合金 6061 阳极氧化件，试验 48 h，评定腐蚀等级。');
      await page.getByTestId('order-request-submit').click();
      await page.waitForURL(/\/orders\/[0-9a-f-]{36}/);
      const orderId = /\/orders\/([0-9a-f-]{36})/.exec(page.url())![1]!;
      expect(await sidewaysScroll(page)).toBeNull();

      // 我的订单: each order a card, the lab's name on one line, the amount inside the screen.
      await page.goto(`${stack.webUrl}/orders`);
      expect(await sidewaysScroll(page)).toBeNull();
      const row = page.locator(`[data-testid="order-row"][data-order-id="${orderId}"]`);
      expect(await row.evaluate((tr) => getComputedStyle(tr).display)).toBe('block');
      const cells = row.locator('td');
      const labCell = cells.nth(2);
      const lineHeight = await labCell.evaluate((td) => parseFloat(getComputedStyle(td).lineHeight));
      expect((await labCell.boundingBox())!.height).toBeLessThan(lineHeight * 2.5);
      const amount = cells.nth(4);
      const box = (await amount.boundingBox())!;
      expect(box.x + box.width).toBeLessThanOrEqual(PHONE.width);
      await shot(page, 'phone-06-my-orders');

      // The lab's queue on a phone: the same card pattern.
      await lab.page.goto(`${stack.webUrl}/console/orders?tab=requested`);
      expect(await sidewaysScroll(lab.page)).toBeNull();
      const queued = lab.page.locator(`[data-testid="console-order-row"][data-order-id="${orderId}"]`);
      expect(await queued.evaluate((tr) => getComputedStyle(tr).display)).toBe('block');
      expect(await inView(queued.getByTestId('console-order-link'))).toBe(true);
      await shot(lab.page, 'phone-07-lab-queue');
    } finally {
      await sme.context.close();
      await lab.context.close();
    }
  });
});
