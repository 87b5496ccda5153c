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
    // Free, taken, too soon and closed are told apart: a legend read aloud, and words in the cells.
    const legendKinds = () =>
      page
        .getByTestId('calendar-legend')
        .locator('li')
        .evaluateAll((items) => items.map((li) => li.getAttribute('data-kind')));
    expect(await legendKinds()).toEqual(['free', 'taken', 'soon', 'closed']);
    expect(await page.getByTestId('calendar-legend').getAttribute('aria-hidden')).toBeNull();
    const kinds = await page
      .locator('td.cell[data-kind]')
      .evaluateAll((cells) => [...new Set(cells.map((c) => c.getAttribute('data-kind')))]);
    expect(kinds.every((k) => ['free', 'taken', 'soon', 'closed', 'none'].includes(k!))).toBe(true);
    // The days before today are past: closed, and said so.
    expect(await page.locator('td[data-kind="closed"] .visually-hidden').first().textContent()).toContain('不开放');
    const { rows: lead } = await db.pool.query<{ lead: number }>(
      'SELECT lead_minutes AS lead FROM booking_policies WHERE instrument_id = $1',
      [instrumentId],
    );
    if ((lead[0]?.lead ?? 0) > 0) {
      // Today after now is inside the lead time: not closed, too soon.
      expect(await page.locator('td[data-kind="soon"]').count()).toBeGreaterThan(0);
      expect(await page.locator('td[data-kind="soon"] .visually-hidden').first().textContent()).toContain('太近');
    }
    await page.getByTestId('slot').first().click();
    await expect.poll(() => page.getByTestId('booking-form').count()).toBe(1);
    // The chosen slot lights up its whole span, one cell per step of the grid, and the legend says so.
    const chosenSlot = page.locator('[data-testid="slot"][aria-current="true"]');
    const step = Number(await page.getByTestId('week-calendar').getAttribute('data-step'));
    const span =
      (Date.parse((await chosenSlot.getAttribute('data-end'))!) -
        Date.parse((await chosenSlot.getAttribute('data-start'))!)) /
      60_000;
    expect(span).toBeGreaterThan(step);
    expect(await page.locator('td.cell[data-chosen="true"]').count()).toBe(span / step);
    expect(await legendKinds()).toContain('chosen');
    // The copy says what the form does: submitting confirms; nothing is charged or held now.
    const priceNote = await page.getByTestId('booking-price').textContent();
    expect(priceNote).toContain('提交时不收费，也不预扣任何款项');
    expect(priceNote).toContain('按实际使用时长出账'); // and what is charged when
    const rules = await page.getByTestId('booking-rules').textContent();
    expect(rules).toContain('点击“提交预约”即确认预约，无需另行确认');
    expect(rules).not.toContain('需在保留期内确认；');
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
    // A refused empty reason shows its error, and the error goes as soon as a reason is typed.
    const reason = labPage.getByTestId('reject-reason').first();
    await reason.evaluate((el) => {
      el.removeAttribute('required');
      el.removeAttribute('minlength');
    });
    await labPage.getByTestId('reject-button').first().click();
    await expect.poll(() => labPage.getByTestId('reject-reason-error').count()).toBe(1);
    await reason.fill('样品尚未送达');
    await expect.poll(() => labPage.getByTestId('reject-reason-error').count()).toBe(0);
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

    // 5. The booking page says until when it cancels free (the cut-off of its own terms): an hour
    // before the start here, so the deadline is ahead whatever slot was first free.
    await db.pool.query(
      `UPDATE bookings SET policy = jsonb_set(jsonb_set(policy, '{cancellationCutoffMinutes}', '60'),
         '{cancellationFeeBasisPoints}', '5000') WHERE id = $1`,
      [bookingId],
    );
    await page.goto(`${stack.webUrl}/bookings/${bookingId}`);
    // Approved: 预约生效 is ticked, not left as the current step.
    expect(
      await page.locator('[data-testid="booking-timeline"] li[data-step="confirmed"]').getAttribute('class'),
    ).toContain('done');
    const { rows: terms } = await db.pool.query<{ free_until: Date }>(
      `SELECT starts_at - make_interval(mins => (policy->>'cancellationCutoffMinutes')::int) AS free_until
       FROM bookings WHERE id = $1`,
      [bookingId],
    );
    const freeUntil = page.getByTestId('booking-cancellation-terms');
    await expect.poll(() => freeUntil.getAttribute('data-free-until')).toBe(terms[0]!.free_until.toISOString());
    await page.getByTestId('booking-cancel').locator('summary').click();
    const freeCancel = page.getByTestId('cancel-free-until');
    expect(await freeCancel.getAttribute('data-until')).toBe(terms[0]!.free_until.toISOString());
    const shanghai = new Intl.DateTimeFormat('zh-CN', {
      timeZone: 'Asia/Shanghai',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    expect(await freeCancel.textContent()).toContain('北京时间');
    expect(await freeCancel.textContent()).toContain(shanghai.format(terms[0]!.free_until));
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
