import { browserJourney, NO_BROWSER, shot, signIn } from '../support/browser.ts';
import { beforeAll, describe, expect, it } from 'vitest';
import { bearer, login } from '../support/app.ts';
import type { TestDatabase } from '../support/db.ts';
import { anInstrumentOf, orgOf, USERS } from '../support/scenario.ts';
import { journeyClock, nextChinaWeekday } from '../support/journey-clock.ts';
import { startStack, type RunningStack } from '../support/servers.ts';
import { bookTo } from '../support/booking-jobs.ts';

/**
 * The lab's resource calendar reads: a 2-hour booking shows its customer, times and status, its
 * details open on hover and on keyboard focus, a crowded day of the week offers the day view (where
 * each of its bookings reads in full), on a Sunday it opens on the week ending that day, a day opens
 * in the day view (by URL, so without script too), and an instrument under maintenance is marked
 * unavailable. The opening-hours editor shows whether an instrument follows its site's hours, in
 * the server's page and once the page has hydrated. On a phone, a booking's detail shows the
 * customer's contact, and the manager hands an assisted booking to another operator.
 */
const skip = NO_BROWSER;
const soon = { timeout: 15_000 };

let db: TestDatabase;
let stack: RunningStack;
const journey = browserJourney();
let labId: string;
let bookingId: string;
let day: string;
let customer: string;
let maintenanceId: string;

const newPage = (width = 1280) => journey.newPage({ width, height: 900 });

describe.skipIf(skip)('browser journey: the lab reads its resource calendar', () => {
  beforeAll(async () => {
    ({ db, stack } = journey);
    labId = await orgOf(db, USERS.lab);
    const instrument = await anInstrumentOf(db, labId);
    const sme = await login(stack.api, USERS.sme);
    day = nextChinaWeekday(stack.clock, 2, 2);
    const held = await stack.api.inject({
      method: 'POST',
      url: '/v1/bookings',
      headers: bearer(sme),
      payload: { instrumentId: instrument.id, start: `${day}T02:00:00Z`, end: `${day}T04:00:00Z`, mode: 'self' },
    });
    expect(held.statusCode, held.body).toBe(201);
    bookingId = held.json<{ id: string }>().id;
    const confirmed = await stack.api.inject({
      method: 'POST',
      url: `/v1/bookings/${bookingId}/confirm`,
      headers: bearer(sme),
    });
    expect(confirmed.json<{ status: string }>().status, confirmed.body).toBe('pending_approval');

    // Another of the lab's instruments goes into maintenance, through the API as the lab would.
    const { rows } = await db.pool.query<{ id: string }>(
      `SELECT id FROM instruments WHERE lab_id = $1 AND status = 'active' AND id <> $2 ORDER BY name_zh LIMIT 1`,
      [labId, instrument.id],
    );
    maintenanceId = rows[0]!.id;
    const lab = await login(stack.api, USERS.lab);
    const patched = await stack.api.inject({
      method: 'PATCH',
      url: `/v1/instruments/${maintenanceId}`,
      headers: bearer(lab),
      payload: { status: 'maintenance' },
    });
    expect(patched.statusCode, patched.body).toBe(200);
    const schedule = await stack.api.inject({
      method: 'GET',
      url: `/v1/labs/${labId}/schedule?from=${day}T00:00:00%2B08:00&to=${day}T23:59:00%2B08:00`,
      headers: bearer(lab),
    });
    const booked = schedule
      .json<{ instruments: { bookings: { id: string; customer: { nameZh: string } }[] }[] }>()
      .instruments.flatMap((i) => i.bookings)
      .find((b) => b.id === bookingId);
    customer = booked!.customer.nameZh;
  });

  it('shows a booking chip with customer, times and status, and its details on focus', async () => {
    const page = await newPage();
    await signIn(page, stack.webUrl, USERS.lab, `/console/schedule?lab=${labId}&date=${day}`);
    await page.getByTestId('resource-calendar').waitFor(soon);
    const chip = page.locator(`[data-testid="schedule-booking"][data-booking-id="${bookingId}"]`);
    const text = (await chip.innerText()).replace(/\s+/g, ' ');
    expect(text).toContain('10:00–12:00');
    expect(await chip.getAttribute('data-status')).toBe('pending_approval');
    expect((await chip.locator('.state').innerText()).trim()).toMatch(/^待审/);
    const who = (await chip.locator('.who').innerText()).trim();
    expect(who.length).toBeGreaterThanOrEqual(2);
    expect(customer).toContain(who);
    // The whole chip is readable, not a 30 px sliver.
    expect((await chip.boundingBox())!.width).toBeGreaterThan(70);

    const tip = page.locator(`#chip-tip-${bookingId}`);
    expect(await tip.isVisible()).toBe(false);
    await chip.focus();
    await tip.waitFor({ state: 'visible', ...soon });
    const details = await tip.innerText();
    expect(details).toContain(customer);
    expect(details).toContain('10:00–12:00');
    expect(await chip.getAttribute('aria-describedby')).toBe(`chip-tip-${bookingId}`);
    expect(await chip.getAttribute('aria-label')).toContain(customer);
    await shot(page, 'schedule-01-week-focus');

    // The maintenance instrument is marked unavailable.
    const row = page.locator(`[data-testid="schedule-row"][data-instrument-id="${maintenanceId}"]`);
    expect(await row.getAttribute('data-unavailable')).toBe('true');
    expect(await row.getByTestId('schedule-unavailable').innerText()).toContain('不可预约');

    // Each day opens in the day view, with the date in the URL.
    await page.locator(`[data-testid="schedule-day-link"][data-date="${day}"]`).click();
    await page.waitForURL((u) => u.searchParams.get('view') === 'day' && u.searchParams.get('date') === day);
    await chip.waitFor(soon);
    expect((await chip.innerText()).replace(/\s+/g, ' ')).toContain('10:00–12:00');
    const dayRow = page.locator(`[data-testid="schedule-row"][data-instrument-id="${maintenanceId}"]`);
    expect(await dayRow.getAttribute('data-unavailable')).toBe('true');
    await shot(page, 'schedule-02-day');
  });

  it('shows the same details on mouse hover as on focus', async () => {
    const page = await newPage();
    await signIn(page, stack.webUrl, USERS.lab, `/console/schedule?lab=${labId}&date=${day}`);
    await page.getByTestId('resource-calendar').waitFor(soon);
    const chip = page.locator(`[data-testid="schedule-booking"][data-booking-id="${bookingId}"]`);
    const tip = page.locator(`#chip-tip-${bookingId}`);
    expect(await tip.isVisible()).toBe(false);
    await chip.hover();
    await tip.waitFor({ state: 'visible', ...soon });
    // The pointer, not the keyboard, opened it.
    expect(await chip.evaluate((el) => el === document.activeElement)).toBe(false);
    const details = await tip.innerText();
    expect(details).toContain(customer);
    expect(details).toContain('10:00–12:00');
    const status = (await chip.locator('.state').innerText()).trim();
    expect(status).toMatch(/^待审/);
    expect(details).toContain(status);
    await shot(page, 'schedule-01b-week-hover');
    // Moving the pointer away closes it again.
    await page.mouse.move(5, 5);
    await tip.waitFor({ state: 'hidden', ...soon });
  });

  it('offers the day view for a crowded day of the week, where each booking reads in full', async () => {
    const instrument = await anInstrumentOf(db, labId);
    const busy = nextChinaWeekday(stack.clock, 4, 2);
    const lab = await login(stack.api, USERS.lab);
    const tokens = {
      sme: { customer: await login(stack.api, USERS.sme), lab },
      sme2: { customer: await login(stack.api, USERS.sme2), lab },
    };
    // Four bookings on one instrument's day: one more than a week's day cell shows.
    const slots = [
      { who: tokens.sme, from: 1, to: 2, target: 'confirmed', times: '09:00–10:00' },
      { who: tokens.sme2, from: 2, to: 3, target: 'pending_approval', times: '10:00–11:00' },
      { who: tokens.sme, from: 6, to: 7, target: 'pending_approval', times: '14:00–15:00' },
      { who: tokens.sme2, from: 7, to: 8, target: 'confirmed', times: '15:00–16:00' },
    ] as const;
    const hh = (h: number) => String(h).padStart(2, '0');
    const ids: string[] = [];
    for (const s of slots) {
      ids.push(
        await bookTo(
          { app: stack.api, db },
          s.who,
          instrument.id,
          `${busy}T${hh(s.from)}:00:00Z`,
          `${busy}T${hh(s.to)}:00:00Z`,
          s.target,
          stack.clock.now,
        ),
      );
    }
    const { rows: names } = await db.pool.query<{ id: string; name_zh: string }>(
      `SELECT b.id, o.name_zh FROM bookings b JOIN organisations o ON o.id = b.customer_org_id WHERE b.id = ANY($1)`,
      [ids],
    );
    const customerOf = new Map(names.map((r) => [r.id, r.name_zh]));
    expect(new Set(customerOf.values()).size, 'two customers').toBe(2);

    const page = await newPage();
    await signIn(page, stack.webUrl, USERS.lab, `/console/schedule?lab=${labId}&date=${busy}`);
    await page.getByTestId('resource-calendar').waitFor(soon);
    const row = page.locator(`[data-testid="schedule-row"][data-instrument-id="${instrument.id}"]`);
    const ours = (id: string) => page.locator(`[data-testid="schedule-booking"][data-booking-id="${id}"]`);
    // The week's cell shows three and says there is one more, linking to that day.
    const shown = await Promise.all(ids.map(async (id) => (await ours(id).count()) > 0));
    expect(shown.filter(Boolean)).toHaveLength(3);
    const dayView = (href: string | null) => {
      const u = new URL(href ?? '', stack.webUrl);
      return { view: u.searchParams.get('view'), date: u.searchParams.get('date') };
    };
    const more = row.getByTestId('schedule-more');
    expect(await more.count()).toBe(1);
    expect((await more.innerText()).trim()).toContain('另有 1 条');
    expect(dayView(await more.getAttribute('href'))).toEqual({ view: 'day', date: busy });
    // And above the calendar, the week names the crowded day and links to its day view.
    const offer = page.getByTestId('schedule-dense');
    await offer.waitFor(soon);
    const links = offer.getByTestId('schedule-dense-day');
    const hrefs = await links.evaluateAll((as) => as.map((a) => a.getAttribute('href')));
    expect(hrefs.map(dayView)).toContainEqual({ view: 'day', date: busy });
    await shot(page, 'schedule-07-dense-week');

    const index = hrefs.map(dayView).findIndex((h) => h.date === busy);
    await links.nth(index).click();
    await page.waitForURL((u) => u.searchParams.get('view') === 'day' && u.searchParams.get('date') === busy);
    expect(await page.getByTestId('schedule-dense').count()).toBe(0);
    for (const [k, s] of slots.entries()) {
      const chip = ours(ids[k]!);
      await chip.waitFor(soon);
      const who = (await chip.locator('.who').innerText()).trim();
      expect(who.length).toBeGreaterThanOrEqual(2);
      expect(customerOf.get(ids[k]!)).toContain(who);
      expect((await chip.locator('.when').innerText()).trim()).toBe(s.times);
      expect(await chip.getAttribute('data-status')).toBe(s.target);
      // Readable: the customer and the times fit inside the chip, neither clipped by it nor cut short.
      const clipped = await chip.evaluate((el) => {
        const box = el.getBoundingClientRect();
        return [...el.querySelectorAll<HTMLElement>('.who, .when')]
          .filter((part) => {
            const r = part.getBoundingClientRect();
            return r.left < box.left - 1 || r.right > box.right + 1 || part.scrollWidth > part.clientWidth + 1;
          })
          .map((part) => part.className);
      });
      expect(clipped, `cut off in the ${s.times} chip`).toEqual([]);
    }
    await shot(page, 'schedule-08-dense-day');
  });

  it('opens on the week ending today when today is a Sunday in China', async () => {
    // A second API and web server on the same database, their clocks on Sunday 6 December 2026, 10:00
    // in China: not in the week of the journey's own Friday, so a server left on that clock fails too.
    const sunday = await startStack(db, journeyClock(new Date('2026-12-06T02:00:00Z')));
    try {
      const page = await newPage();
      await signIn(page, sunday.webUrl, USERS.lab, `/console/schedule?lab=${labId}`);
      await page.getByTestId('resource-calendar').waitFor(soon);
      const days = await page
        .getByTestId('schedule-day-link')
        .evaluateAll((as) => as.map((a) => a.getAttribute('data-date')));
      expect(days).toEqual([
        '2026-11-30',
        '2026-12-01',
        '2026-12-02',
        '2026-12-03',
        '2026-12-04',
        '2026-12-05',
        '2026-12-06',
      ]);
      // Today is the week's last column, and the 今天 button stays on this week.
      expect(await page.locator('.day.today [data-testid="schedule-day-link"]').getAttribute('data-date')).toBe(
        '2026-12-06',
      );
      const todayHref = new URL((await page.getByTestId('schedule-today').getAttribute('href'))!, sunday.webUrl);
      expect(todayHref.searchParams.get('date')).toBe('2026-12-06');
      await shot(page, 'schedule-09-sunday-week');
    } finally {
      await sunday.close();
    }
  });

  it('opens the day view straight from the URL and reads at 390 px without sideways scrolling', async () => {
    const page = await newPage(390);
    await signIn(page, stack.webUrl, USERS.lab, `/console/schedule?lab=${labId}&view=day&date=${day}`);
    await page.getByTestId('resource-calendar').waitFor(soon);
    await page.locator(`[data-testid="schedule-booking"][data-booking-id="${bookingId}"]`).waitFor(soon);
    expect(await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth)).toBe(false);
    await shot(page, 'schedule-03-phone-day');
  });
  it("shows in the hours editor, before and after hydration, whether an instrument follows its site's hours", async () => {
    const lab = await login(stack.api, USERS.lab);
    const { rows } = await db.pool.query<{ id: string }>(
      `SELECT id FROM instruments WHERE lab_id = $1 AND status = 'active' ORDER BY name_zh`,
      [labId],
    );
    const inherits = async (id: string) =>
      (
        await stack.api.inject({ method: 'GET', url: `/v1/instruments/${id}/opening-hours`, headers: bearer(lab) })
      ).json<{ inherited: boolean }>().inherited;
    let follower: string | null = null;
    for (const { id } of rows) if (!follower && (await inherits(id))) follower = id;
    expect(follower, 'the demo lab has an instrument on its site hours').not.toBeNull();
    const path = `/console/settings/hours?lab=${labId}&target=instrument:${follower}`;

    // The server's page, as it is on the screen before the scripts run.
    const before = await (await journey.browser.newContext({ locale: 'zh-CN', javaScriptEnabled: false })).newPage();
    await signIn(before, stack.webUrl, USERS.lab, path);
    await before.goto(`${stack.webUrl}${path}`);
    expect(await before.getByTestId('hours-inherit').isChecked()).toBe(true);

    // The hydrated page keeps it ticked, and the form still saves it that way.
    const page = await newPage();
    await signIn(page, stack.webUrl, USERS.lab, path);
    await page.goto(`${stack.webUrl}${path}`);
    expect(await page.locator('html[data-hydrated]').count()).toBe(1);
    const box = page.getByTestId('hours-inherit');
    expect(await box.isChecked()).toBe(true);
    const followerMonday = await page.locator('#w1-0-opens').inputValue();
    await shot(page, 'schedule-04-hours-inherit');
    await page.getByTestId('hours-save').click();
    await page.getByTestId('hours-saved').waitFor(soon);
    expect(await inherits(follower!)).toBe(true);
    expect(await box.isChecked()).toBe(true);

    // Moving (client-side) to an instrument with hours of its own shows those, and back again.
    const own = rows.find((r) => r.id !== follower)!.id;
    const put = await stack.api.inject({
      method: 'PUT',
      url: `/v1/instruments/${own}/opening-hours`,
      headers: bearer(lab),
      payload: { rows: [{ weekday: 1, opensAt: '06:15', closesAt: '07:45' }] },
    });
    expect(put.statusCode, put.body).toBe(200);
    const link = (id: string) => page.locator(`[data-testid="hours-instrument-link"][href*="${id}"]`);
    await link(own).click();
    await page.waitForURL((u) => u.searchParams.get('target') === `instrument:${own}`);
    await expect.poll(() => page.locator('#w1-0-opens').inputValue(), soon).toBe('06:15');
    expect(await box.isChecked()).toBe(false);
    await link(follower!).click();
    await page.waitForURL((u) => u.searchParams.get('target') === `instrument:${follower}`);
    await expect.poll(() => box.isChecked(), soon).toBe(true);
    expect(await page.locator('#w1-0-opens').inputValue()).toBe(followerMonday);
  });

  it("shows an assisted booking's customer contact at 390 px, and the manager hands it to another operator", async () => {
    // A second operator at the lab, trained on the instrument (as the membership and training pages write them).
    const instrument = await anInstrumentOf(db, labId);
    const { rows: added } = await db.pool.query<{ id: string }>(
      `INSERT INTO users (email, password_hash, display_name, phone)
       VALUES ('operator2@demo.qihub.test', 'x', '吴工', '13800000019') RETURNING id`,
    );
    const second = added[0]!.id;
    await db.pool.query(`INSERT INTO memberships (user_id, org_id, role) VALUES ($1, $2, 'operator')`, [second, labId]);
    await db.pool.query(
      `INSERT INTO training_records (user_id, instrument_id, lab_id, qualified_at)
       VALUES ($1, $2, $3, '2026-01-01T00:00:00Z') ON CONFLICT DO NOTHING`,
      [second, instrument.id, labId],
    );
    const sme = await login(stack.api, USERS.sme);
    const other = nextChinaWeekday(stack.clock, 3, 2);
    const held = await stack.api.inject({
      method: 'POST',
      url: '/v1/bookings',
      headers: bearer(sme),
      payload: {
        instrumentId: instrument.id,
        start: `${other}T02:00:00Z`,
        end: `${other}T03:00:00Z`,
        mode: 'assisted',
      },
    });
    expect(held.statusCode, held.body).toBe(201);
    const assisted = held.json<{ id: string }>().id;
    const confirmed = await stack.api.inject({
      method: 'POST',
      url: `/v1/bookings/${assisted}/confirm`,
      headers: bearer(sme),
    });
    expect(confirmed.statusCode, confirmed.body).toBe(200);
    const operatorOf = async () =>
      (
        await db.pool.query<{ operator_id: string | null }>(`SELECT operator_id FROM bookings WHERE id = $1`, [
          assisted,
        ])
      ).rows[0]!.operator_id;
    const { rows: names } = await db.pool.query<{ id: string; display_name: string }>(
      `SELECT u.id, u.display_name FROM users u JOIN memberships m ON m.user_id = u.id
        WHERE m.org_id = $1 AND m.role = 'operator'`,
      [labId],
    );
    const nameOf = new Map(names.map((r) => [r.id, r.display_name]));
    const before = await operatorOf();
    const target = before === second ? names.find((r) => r.id !== second)!.id : second;
    const { rows: enterprise } = await db.pool.query<{ name_zh: string; phone: string }>(
      `SELECT o.name_zh, u.phone FROM organisations o JOIN memberships m ON m.org_id = o.id
         JOIN users u ON u.id = m.user_id WHERE u.email = $1`,
      [USERS.sme],
    );

    const page = await newPage(390);
    await signIn(page, stack.webUrl, USERS.lab, `/console/bookings/${assisted}?lab=${labId}`);
    const contact = page.getByTestId('booking-contact');
    await contact.waitFor(soon);
    // Who to call: the booker by name, phone (a tel: link) and e-mail, and the customer organisation.
    expect((await contact.getByTestId('booking-contact-booker').innerText()).trim()).toBe('李经理');
    const phone = contact.getByTestId('booking-contact-phone');
    expect((await phone.innerText()).trim()).toBe(enterprise[0]!.phone);
    expect(await phone.getAttribute('href')).toBe(`tel:${enterprise[0]!.phone}`);
    const email = contact.getByTestId('booking-contact-email');
    expect((await email.innerText()).trim()).toBe(USERS.sme);
    expect(await email.getAttribute('href')).toBe(`mailto:${USERS.sme}`);
    expect(await contact.innerText()).toContain(enterprise[0]!.name_zh);

    // The operator select shows who operates it now, and offers the lab's other operator.
    const select = page.getByTestId('operator-select');
    expect(await select.inputValue()).toBe(before);
    expect((await page.getByTestId('lab-booking-operator').innerText()).trim()).toBe(nameOf.get(before!));
    expect(await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth)).toBe(false);
    const save = page.getByTestId('operator-save');
    const box = (await save.boundingBox())!;
    expect(box.x + box.width, 'the save button is on the screen').toBeLessThanOrEqual(390);
    await shot(page, 'schedule-05-phone-contact');

    await select.selectOption(target);
    await save.click();
    await page.getByTestId('operator-changed').waitFor(soon);
    await expect.poll(() => operatorOf(), soon).toBe(target);
    // The page says so: the select and the booking's operator name the new one.
    await expect
      .poll(async () => (await page.getByTestId('lab-booking-operator').innerText()).trim(), soon)
      .toBe(nameOf.get(target));
    expect(await select.inputValue()).toBe(target);
    expect(await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth)).toBe(false);
    await shot(page, 'schedule-06-phone-operator-changed');

    // And it stays so on a fresh load.
    await page.goto(`${stack.webUrl}/console/bookings/${assisted}?lab=${labId}`);
    expect(await page.getByTestId('operator-select').inputValue()).toBe(target);
    expect((await page.getByTestId('lab-booking-operator').innerText()).trim()).toBe(nameOf.get(target));
  });
});
