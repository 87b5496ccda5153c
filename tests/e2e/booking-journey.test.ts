import { browserJourney, NO_BROWSER, shot, signIn } from '../support/browser.ts';
import { readFile } from 'node:fs/promises';
import { type Browser, type Page } from 'playwright-core';
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

async function loginAs(page: Page, email: string, redirect: string) {
  await signIn(page, stack.webUrl, email, redirect);
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

    // 5. The booking page says until when it cancels free (the cut-off of its own terms).
    await page.goto(`${stack.webUrl}/bookings/${bookingId}`);
    const { rows: terms } = await db.pool.query<{ free_until: Date }>(
      `SELECT starts_at - make_interval(mins => (policy->>'cancellationCutoffMinutes')::int) AS free_until
       FROM bookings WHERE id = $1`,
      [bookingId],
    );
    const freeUntil = page.getByTestId('booking-cancellation-terms');
    await expect.poll(() => freeUntil.getAttribute('data-free-until')).toBe(terms[0]!.free_until.toISOString());
    await shot(page, 'booking-06-terms');
    await sme.close();
    await lab.close();
  });

  it('a lab manager sets how many slots one person may hold at once; fewer at the lab than per instrument is refused', async () => {
    const labId = await orgOf(db, USERS.lab);
    const ctx = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1280, height: 900 } });
    const page = await ctx.newPage();
    await loginAs(page, USERS.lab, '/console/settings/lab');
    await page.goto(`${stack.webUrl}/console/settings/lab`);
    const field = (name: string) => page.getByTestId(`lab-settings-${name}`);
    expect(await field('maxHoldsPerInstrument').inputValue()).toBe('2');
    expect(await field('maxHoldsPerLab').inputValue()).toBe('5');

    await field('maxHoldsPerInstrument').fill('3');
    await field('maxHoldsPerLab').fill('2');
    await page.getByTestId('lab-settings-save').click();
    await expect.poll(() => page.locator('#maxHoldsPerLab[aria-invalid="true"]').count()).toBe(1);
    const settings = async () =>
      (
        await db.pool.query<{ i: number; l: number }>(
          'SELECT max_holds_per_instrument AS i, max_holds_per_lab AS l FROM lab_booking_settings WHERE lab_id = $1',
          [labId],
        )
      ).rows[0] ?? null;
    expect(await settings()).toBeNull();

    await field('maxHoldsPerLab').fill('6');
    await page.getByTestId('lab-settings-save').click();
    await expect.poll(() => page.getByTestId('lab-settings-saved').count()).toBe(1);
    expect(await settings()).toEqual({ i: 3, l: 6 });
    // The form still shows what was saved (ready for the next change).
    expect(await field('maxHoldsPerInstrument').inputValue()).toBe('3');
    expect(await field('violationThreshold').inputValue()).toBe('3');
    await shot(page, 'booking-07-hold-limits');
    await ctx.close();
  });

  it('a customer makes a calendar feed link, sees it once, and turns the feed off', async () => {
    const context = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await loginAs(page, USERS.sme2, '/bookings');
    await page.goto(`${stack.webUrl}/bookings`);
    const card = page.getByTestId('calendar-feed');
    await card.getByTestId('calendar-feed-create').click();
    const box = card.getByTestId('calendar-feed-url');
    await expect.poll(() => box.count()).toBe(1);
    const feedPath = new URL(await box.inputValue()).pathname;
    expect(feedPath).toMatch(/^\/v1\/calendar\/feeds\/[A-Za-z0-9_-]{43}\.ics$/);
    expect((await fetch(`${stack.apiUrl}${feedPath}`)).status).toBe(200);
    await shot(page, 'booking-08-feed-made');

    // Shown once: on the next visit the card only says the feed is on.
    await page.goto(`${stack.webUrl}/bookings`);
    await expect.poll(() => card.getByTestId('calendar-feed-on').count()).toBe(1);
    expect(await card.getByTestId('calendar-feed-url').count()).toBe(0);

    await card.getByTestId('calendar-feed-revoke').click();
    await expect.poll(() => page.getByTestId('flash').count()).toBe(1);
    await expect.poll(() => card.getByTestId('calendar-feed-create').count()).toBe(1);
    expect((await fetch(`${stack.apiUrl}${feedPath}`)).status).toBe(404);
    await shot(page, 'booking-09-feed-off');
    await context.close();
  });
});
