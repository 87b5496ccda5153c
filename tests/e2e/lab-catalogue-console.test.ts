import { browserJourney, NO_BROWSER, shot, signIn } from '../support/browser.ts';
import { type Browser, type Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { bearer, login } from '../support/app.ts';
import type { TestDatabase } from '../support/db.ts';
import { chinaDate } from '../support/journey-clock.ts';
import { orgOf, USERS } from '../support/scenario.ts';
import type { RunningStack } from '../support/servers.ts';

/**
 * The lab console's catalogue and after-sales pages, as a lab manager uses them: 服务 (create, edit,
 * retire — the storefront follows), 校准记录 (a certificate issued outside the platform), the event
 * detail's sessions (add one, change it before it starts, cancel it) and 评价 (reply to a customer's rating).
 */
const skip = NO_BROWSER;

let db: TestDatabase;
let stack: RunningStack;
let browser: Browser;
const journey = browserJourney();
beforeAll(() => {
  ({ db, stack, browser } = journey);
});

const soon = { timeout: 10_000 };
let labId: string;
let page: Page;
let labToken: string;

async function apiGet<T>(url: string): Promise<T> {
  const res = await stack.api.inject({ method: 'GET', url, headers: bearer(labToken) });
  expect(res.statusCode, `GET ${url}: ${res.body}`).toBe(200);
  return res.json<T>();
}

/** The storefront's service search, as a visitor sees it: the names of the cards found. */
async function storefrontFinds(visitor: Page, q: string): Promise<string[]> {
  await visitor.goto(`${stack.webUrl}/services?q=${encodeURIComponent(q)}`);
  return visitor.locator('[data-testid="service-card"] h3').allTextContents();
}

/** A submit that redirects back with a flash: click, wait for the flash line. */
async function submitAndFlash(p: Page, testid: string): Promise<string> {
  await p.getByTestId(testid).click();
  await p.getByTestId('flash').first().waitFor(soon);
  return (await p.getByTestId('flash').first().textContent()) ?? '';
}

describe.skipIf(skip)('browser journey: a lab manager keeps the catalogue and answers customers', () => {
  beforeAll(async () => {
    labId = await orgOf(db, USERS.lab);
    labToken = await login(stack.api, USERS.lab);
    const context = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1280, height: 900 } });
    page = await context.newPage();
    await signIn(page, stack.webUrl, USERS.lab, '/console');
  });

  it('creates a service that the storefront then lists, edits it and retires it', async () => {
    const NAME = '汽车门铰链耐久试验（旅程）';
    const visitor = await (await browser.newContext({ locale: 'zh-CN' })).newPage();
    expect(await storefrontFinds(visitor, NAME)).toEqual([]);

    await page.getByTestId('console-nav-services').click();
    await page.waitForURL((u) => u.pathname === '/console/services');
    const before = await page.getByTestId('console-service-row').count();
    await page.getByTestId('console-new-service').click();
    await page.waitForURL((u) => u.pathname === '/console/services/new');

    // "On quote" takes no price: the price box is off while it is chosen.
    await page.locator('#priceModel').selectOption('on_quote');
    expect(await page.locator('#priceAmount').isDisabled()).toBe(true);
    await page.locator('#priceModel').selectOption('per_sample');
    // Without a kind and a price the page says so beside the boxes, and keeps what was typed.
    await page.locator('#nameZh').fill(NAME);
    await page.getByTestId('form-save').click();
    await page.getByTestId('field-error-kind').waitFor(soon);
    expect(await page.getByTestId('field-error-priceAmount').count()).toBe(1);
    expect(await page.locator('#nameZh').inputValue()).toBe(NAME);

    await page.locator('#kind').selectOption('commissioned_test');
    await page.locator('#nameEn').fill('Door hinge endurance test (journey)');
    await page.locator('#standardMethods').fill('QC/T 323-2007、GB/T 10125-2021');
    await page.locator('#priceAmount').fill('1,850');
    await page.locator('#turnaroundDays').fill('12');
    await page.locator('#descriptionZh').fill('按主机厂规范进行 10 万次开闭耐久，附盐雾前后对比。');
    const instrument = page.locator('input[name="instrumentIds"]').first();
    const instrumentId = await instrument.getAttribute('value');
    await instrument.check();
    await shot(page, 'lab-catalogue-01-new-service');
    const created = await submitAndFlash(page, 'form-save');
    expect(created).toContain(NAME);
    expect(await page.getByTestId('console-service-row').count()).toBe(before + 1);

    const mine = await apiGet<{ items: { id: string; nameZh: string }[] }>(
      `/v1/labs/${labId}/services?q=${encodeURIComponent('门铰链耐久')}`,
    );
    const serviceId = mine.items.find((s) => s.nameZh === NAME)!.id;
    const detail = await apiGet<{
      kind: string;
      price: { amount: number };
      priceModel: string;
      turnaroundDays: number;
      standardMethods: string[];
      instruments: { id: string }[];
    }>(`/v1/services/${serviceId}`);
    expect(detail).toMatchObject({
      kind: 'commissioned_test',
      priceModel: 'per_sample',
      price: { amount: 185000 },
      turnaroundDays: 12,
      standardMethods: ['QC/T 323-2007', 'GB/T 10125-2021'],
    });
    expect(detail.instruments.map((i) => i.id)).toEqual([instrumentId]);
    expect(await storefrontFinds(visitor, NAME)).toEqual([NAME]);

    // Edit: now priced on quote, one more working day.
    await page.goto(`${stack.webUrl}/console/services/${serviceId}?lab=${labId}`);
    expect(await page.locator('#priceAmount').inputValue()).toBe('1850');
    await page.locator('#priceModel').selectOption('on_quote');
    await page.locator('#turnaroundDays').fill('13');
    expect(await submitAndFlash(page, 'form-save')).toContain(NAME);
    const edited = await apiGet<{ price: unknown; priceModel: string; turnaroundDays: number }>(
      `/v1/services/${serviceId}`,
    );
    expect(edited).toMatchObject({ price: null, priceModel: 'on_quote', turnaroundDays: 13 });

    // Retire, after saying no once to the confirmation.
    await page.goto(`${stack.webUrl}/console/services/${serviceId}?lab=${labId}`);
    page.once('dialog', (d) => void d.dismiss());
    await page.getByTestId('service-retire').click();
    expect((await apiGet<{ status: string }>(`/v1/services/${serviceId}`)).status).toBe('active');
    page.once('dialog', (d) => void d.accept());
    expect(await submitAndFlash(page, 'service-retire')).toContain(NAME);
    expect((await apiGet<{ status: string }>(`/v1/services/${serviceId}`)).status).toBe('retired');
    expect(await storefrontFinds(visitor, NAME)).toEqual([]);
    // Still on the console's list, under 已下架.
    await page.goto(`${stack.webUrl}/console/services?lab=${labId}&status=retired`);
    expect(await page.getByTestId('console-service-row').allTextContents()).toEqual(
      expect.arrayContaining([expect.stringContaining(NAME)]),
    );
    await shot(page, 'lab-catalogue-02-retired');
    await visitor.context().close();
  });

  it('records a calibration certificate issued outside the platform', async () => {
    const customer = await orgOf(db, USERS.sme);
    await page.getByTestId('console-nav-calibration').click();
    await page.waitForURL((u) => u.pathname === '/console/calibration');
    const form = page.getByTestId('calibration-form');
    await form.locator('#customerOrgId').selectOption(customer);
    await form.locator('#method').selectOption('verification');
    await form.locator('#instrumentName').fill('数显卡尺');
    await form.locator('#serialNumber').fill('JOURNEY-CAL-0001');
    await form.locator('#model').fill('0-150 mm');
    await form.locator('#accuracyClass').fill('0.02 mm');
    // A certificate dated tomorrow is refused beside the date, the rest kept.
    await form.locator('#calibratedOn').fill(chinaDate(stack.clock, 1));
    await form.locator('#nextDueOn').fill(chinaDate(stack.clock, 366));
    await page.getByTestId('calibration-save').click();
    await page.getByTestId('field-error-calibratedOn').waitFor(soon);
    expect(await form.locator('#serialNumber').inputValue()).toBe('JOURNEY-CAL-0001');

    await form.locator('#calibratedOn').fill(chinaDate(stack.clock, -10));
    await submitAndFlash(page, 'calibration-save');
    const row = page.locator('[data-testid="calibration-row"][data-serial="JOURNEY-CAL-0001"]');
    expect(await row.count()).toBe(1);
    expect(await row.getAttribute('data-status')).toBe('ok');
    await shot(page, 'lab-catalogue-03-calibration');

    // It is in the customer's ledger too.
    const sme = await login(stack.api, USERS.sme);
    const ledger = await stack.api.inject({
      method: 'GET',
      url: '/v1/me/calibration-records?serialNumber=JOURNEY-CAL-0001',
      headers: bearer(sme),
    });
    expect(ledger.json<{ items: { method: string; orderId: string | null }[] }>().items).toEqual([
      expect.objectContaining({ method: 'verification', orderId: null }),
    ]);
  });

  it('adds a session to an event and changes it before it starts', async () => {
    const { rows } = await db.pool.query<{ id: string }>(
      `SELECT id FROM events WHERE organiser_org_id = $1 AND status = 'published' ORDER BY created_at LIMIT 1`,
      [labId],
    );
    const eventId = rows[0]!.id;
    type EventOut = { sessions: { id: string; startsAt: string; endsAt: string; seats: number }[] };
    const before = (await apiGet<EventOut>(`/v1/events/${eventId}`)).sessions;

    await page.goto(`${stack.webUrl}/console/events/${eventId}?lab=${labId}`);
    const day = chinaDate(stack.clock, 40);
    const add = page.getByTestId('session-add');
    await add.locator('summary').click();
    await add.locator('#new-session-startsAt').fill(`${day}T14:00`);
    await add.locator('#new-session-endsAt').fill(`${day}T13:00`);
    await add.locator('#new-session-seats').fill('24');
    await page.getByTestId('session-add-form-submit').click();
    await page.getByTestId('field-error-new-session-endsAt').waitFor(soon);

    await add.locator('#new-session-endsAt').fill(`${day}T16:30`);
    const flash = await submitAndFlash(page, 'session-add-form-submit');
    expect(flash).toBe('已添加场次。');
    const after = (await apiGet<EventOut>(`/v1/events/${eventId}`)).sessions;
    expect(after.length).toBe(before.length + 1);
    const added = after.find((s) => !before.some((b) => b.id === s.id))!;
    expect(added).toMatchObject({ startsAt: `${day}T06:00:00.000Z`, endsAt: `${day}T08:30:00.000Z`, seats: 24 });

    // Change it: half an hour later, more seats.
    const section = page.locator(`[data-testid="console-session"][data-session-id="${added.id}"]`);
    await section.getByTestId('session-edit-toggle').click();
    expect(await section.locator(`#session-${added.id}-startsAt`).inputValue()).toBe(`${day}T14:00`);
    await section.locator(`#session-${added.id}-startsAt`).fill(`${day}T14:30`);
    await section.locator(`#session-${added.id}-seats`).fill('30');
    await section.getByTestId('session-edit-form-submit').click();
    await page.locator('[data-flash="sessionUpdated"]').waitFor(soon);
    const changed = (await apiGet<EventOut>(`/v1/events/${eventId}`)).sessions.find((s) => s.id === added.id);
    expect(changed).toMatchObject({ startsAt: `${day}T06:30:00.000Z`, seats: 30 });
    await shot(page, 'lab-catalogue-04-sessions');

    // The date falls through: the session is cancelled (after a confirmation) and leaves the event.
    const again = page.locator(`[data-testid="console-session"][data-session-id="${added.id}"]`);
    // The edit panel may still be open from the change above (the page kept it): open it either way.
    await again.locator('details.session-edit').evaluate((d) => ((d as HTMLDetailsElement).open = true));
    page.once('dialog', (d) => void d.accept());
    await again.getByTestId('session-remove').click();
    await page.locator('[data-flash="sessionRemoved"]').waitFor(soon);
    const left = (await apiGet<EventOut>(`/v1/events/${eventId}`)).sessions.map((s) => s.id);
    expect(left).not.toContain(added.id);
    expect(left.length).toBe(before.length);
  });

  it('replies to a customer rating from 评价, and the order shows it', async () => {
    await page.getByTestId('console-nav-ratings').click();
    await page.waitForURL((u) => u.pathname === '/console/ratings');
    const row = page.getByTestId('rating-row').first();
    const orderId = (await row.getAttribute('data-order-id'))!;
    const REPLY = '感谢建议！120 h 节点的照片今后会主动推送。';
    await row.locator('textarea[name="reply"]').fill(REPLY);
    await shot(page, 'lab-catalogue-05-ratings');
    await submitAndFlash(page, 'rating-reply-submit');
    expect(await page.locator(`[data-testid="rating-row"][data-order-id="${orderId}"]`).count()).toBe(0);
    const rating = await apiGet<{ rating: { reply: string }; canReply: boolean }>(`/v1/orders/${orderId}/rating`);
    expect(rating).toMatchObject({ rating: { reply: REPLY }, canReply: false });

    await page.goto(`${stack.webUrl}/console/ratings?lab=${labId}&tab=all`);
    const answered = page.locator(`[data-testid="rating-row"][data-order-id="${orderId}"]`);
    expect(await answered.getByTestId('rating-reply').textContent()).toContain(REPLY);

    await page.goto(`${stack.webUrl}/console/orders/${orderId}?lab=${labId}`);
    expect(await page.getByTestId('rating-reply').textContent()).toContain(REPLY);
    expect(await page.getByTestId('rating-reply-form').count()).toBe(0);
  });
});
