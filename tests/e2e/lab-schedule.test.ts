import { browserJourney, NO_BROWSER, shot, signIn } from '../support/browser.ts';
import { beforeAll, describe, expect, it } from 'vitest';
import { bearer, login } from '../support/app.ts';
import type { TestDatabase } from '../support/db.ts';
import { anInstrumentOf, orgOf, USERS } from '../support/scenario.ts';
import { nextChinaWeekday } from '../support/journey-clock.ts';
import type { RunningStack } from '../support/servers.ts';

/**
 * The lab's resource calendar reads: a 2-hour booking shows its customer, times and status, its
 * details open on keyboard focus, a day opens in the day view (by URL, so without script too), and
 * an instrument under maintenance is marked unavailable. The opening-hours editor shows whether an
 * instrument follows its site's hours, in the server's page and once the page has hydrated. On a
 * phone, a booking's detail shows the customer's contact, and the manager hands an assisted booking
 * to another operator.
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
