import { beforeAll, describe, expect, it } from 'vitest';
import { browserJourney, DESKTOP, NO_BROWSER, shot, signIn } from '../support/browser.ts';
import type { TestDatabase } from '../support/db.ts';
import { bearer, login } from '../support/app.ts';
import { chinaDate, nextChinaWeekday } from '../support/journey-clock.ts';
import { anInstrumentOf, orgOf, USERS } from '../support/scenario.ts';
import type { RunningStack } from '../support/servers.ts';

/**
 * The storefront's other ways in (issue 12): labs found by their accreditation scope, a lab's
 * ratings on its pages, the earliest free slot across instruments, and recurring bookings. The
 * stack runs on the journey clock (Friday 27 November 2026, 09:00 in China), never today's date.
 */
let db: TestDatabase;
let stack: RunningStack;
const journey = browserJourney();
beforeAll(() => {
  ({ db, stack } = journey);
});

const newPage = (locale = 'zh-CN') => journey.newPage(DESKTOP, locale);

describe.skipIf(NO_BROWSER)('browser journey: more of the storefront', { timeout: 300_000 }, () => {
  it('an SME finds the labs whose valid scope covers GB/T 10125, with the scope lines, and not the expired one', async () => {
    const { rows } = await db.pool.query<{ lab_id: string; number: string }>(
      `SELECT lab_id, number FROM lab_qualifications WHERE number IN ('221012341158', '190912340876')`,
    );
    const valid = rows.find((r) => r.number === '221012341158')!.lab_id;
    const expired = rows.find((r) => r.number === '190912340876')!.lab_id;
    const page = await newPage();
    await page.goto(`${stack.webUrl}/`);
    await page.getByRole('link', { name: '资质查询' }).first().click();
    await page.waitForURL(/\/labs$/);
    await page.getByTestId('scope-q').fill('10125');
    await Promise.all([page.waitForURL(/\/labs\?q=10125/), page.getByTestId('scope-submit').click()]);
    await expect.poll(() => page.getByTestId('scope-lab').count()).toBeGreaterThan(0);
    await shot(page, 'storefront-more-01-scope');

    const hit = page.locator('[data-testid="scope-lab"]', { has: page.locator(`a[href$="/labs/${valid}"]`) });
    const lines = await hit.getByTestId('scope-line').allInnerTexts();
    expect(
      lines.some((l) => l.includes('GB/T 10125-2021') && l.includes('221012341158') && l.includes('中性盐雾')),
    ).toBe(true);
    const all = (await page.getByTestId('scope-line').allInnerTexts()).join('\n');
    expect(all).not.toContain('190912340876');
    expect(all).not.toContain('GB/T 10125-2012');
    expect(await page.locator(`a[href$="/labs/${expired}"]`).count()).toBe(0);

    // A parameter finds them too; the lab's page shows its whole scope.
    await page.getByTestId('scope-q').fill('中性盐雾');
    await Promise.all([page.waitForURL(/q=/), page.getByTestId('scope-submit').click()]);
    await expect.poll(() => page.locator(`a[href$="/labs/${valid}"]`).count()).toBe(1);
    await Promise.all([
      page.waitForURL(new RegExp(`/labs/${valid}$`)),
      page.locator(`a[href$="/labs/${valid}"]`).click(),
    ]);
    await expect.poll(() => page.getByText('GB/T 10125-2021').count()).toBeGreaterThan(0);
    await page.context().close();
  });

  it("a lab's ratings — average, count, masked customers and the lab's replies — on its lab and service pages", async () => {
    const { rows } = await db.pool.query<{ lab_id: string; n: number; replies: number }>(
      `SELECT r.lab_id, count(*)::int AS n, count(r.reply)::int AS replies
       FROM order_ratings r JOIN organisations o ON o.id = r.lab_id AND o.status = 'active'
       GROUP BY r.lab_id ORDER BY count(r.reply) DESC, count(*) DESC LIMIT 1`,
    );
    const { lab_id: labId, n, replies } = rows[0]!;
    expect(replies).toBeGreaterThan(0);
    const { rows: customers } = await db.pool.query<{ name_zh: string }>(
      `SELECT c.name_zh FROM order_ratings r JOIN orders o ON o.id = r.order_id
       JOIN organisations c ON c.id = o.customer_org_id WHERE r.lab_id = $1`,
      [labId],
    );
    const { rows: services } = await db.pool.query<{ id: string }>(
      `SELECT id FROM services WHERE lab_id = $1 AND status = 'active' LIMIT 1`,
      [labId],
    );

    const page = await newPage();
    await page.goto(`${stack.webUrl}/labs/${labId}`);
    const ratings = page.getByTestId('lab-ratings');
    await expect.poll(() => ratings.getByTestId('ratings-count').innerText()).toContain(String(n));
    expect(Number(await ratings.getByTestId('ratings-average').innerText())).toBeGreaterThanOrEqual(1);
    expect(await ratings.getByTestId('rating-item').count()).toBeGreaterThan(0);
    expect(await ratings.getByTestId('rating-reply').count()).toBeGreaterThan(0);
    const shown = await ratings.innerText();
    for (const c of customers) expect(shown).not.toContain(c.name_zh);
    expect(shown).toContain('****');
    await shot(page, 'storefront-more-02-ratings');

    await page.goto(`${stack.webUrl}/services/${services[0]!.id}`);
    await expect
      .poll(() => page.getByTestId('lab-ratings').getByTestId('ratings-count').innerText())
      .toContain(String(n));
    await page.context().close();
  });

  it('an SME asks which instruments are free for 2 hours within a week and books one of the earliest slots', async () => {
    const page = await newPage();
    await signIn(page, stack.webUrl, USERS.sme, '/instruments');
    await page.goto(`${stack.webUrl}/instruments`);
    const free = page.getByTestId('free-slot-search');
    await free.getByTestId('free-within').selectOption('7');
    await free.getByTestId('free-hours').selectOption('2');
    await Promise.all([page.waitForURL(/hours=2/), free.getByTestId('free-submit').click()]);
    await expect.poll(() => page.getByTestId('free-hit').count()).toBeGreaterThan(0);
    await shot(page, 'storefront-more-03-free');

    // Soonest first: each instrument's first slot is no earlier than the one before it.
    const firsts = await page
      .getByTestId('free-hit')
      .evaluateAll((hits) =>
        hits.map((h) =>
          new URL((h.querySelector('[data-testid="free-slot"]') as HTMLAnchorElement).href).searchParams.get('start')!,
        ),
      );
    expect([...firsts].sort()).toEqual(firsts);
    // Within the week asked for, on the journey's clock.
    const now = Date.parse('2026-11-27T01:00:00Z');
    for (const f of firsts) {
      expect(Date.parse(f)).toBeGreaterThanOrEqual(now);
      expect(Date.parse(f)).toBeLessThan(now + 8 * 86_400_000);
    }

    await Promise.all([
      page.waitForURL(/\/instruments\/[0-9a-f-]{36}\?/),
      page.getByTestId('free-slot').first().click(),
    ]);
    await expect.poll(() => page.getByTestId('booking-form').count()).toBe(1);
    await shot(page, 'storefront-more-04-free-booking-form');
    await page.context().close();
  });

  it('an SME holds a weekly series, sees what was held and skipped, confirms it, and cancels the times ahead in 我的预约', async () => {
    const labId = await orgOf(db, USERS.lab);
    const { rows } = await db.pool.query<{ id: string }>(
      `SELECT i.id FROM instruments i WHERE i.lab_id = $1 AND i.status = 'active' AND i.external_rate_hour IS NOT NULL
       ORDER BY i.name_zh LIMIT 1`,
      [labId],
    );
    const instrumentId = rows[0]!.id;
    const page = await newPage();
    await signIn(page, stack.webUrl, USERS.sme, `/instruments/${instrumentId}`);
    await page.goto(`${stack.webUrl}/instruments/${instrumentId}`);
    await expect.poll(() => page.getByTestId('slot').count()).toBeGreaterThan(0);
    await page.getByTestId('slot').first().click();
    await expect.poll(() => page.getByTestId('booking-form').count()).toBe(1);

    // Every day for 40 days, all or nothing: weekends and the booking horizon refuse some, so
    // nothing is held and each refused time is named.
    const fields = page.getByTestId('series-fields');
    await fields.locator('summary').click();
    await fields.getByTestId('series-freq').selectOption('DAILY');
    await fields.getByTestId('series-count').fill('40');
    await fields.getByTestId('series-on-conflict').selectOption('all_or_nothing');
    await fields.getByTestId('series-submit').click();
    await expect.poll(() => page.getByTestId('series-problem').getAttribute('data-code')).toBe('series_conflict');
    expect(await page.getByTestId('series-refused-occurrence').count()).toBeGreaterThan(0);
    await shot(page, 'storefront-more-05-series-refused');
    const { rows: none } = await db.pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM bookings WHERE instrument_id = $1 AND series_id IS NOT NULL`,
      [instrumentId],
    );
    expect(none[0]!.n).toBe(0);

    // Weekly, three times, skipping what is taken: held and shown to look over.
    await fields.getByTestId('series-freq').selectOption('WEEKLY');
    await fields.getByTestId('series-count').fill('3');
    await fields.getByTestId('series-on-conflict').selectOption('skip');
    await fields.getByTestId('series-submit').click();
    const review = page.getByTestId('series-review');
    await expect.poll(() => review.count()).toBe(1);
    const held = await review.getByTestId('series-occurrence').count();
    const skipped = await review.getByTestId('series-conflict').count();
    expect(held).toBeGreaterThan(0);
    expect(held + skipped).toBe(3);
    const seriesId = (await review.getAttribute('data-series'))!;
    await shot(page, 'storefront-more-06-series-held');

    await Promise.all([
      page.waitForURL(/\/bookings\?flash=seriesConfirmed/),
      review.getByTestId('series-confirm').click(),
    ]);
    const card = page.locator(`[data-testid="series-card"][data-series="${seriesId}"]`);
    await expect.poll(() => card.getByTestId('series-occurrence').count()).toBe(held);
    const statuses = await card
      .getByTestId('series-occurrence')
      .evaluateAll((items) => items.map((i) => i.getAttribute('data-status')));
    expect(statuses.every((s) => s === 'pending_approval' || s === 'confirmed')).toBe(true);
    // Each occurrence appears once on the page: in its series' group, not again in the flat list.
    const { rows: occurrences } = await db.pool.query<{ id: string }>('SELECT id FROM bookings WHERE series_id = $1', [
      seriesId,
    ]);
    expect(occurrences).toHaveLength(held);
    for (const { id } of occurrences) {
      expect(await page.locator(`[data-booking-id="${id}"]`).count()).toBe(1);
      expect(await card.locator(`[data-booking-id="${id}"]`).count()).toBe(1);
    }
    await shot(page, 'storefront-more-07-series-mine');

    await Promise.all([page.waitForURL(/flash=seriesCancelled/), card.getByTestId('series-cancel').click()]);
    await expect.poll(() => page.getByTestId('series-flash').count()).toBe(1);
    const { rows: after } = await db.pool.query<{ status: string }>(
      'SELECT status FROM bookings WHERE series_id = $1',
      [seriesId],
    );
    expect(after).toHaveLength(held);
    expect(after.every((b) => b.status === 'cancelled')).toBe(true);
    await page.context().close();
  });
  it("a held slot counts down by the server's clock in a browser whose clock is a year ahead, and runs out after the hold", async () => {
    const instrument = await anInstrumentOf(db, await orgOf(db, USERS.lab));
    const day = nextChinaWeekday(stack.clock, 3, 3);
    const held = await stack.api.inject({
      method: 'POST',
      url: '/v1/bookings',
      headers: bearer(await login(stack.api, USERS.sme)),
      payload: { instrumentId: instrument.id, start: `${day}T06:00:00Z`, end: `${day}T07:00:00Z`, mode: 'self' },
    });
    expect(held.statusCode, held.body).toBe(201);
    const booking = held.json<{ id: string; status: string; holdExpiresAt: string }>();
    expect(booking.status).toBe('held');
    const holdSeconds = (Date.parse(booking.holdExpiresAt) - stack.clock.now.getTime()) / 1000;
    expect(holdSeconds).toBeGreaterThan(60);

    // The phone's clock is 400 days ahead of the servers': by it, the hold ran out long ago, in another year.
    const context = await journey.browser.newContext({ locale: 'zh-CN', viewport: DESKTOP });
    await context.clock.install({ time: stack.clock.now.getTime() + 400 * 24 * 3600_000 });
    const page = await context.newPage();
    await signIn(page, stack.webUrl, USERS.sme, `/bookings/${booking.id}`);
    await page.goto(`${stack.webUrl}/bookings/${booking.id}`);
    const countdown = page.getByTestId('hold-countdown');
    const secondsLeft = async () => {
      const m = /保留剩余 (\d+):(\d\d)/.exec((await countdown.textContent()) ?? '');
      return m ? Number(m[1]) * 60 + Number(m[2]) : 0;
    };
    // Hydrated and ticking, it still shows the time left by the servers' clock.
    await page.clock.runFor(2000);
    const left = await secondsLeft();
    expect(left).toBeGreaterThan(0);
    expect(left).toBeLessThanOrEqual(Math.ceil(holdSeconds));
    // The footer's year is the servers' year in China too, after hydration as before it.
    const serversYear = chinaDate(stack.clock).slice(0, 4);
    expect(await page.getByTestId('footer-copyright').textContent()).toContain(`© ${serversYear} `);
    await shot(page, 'storefront-more-08-hold-countdown');
    // Once the hold's time has passed in the browser too, it says the slot was released.
    await page.clock.runFor((left + 2) * 1000);
    await expect.poll(() => countdown.textContent()).toBe('保留已过期，时段已释放');
    await context.close();
  });
});
