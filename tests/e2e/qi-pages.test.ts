import { browserJourney, NO_BROWSER, shot } from '../support/browser.ts';
import { beforeAll, describe, expect, it } from 'vitest';
import type { TestDatabase } from '../support/db.ts';
import { USERS } from '../support/scenario.ts';
import { chinaDate } from '../support/journey-clock.ts';
import type { RunningStack } from '../support/servers.ts';

// The wider catalogue's pages in Chromium: calibration ledger, technical assistance from request to
// close (enterprise and service officer), the events calendar with registration and cancellation.

const skip = NO_BROWSER;

let db: TestDatabase;
let stack: RunningStack;
const journey = browserJourney();
beforeAll(() => {
  ({ db, stack } = journey);
});

const signedIn = async (email: string, redirect: string) => (await journey.person(email, redirect)).page;

describe.skipIf(skip)('browser: calibration, technical assistance and events', () => {
  it('the SME sees its calibrated instruments with due status', async () => {
    const page = await signedIn(USERS.sme, '/calibration');
    await page.goto(`${stack.webUrl}/calibration`);
    const rows = page.getByTestId('calibration-row');
    await expect.poll(() => rows.count()).toBeGreaterThan(0);
    const statuses = await rows.evaluateAll((els) => els.map((e) => e.getAttribute('data-status')));
    // Most urgent first.
    const rank = { overdue: 0, due_soon: 1, ok: 2 } as Record<string, number>;
    expect(statuses.map((s) => rank[s!])).toEqual([...statuses.map((s) => rank[s!])].sort());
    expect(await page.getByTestId('calibration-recalibrate').count()).toBe(await rows.count());
    await shot(page, 'qi-01-calibration');
    // In English too.
    await page.goto(`${stack.webUrl}/locale?set=en&redirect=${encodeURIComponent('/calibration')}`);
    await expect.poll(() => page.locator('h1').textContent()).toBe('Calibrated instruments');
    await page.goto(`${stack.webUrl}/events`);
    await expect.poll(() => page.locator('h1').textContent()).toBe('Events and training');
    await shot(page, 'qi-01b-events-en');
    await page.context().close();
  });

  it('an assistance request goes from the SME to the officer (assign, visit, resolve) and back to close', async () => {
    const sme = await signedIn(USERS.sme, '/assistance');
    await sme.goto(`${stack.webUrl}/assistance`);
    await sme.getByTestId('assistance-title').fill('不锈钢水槽盐雾抽检不合格整改');
    await sme.getByTestId('assistance-trigger').selectOption('spot_check_failure');
    await sme.getByTestId('assistance-problem').fill('省级监督抽查中盐雾试验 48 h 出现红锈，需要工艺改进建议。');
    await sme.getByTestId('assistance-submit').click();
    await sme.waitForURL(/\/assistance\/[0-9a-f-]{36}/);
    const id = /\/assistance\/([0-9a-f-]{36})/.exec(sme.url())![1]!;
    await expect.poll(() => sme.getByTestId('assistance-status').getAttribute('data-status')).toBe('open');
    await shot(sme, 'qi-02-assistance-open');

    const officer = await signedIn(USERS.officer, '/officer');
    await officer.goto(`${stack.webUrl}/officer`);
    await expect.poll(() => officer.getByTestId('officer-enterprise').count()).toBeGreaterThan(0);
    await expect.poll(() => officer.locator(`[data-testid="officer-request"] a[href$="${id}"]`).count()).toBe(1);
    await shot(officer, 'qi-03-officer-desk');
    await officer.locator(`[data-testid="officer-request"] a[href$="${id}"]`).click();
    await officer.waitForURL(new RegExp(`/officer/assistance/${id}`));
    await officer.getByTestId('assistance-assign-submit').click();
    await expect.poll(() => officer.getByTestId('assistance-status').getAttribute('data-status')).toBe('assigned');
    await officer.getByTestId('assistance-visit-notes').fill('现场查看前处理与钝化工序，钝化液浓度偏低。');
    await officer.getByTestId('assistance-visit-found').fill('2');
    await officer.getByTestId('assistance-visit-solved').fill('1');
    await officer.getByTestId('assistance-visit-submit').click();
    await expect.poll(() => officer.getByTestId('assistance-visit').count()).toBe(1);
    await officer.getByTestId('assistance-resolve').click();
    await expect.poll(() => officer.getByTestId('assistance-status').getAttribute('data-status')).toBe('resolved');
    await shot(officer, 'qi-04-officer-resolved');

    await sme.goto(`${stack.webUrl}/assistance/${id}`);
    await expect.poll(() => sme.getByTestId('assistance-visit').count()).toBe(1);
    await sme.getByTestId('assistance-close').click();
    await expect.poll(() => sme.getByTestId('assistance-status').getAttribute('data-status')).toBe('closed');
    await shot(sme, 'qi-05-assistance-closed');
    const { rows } = await db.pool.query<{ status: string }>('SELECT status FROM assistance_requests WHERE id = $1', [
      id,
    ]);
    expect(rows[0]?.status).toBe('closed');
    await sme.context().close();
    await officer.context().close();
  });

  it('the SME registers for an event session (seat or waitlist, as the page says) and cancels', async () => {
    const page = await signedIn(USERS.sme2, '/events');
    await page.goto(`${stack.webUrl}/events`);
    await expect.poll(() => page.getByTestId('event-card').count()).toBeGreaterThan(0);
    await shot(page, 'qi-06-events');
    await page.getByTestId('event-card').first().locator('h3 a').click();
    await page.waitForURL(/\/events\/[0-9a-f-]{36}/);
    const session = page.locator('[data-testid="event-session"]:has([data-testid="registration-submit"])').first();
    const sessionId = await session.getAttribute('data-session-id');
    const waitlist = (await session.getByTestId('registration-submit').getAttribute('data-waitlist')) === 'true';
    await session.getByTestId('registration-submit').click();
    await expect
      .poll(() => page.getByTestId('flash').getAttribute('data-flash'))
      .toBe(waitlist ? 'waitlisted' : 'registered');
    const mine = page.locator(`[data-testid="event-session"][data-session-id="${sessionId}"]`);
    expect(await mine.getAttribute('data-my-status')).toBe(waitlist ? 'waitlisted' : 'registered');
    await shot(page, 'qi-07-event-registered');

    await page.goto(`${stack.webUrl}/events`);
    await expect.poll(() => page.getByTestId('my-registration').count()).toBeGreaterThan(0);

    await page.goBack();
    await page
      .locator(`[data-testid="event-session"][data-session-id="${sessionId}"]`)
      .getByTestId('registration-cancel')
      .click();
    await expect.poll(() => page.getByTestId('flash').getAttribute('data-flash')).toBe('cancelled');
    await page.context().close();
  });

  it('the lab creates and publishes an event; one seat goes to the first, the second waits; attendance once started', async () => {
    const lab = await signedIn(USERS.lab, '/console/events');
    await lab.goto(`${stack.webUrl}/console/events`);
    const tomorrow = chinaDate(stack.clock, 1);
    const form = lab.getByTestId('event-form');
    if (!(await form.isVisible())) await lab.locator('details.new summary').click();
    await lab.getByTestId('event-kind').selectOption('open_day');
    await lab.getByTestId('event-title').fill('实验室开放日（浏览器测试）');
    await lab.getByTestId('event-fee').fill('0');
    await lab.getByTestId('event-session-start').first().fill(`${tomorrow}T09:00`);
    await lab.getByTestId('event-session-end').first().fill(`${tomorrow}T11:30`);
    await lab.getByTestId('event-session-seats').first().fill('1');
    await lab.getByTestId('event-create').click();
    await lab.waitForURL(/\/console\/events\/[0-9a-f-]{36}/);
    const eventId = /\/console\/events\/([0-9a-f-]{36})/.exec(lab.url())![1]!;
    await expect.poll(() => lab.getByTestId('console-event').getAttribute('data-status')).toBe('draft');
    await lab.getByTestId('event-publish').click();
    await expect.poll(() => lab.getByTestId('console-event').getAttribute('data-status')).toBe('published');
    await lab.locator('details.edit:not([data-testid="session-add"]) summary').click();
    await lab.getByTestId('event-edit-form').locator('#venueZh').fill('苏州市吴中区木渎镇（一号楼大厅集合）');
    await lab.getByTestId('event-save').click();
    await expect.poll(() => lab.getByTestId('flash').getAttribute('data-flash')).toBe('updated');
    expect(await lab.getByTestId('console-event').textContent()).toContain('一号楼大厅集合');

    // The one seat goes to the first; the second is told they are on the waitlist.
    for (const [email, outcome] of [
      [USERS.sme2, 'registered'],
      [USERS.sme, 'waitlisted'],
    ] as const) {
      const page = await signedIn(email, `/events/${eventId}`);
      await page.goto(`${stack.webUrl}/events/${eventId}`);
      await page.getByTestId('registration-submit').click();
      await expect.poll(() => page.getByTestId('flash').getAttribute('data-flash')).toBe(outcome);
      await shot(page, `qi-08-event-${outcome}`);
      await page.context().close();
    }

    // The session starts; the lab marks the registrant attended.
    const now = stack.clock.now.getTime();
    await db.pool.query(`UPDATE event_sessions SET starts_at = $2, ends_at = $3 WHERE event_id = $1`, [
      eventId,
      new Date(now - 10 * 60_000),
      new Date(now + 2 * 3_600_000),
    ]);
    await lab.reload();
    const registered = lab.locator('[data-testid="registrant"][data-status="registered"]');
    await expect.poll(() => registered.count()).toBe(1);
    expect(await lab.locator('[data-testid="registrant"][data-status="waitlisted"]').count()).toBe(1);
    await registered.getByTestId('mark-attended').click();
    await expect.poll(() => lab.locator('[data-testid="registrant"][data-status="attended"]').count()).toBe(1);
    await shot(lab, 'qi-09-console-attendance');
    await lab.context().close();
  });
});
