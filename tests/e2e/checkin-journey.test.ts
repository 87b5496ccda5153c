import { browserJourney, NO_BROWSER, shot, signIn } from '../support/browser.ts';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { bearer, DEMO_PASSWORD, login } from '../support/app.ts';
import { bookTo } from '../support/booking-jobs.ts';
import type { TestDatabase } from '../support/db.ts';
import { nextChinaWeekday } from '../support/journey-clock.ts';
import { decodeQrSvg } from '../support/qr-svg.ts';
import { anInstrumentOf, orgOf, USERS } from '../support/scenario.ts';
import type { RunningStack } from '../support/servers.ts';

/**
 * Check-in at the instrument: a customer scans the label's QR code on a phone (390 px), signs in,
 * lands back on the check-in page, checks in when the window opens and checks out after use — the
 * times the API records are the ones shown. The lab prints the labels: each QR code reads the public
 * check-in URL of its instrument.
 */
const skip = NO_BROWSER;
const soon = { timeout: 20_000 };

let db: TestDatabase;
let stack: RunningStack;
const journey = browserJourney();
let labId: string;
let instrumentId: string;
let bookingId: string;
let start: string;

const newPage = (width: number) => journey.newPage({ width, height: 844 });
const sideways = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
/** Moves the journey clock (the API's) to an instant. */
const moveTo = (iso: string) => stack.clock.advance(new Date(iso).getTime() - stack.clock.now.getTime());
async function bookingAsApiSees(): Promise<{ status: string; actualStart: string | null; actualEnd: string | null }> {
  const res = await stack.api.inject({
    method: 'GET',
    url: `/v1/bookings/${bookingId}`,
    headers: bearer(await login(stack.api, USERS.sme)),
  });
  return res.json();
}

describe.skipIf(skip)('browser journey: check-in at the instrument', () => {
  beforeAll(async () => {
    ({ db, stack } = journey);
    labId = await orgOf(db, USERS.lab);
    instrumentId = (await anInstrumentOf(db, labId)).id;
    const [sme, lab] = await Promise.all([login(stack.api, USERS.sme), login(stack.api, USERS.lab)]);
    const day = nextChinaWeekday(stack.clock, 2, 2);
    start = `${day}T02:00:00.000Z`;
    const held = await stack.api.inject({
      method: 'POST',
      url: '/v1/bookings',
      headers: bearer(sme),
      payload: { instrumentId, start: `${day}T02:00:00Z`, end: `${day}T03:00:00Z`, mode: 'self' },
    });
    expect(held.statusCode, held.body).toBe(201);
    bookingId = held.json<{ id: string }>().id;
    const confirmed = await stack.api.inject({
      method: 'POST',
      url: `/v1/bookings/${bookingId}/confirm`,
      headers: bearer(sme),
    });
    if (confirmed.json<{ status: string }>().status === 'pending_approval') {
      const approved = await stack.api.inject({
        method: 'POST',
        url: `/v1/bookings/${bookingId}/approve`,
        headers: bearer(lab),
      });
      expect(approved.json<{ status: string }>().status).toBe('confirmed');
    }
  });

  it('a customer scans the label on a phone, signs in, checks in when the window opens and checks out after use', async () => {
    const page = await newPage(390);
    const checkinUrl = `${stack.webUrl}/checkin/${instrumentId}`;
    // Not signed in: to the login page, and back to the check-in page after it.
    await page.goto(checkinUrl);
    await page.waitForURL((u) => u.pathname === '/login');
    await page.getByTestId('login-email').fill(USERS.sme);
    await page.getByTestId('login-password').fill(DEMO_PASSWORD);
    await Promise.all([
      page.waitForURL((u) => u.pathname === `/checkin/${instrumentId}`, { timeout: 60_000 }),
      page.getByTestId('login-submit').click(),
    ]);
    // Days before the booking: nothing to check in, the next booking is named.
    await page.getByTestId('checkin-none').waitFor(soon);
    await page.getByTestId('checkin-next').waitFor(soon);
    expect(await page.getByTestId('checkin-book').count()).toBe(1);
    expect(await sideways(page)).toBe(false);
    await shot(page, 'checkin-01-none-yet');

    // Ten minutes before the start the window is open: one big 签到 button.
    moveTo(new Date(new Date(start).getTime() - 10 * 60_000).toISOString());
    await page.goto(checkinUrl);
    const checkIn = page.locator(
      `[data-testid="checkin-booking"][data-id="${bookingId}"] [data-testid="checkin-action"]`,
    );
    await checkIn.waitFor(soon);
    expect(await checkIn.getAttribute('data-action')).toBe('check-in');
    expect((await checkIn.textContent())?.trim()).toBe('签到');
    expect(await sideways(page)).toBe(false);
    await shot(page, 'checkin-02-window-open');
    await checkIn.click();
    await page.locator('[data-testid="checkin-done"][data-action="check-in"]').waitFor(soon);
    const afterIn = await bookingAsApiSees();
    expect(afterIn.status).toBe('in_use');
    expect(afterIn.actualStart).not.toBeNull();
    expect(await page.getByTestId('checkin-actual-start').textContent()).not.toBe('—');
    await shot(page, 'checkin-03-checked-in');

    // An hour later, the same label: 签退.
    moveTo(new Date(new Date(start).getTime() + 55 * 60_000).toISOString());
    await page.goto(checkinUrl);
    const checkOut = page.locator(
      `[data-testid="checkin-booking"][data-id="${bookingId}"] [data-testid="checkin-action"]`,
    );
    await checkOut.waitFor(soon);
    expect(await checkOut.getAttribute('data-action')).toBe('check-out');
    await checkOut.click();
    await page.locator('[data-testid="checkin-done"][data-action="check-out"]').waitFor(soon);
    const afterOut = await bookingAsApiSees();
    expect(afterOut).toMatchObject({ status: 'completed', actualStart: afterIn.actualStart });
    expect(afterOut.actualEnd).not.toBeNull();
    expect(await page.getByTestId('checkin-actual-end').textContent()).not.toBe('—');
    expect(await page.getByTestId('checkin-action').count()).toBe(0);
    expect(await sideways(page)).toBe(false);
    await shot(page, 'checkin-04-checked-out');
  });

  it('an operator at the instrument scans its label on a phone and checks a customer in, by the same rules', async () => {
    const [sme, lab] = await Promise.all([login(stack.api, USERS.sme), login(stack.api, USERS.lab)]);
    const day = nextChinaWeekday(stack.clock, 4, 2);
    const theirStart = `${day}T06:00:00.000Z`;
    const theirs = await bookTo(
      { app: stack.api, db },
      { customer: sme, lab },
      instrumentId,
      theirStart,
      `${day}T07:00:00.000Z`,
      'confirmed',
      stack.clock.now,
    );
    const checkinUrl = `${stack.webUrl}/checkin/${instrumentId}`;
    const card = (page: Page) => page.locator(`[data-testid="checkin-booking"][data-id="${theirs}"]`);

    // 40 minutes before the start the window is still shut, for the lab's desk as for the customer.
    moveTo(new Date(new Date(theirStart).getTime() - 40 * 60_000).toISOString());
    const page = await newPage(390);
    await signIn(page, stack.webUrl, USERS.operator, `/checkin/${instrumentId}`);
    await page.goto(checkinUrl);
    await page.getByTestId('checkin-none').waitFor(soon);
    expect(await card(page).count()).toBe(0);

    // Five minutes before: the desk sees the customer's booking, who booked it, and checks them in.
    moveTo(new Date(new Date(theirStart).getTime() - 5 * 60_000).toISOString());
    await page.goto(checkinUrl);
    await card(page).waitFor(soon);
    expect(await card(page).textContent()).toContain('李经理');
    const action = card(page).getByTestId('checkin-action');
    expect(await action.getAttribute('data-action')).toBe('check-in');
    expect(await sideways(page)).toBe(false);
    await shot(page, 'checkin-05-operator');
    await action.click();
    await page.locator('[data-testid="checkin-done"][data-action="check-in"]').waitFor(soon);
    const res = await stack.api.inject({ method: 'GET', url: `/v1/bookings/${theirs}`, headers: bearer(sme) });
    const after = res.json<{ status: string; actualStart: string }>();
    expect(after.status).toBe('in_use');
    // Recorded when the desk pressed 签到 (the journey clock runs on from where it was moved).
    const early = Date.parse(after.actualStart) - new Date(theirStart).getTime();
    expect(early).toBeGreaterThanOrEqual(-5 * 60_000);
    expect(early).toBeLessThan(0);
    await page.context().close();
  });

  it('the lab prints the labels: each QR code reads its instrument’s public check-in URL', async () => {
    const page = await newPage(1280);
    await page.goto(`${stack.webUrl}/login?redirect=${encodeURIComponent(`/console/instruments?lab=${labId}`)}`);
    await page.getByTestId('login-email').fill(USERS.lab);
    await page.getByTestId('login-password').fill(DEMO_PASSWORD);
    await Promise.all([
      page.waitForURL((u) => u.pathname === '/console/instruments', { timeout: 60_000 }),
      page.getByTestId('login-submit').click(),
    ]);
    await page.getByTestId('console-print-labels').click();
    await page.waitForURL((u) => u.pathname === '/console/instruments/labels');
    const label = page.locator(`[data-testid="checkin-label"][data-instrument="${instrumentId}"]`).first();
    await label.waitFor(soon);
    const qr = label.getByTestId('checkin-label-qr');
    expect(await qr.isVisible()).toBe(true);
    const src = (await qr.getAttribute('src'))!;
    expect(src).toMatch(/^data:image\/svg\+xml;base64,/);
    const svg = Buffer.from(src.split(',')[1]!, 'base64').toString('utf8');
    const url = decodeQrSvg(svg);
    expect(url).toMatch(new RegExp(`^${stack.webUrl}/checkin/${instrumentId}(\\?unit=\\d+)?$`));
    expect(await label.getAttribute('data-url')).toBe(url);
    expect(await label.getByTestId('checkin-label-url').textContent()).toBe(url!.replace(/^https?:\/\//, ''));
    // The image has drawn (a broken image has no natural size).
    expect(await qr.evaluate((img) => (img as HTMLImageElement).naturalWidth)).toBeGreaterThan(0);
    // Printed, only the labels remain.
    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('header.site-header').isVisible()).toBe(false);
    expect(await label.isVisible()).toBe(true);
    await shot(page, 'checkin-05-labels-print');
  });
});
