import { DEMO_APPLICANT_LAB_IDS } from '@qihub/db/seed';
import { type Browser, type BrowserContext, type Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { bearer, login } from '../support/app.ts';
import { browserJourney, NO_BROWSER, shot, signIn } from '../support/browser.ts';
import type { TestDatabase } from '../support/db.ts';
import {
  brokenMessages,
  messageNamespaces,
  pageRoutes,
  PHONE_WIDTH,
  routeMatches,
  seriousAxeViolations,
  sidewaysScroll,
} from '../support/page-audit.ts';
import { DEMO_CASE_IDS } from '@qihub/db/seed';
import { orgOf, USERS } from '../support/scenario.ts';
import type { RunningStack } from '../support/servers.ts';

// Every page of the storefront and of the consoles, visited by the visitor it is for, in Chinese and
// in English: axe-core finds no serious or critical violation, and no text shows a raw or broken
// message key; and on a phone (390 px, in Chinese) the page does not scroll sideways.
// One browser, one sign-in per person; each page is read once it has hydrated.

const skip = NO_BROWSER;
const LOCALES = ['zh-CN', 'en'] as const;
const LOCALE_COOKIE = 'qihub_locale';

let db: TestDatabase;
let stack: RunningStack;
let browser: Browser;
const journey = browserJourney();
beforeAll(() => {
  ({ db, stack, browser } = journey);
});

interface Visit {
  path: string;
  /** The answer the page is meant to give (an error page is a page too). */
  status?: number;
}

/** What the seeded demo data and one booking made here give the crawl to look at. */
interface Fixtures {
  instrumentId: string;
  bookedWeek: string;
  freeStart: string;
  serviceId: string;
  labId: string;
  eventId: string;
  labEventId: string;
  orderIds: string[];
  bookingId: string;
  assistanceIds: string[];
  verificationCode: string;
  /** The SME's invoices from the lab: one in each status the seed has. */
  invoiceIds: string[];
  /** The seeded innovation-voucher programme (创新券). */
  voucherProgrammeId: string;
}
let fx: Fixtures;

const visited = new Set<string>();
const namespaces = messageNamespaces();
const NOT_A_PAGE = '00000000-0000-4000-8000-000000000000';

async function one<T>(sql: string, params: unknown[] = []): Promise<T> {
  const { rows } = await db.pool.query(sql, params);
  if (!rows[0]) throw new Error(`no row for ${sql}`);
  return rows[0] as T;
}

beforeAll(async () => {
  if (skip) return;
  const labId = await orgOf(db, USERS.lab);
  const smeOrg = await orgOf(db, USERS.sme);
  const { id: instrumentId } = await one<{ id: string }>(
    `SELECT id FROM instruments WHERE lab_id = $1 AND status = 'active' AND external_rate_hour IS NOT NULL
     ORDER BY name_zh LIMIT 1`,
    [labId],
  );
  // A booking on an hour the rules offer (read from the API, not from today's date), so the calendars
  // show taken time and the booking pages exist.
  const sme = await login(stack.api, USERS.sme);
  const from = stack.clock.now;
  const to = new Date(from.getTime() + 30 * 86_400_000);
  const availability = await stack.api.inject({
    method: 'GET',
    url: `/v1/instruments/${instrumentId}/availability?from=${from.toISOString()}&to=${to.toISOString()}&durationMinutes=60&mode=assisted`,
  });
  expect(availability.statusCode, availability.body).toBe(200);
  const { slots, timeZone } = availability.json<{ slots: { start: string; end: string }[]; timeZone: string }>();
  const localDate = (iso: string) => new Intl.DateTimeFormat('en-CA', { timeZone }).format(new Date(iso));
  // The first hour with free time before it on the same day, so the calendar shows it between free slots.
  const slot = slots.find((s) =>
    slots.some((p) => localDate(p.start) === localDate(s.start) && Date.parse(p.end) <= Date.parse(s.start)),
  )!;
  const created = await stack.api.inject({
    method: 'POST',
    url: '/v1/bookings',
    headers: bearer(sme),
    payload: { instrumentId, start: slot.start, end: slot.end, mode: 'assisted' },
  });
  expect(created.statusCode, created.body).toBe(201);
  const bookingId = created.json<{ id: string }>().id;
  const confirmed = await stack.api.inject({
    method: 'POST',
    url: `/v1/bookings/${bookingId}/confirm`,
    headers: bearer(sme),
  });
  expect(confirmed.statusCode, confirmed.body).toBe(200);
  const bookedWeek = localDate(slot.start);
  const freeStart = slots.find((s) => Date.parse(s.start) >= Date.parse(slot.end))!.start;

  // One order in each status the seed has: each status shows its own panels.
  const orders = await db.pool.query<{ id: string }>(
    `SELECT DISTINCT ON (status) id FROM orders WHERE lab_id = $1 AND customer_org_id = $2 ORDER BY status, number`,
    [labId, smeOrg],
  );
  const assistance = await db.pool.query<{ id: string }>(
    `SELECT id FROM assistance_requests WHERE enterprise_id = $1 ORDER BY created_at`,
    [smeOrg],
  );
  // The seed writes no report rows (it has no PDFs): issue the one the timeline of the seeded issued
  // order names, so the public verification page and the report lists have something to show.
  const { code: verificationCode } = await one<{ code: string }>(
    `INSERT INTO reports (order_id, lab_id, number, status, verification_code, issued_at, conclusion_zh, conclusion_en)
     SELECT o.id, o.lab_id, e.data->>'number', 'issued', 'every-page-crawl', e.at, '符合要求', 'Conforms'
     FROM orders o JOIN order_events e ON e.order_id = o.id AND e.action = 'report.issued'
     WHERE o.lab_id = $1 AND o.status = 'report_issued'
     ORDER BY e.at DESC LIMIT 1
     RETURNING verification_code AS code`,
    [labId],
  );
  const invoices = await db.pool.query<{ id: string }>(
    `SELECT DISTINCT ON (status) id FROM invoices WHERE lab_id = $1 AND customer_org_id = $2 ORDER BY status, number`,
    [labId, smeOrg],
  );
  // A fapiao request on a paid invoice, so the lab's 发票 desk shows its forms and 我的账单 its list.
  const draft = await stack.api.inject({ method: 'GET', url: `/v1/orgs/${smeOrg}/fapiao-title`, headers: bearer(sme) });
  const { name, taxpayerNumber } = draft.json<{ name: string; taxpayerNumber: string }>();
  const title = await stack.api.inject({
    method: 'PUT',
    url: `/v1/orgs/${smeOrg}/fapiao-title`,
    headers: bearer(sme),
    payload: { type: 'normal', name, taxpayerNumber },
  });
  expect(title.statusCode, title.body).toBe(200);
  const paid = await one<{ id: string }>(
    `SELECT id FROM invoices WHERE lab_id = $1 AND customer_org_id = $2 AND status = 'paid' ORDER BY number LIMIT 1`,
    [labId, smeOrg],
  );
  const asked = await stack.api.inject({
    method: 'POST',
    url: `/v1/invoices/${paid.id}/fapiao-request`,
    headers: bearer(sme),
    payload: {},
  });
  expect(asked.statusCode, asked.body).toBe(201);
  fx = {
    invoiceIds: invoices.rows.map((r) => r.id),
    instrumentId,
    bookedWeek,
    freeStart,
    bookingId,
    labId,
    serviceId: (
      await one<{ id: string }>(`SELECT id FROM services WHERE lab_id = $1 AND status = 'active' LIMIT 1`, [labId])
    ).id,
    eventId: (await one<{ id: string }>(`SELECT id FROM events WHERE status = 'published' ORDER BY created_at LIMIT 1`))
      .id,
    labEventId: (await one<{ id: string }>(`SELECT id FROM events WHERE organiser_org_id = $1 LIMIT 1`, [labId])).id,
    orderIds: orders.rows.map((r) => r.id),
    assistanceIds: assistance.rows.map((r) => r.id),
    verificationCode,
    voucherProgrammeId: (await one<{ id: string }>(`SELECT id FROM voucher_programmes ORDER BY created_at LIMIT 1`)).id,
  };
  expect(fx.orderIds.length).toBeGreaterThan(0);
  expect(fx.assistanceIds.length).toBeGreaterThan(0);
  expect(fx.invoiceIds.length).toBeGreaterThan(0);
});

/**
 * Visits each page in both languages in one signed-in context and returns what is wrong, page by
 * page; an empty list is a pass.
 */
async function crawl(who: string, email: string | null, visits: () => Visit[]): Promise<string[]> {
  const context: BrowserContext = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const problems: string[] = [];
  try {
    const page = await context.newPage();
    if (email) await signIn(page, stack.webUrl, email, '/');
    for (const locale of LOCALES) {
      await context.addCookies([{ name: LOCALE_COOKIE, value: locale, url: stack.webUrl }]);
      for (const visit of visits()) {
        const where = `${who} · ${locale} · ${visit.path}`;
        const response = await page.goto(`${stack.webUrl}${visit.path}`, { waitUntil: 'load' });
        visited.add(new URL(page.url()).pathname);
        const status = response?.status() ?? 0;
        if (status !== (visit.status ?? 200)) {
          problems.push(`${where}: answered ${status}, expected ${visit.status ?? 200}`);
          continue;
        }
        await page.waitForSelector('html[data-hydrated]', { state: 'attached', timeout: 60_000 });
        expect(await page.getAttribute('html', 'lang')).toBe(locale);
        // Colours, names and roles do not change with the language: axe reads each page once.
        const axeFound = locale === LOCALES[0] ? await seriousAxeViolations(page) : [];
        for (const v of axeFound) {
          problems.push(`${where}: axe ${v.rule} (${v.impact}) ${v.help} — ${v.targets.slice(0, 3).join(' | ')}`);
        }
        for (const text of await brokenMessages(page, namespaces)) problems.push(`${where}: ${text}`);
        // At the desktop width too, in both languages (English names are longer): nothing sideways.
        const wideOnDesk = await sidewaysScroll(page);
        if (wideOnDesk) problems.push(`${where}: scrolls sideways, ${wideOnDesk}`);
        // The phone look only measures widths (axe and the texts do not change with it), in the first
        // language: the same page, narrowed to a phone's width and back. Nothing on the pages sizes
        // itself from script but the charts (a ResizeObserver, a frame later), so it reads as loaded.
        if (locale === LOCALES[0]) {
          const wide = await atPhoneWidth(page, async () => {
            // A chart redraws for the new width in a frame or two; what is still too wide after that is.
            if (!(await sidewaysScroll(page))) return null;
            await frames(page, 10);
            return sidewaysScroll(page);
          });
          if (wide) problems.push(`${who} · ${PHONE_WIDTH} px · ${visit.path}: scrolls sideways, ${wide}`);
        }
      }
      if (locale === LOCALES[0]) await atPhoneWidth(page, () => shot(page, `every-page-${who}-phone`));
    }
    await shot(page, `every-page-${who}`);
  } finally {
    await context.close();
  }
  return problems;
}

/**
 * Runs `look` with the page at a phone's width (390 × 844), once what resizes itself from script on
 * the narrower page has done so (two frames), and puts the page back to the desktop size after.
 */
async function atPhoneWidth<T>(page: Page, look: () => Promise<T>): Promise<T> {
  const desktop = page.viewportSize() ?? { width: 1280, height: 900 };
  await page.setViewportSize({ width: PHONE_WIDTH, height: 844 });
  try {
    await frames(page, 2);
    return await look();
  } finally {
    await page.setViewportSize(desktop);
  }
}

/** Waits for the page to draw `n` frames. */
function frames(page: Page, n: number): Promise<void> {
  return page.evaluate(
    (count) =>
      new Promise<void>((resolve) => {
        const step = (left: number) => (left === 0 ? resolve() : requestAnimationFrame(() => step(left - 1)));
        step(count);
      }),
    n,
  );
}

// Each visitor's crawl reads some 15–25 pages twice; on a loaded 2-core machine that takes minutes.
describe.skipIf(skip)('every page, in Chinese and in English, for the visitor it is for', { timeout: 600_000 }, () => {
  it('the storefront, to a visitor who has not signed in', async () => {
    const problems = await crawl('visitor', null, () => [
      { path: '/' },
      { path: '/instruments' },
      { path: `/instruments/${fx.instrumentId}` },
      { path: `/instruments/${fx.instrumentId}?week=${fx.bookedWeek}` },
      { path: '/services' },
      { path: `/services/${fx.serviceId}` },
      { path: `/labs/${fx.labId}` },
      { path: '/labs' },
      { path: `/labs?q=${encodeURIComponent('GB/T 10125')}` },
      { path: `/instruments?within=7&hours=2` },
      { path: '/events' },
      { path: `/events/${fx.eventId}` },
      { path: `/verify/${fx.verificationCode}` },
      { path: '/cases' },
      { path: `/cases/${DEMO_CASE_IDS.saltSpray}` },
      { path: `/cases/${NOT_A_PAGE}`, status: 404 },
      { path: '/login' },
      { path: '/register' },
      { path: '/notices' },
      { path: `/instruments/${NOT_A_PAGE}`, status: 404 },
      { path: '/verify/NO-SUCH-CODE', status: 404 },
    ]);
    expect(problems.join('\n')).toBe('');
  });

  it('the customer pages, to an SME member', async () => {
    const problems = await crawl('customer', USERS.sme, () => [
      { path: `/instruments/${fx.instrumentId}?week=${fx.bookedWeek}` },
      { path: `/instruments/${fx.instrumentId}?week=${fx.bookedWeek}&start=${encodeURIComponent(fx.freeStart)}` },
      { path: `/events/${fx.eventId}` },
      { path: '/bookings' },
      { path: `/bookings/${fx.bookingId}` },
      { path: `/bookings/${fx.bookingId}/reschedule` },
      { path: '/orders' },
      ...fx.orderIds.map((id) => ({ path: `/orders/${id}` })),
      { path: '/assistance' },
      ...fx.assistanceIds.map((id) => ({ path: `/assistance/${id}` })),
      { path: '/calibration' },
      { path: '/invoices' },
      { path: '/invoices/statements' },
      { path: `/invoices/statements?lab=${fx.labId}&month=2026-09` },
      ...fx.invoiceIds.map((id) => ({ path: `/invoices/${id}` })),
      { path: '/vouchers' },
      { path: '/inbox' },
      { path: '/inbox?show=unread' },
      { path: `/checkin/${fx.instrumentId}` },
      { path: '/logout' },
      { path: '/console', status: 403 },
    ]);
    expect(problems.join('\n')).toBe('');
  });

  it('the lab console, to a lab manager', async () => {
    const problems = await crawl('lab', USERS.lab, () => [
      { path: '/console' },
      { path: '/console/instruments' },
      { path: '/console/bookings' },
      { path: `/console/bookings/${fx.bookingId}` },
      { path: '/console/schedule' },
      { path: '/console/orders' },
      ...fx.orderIds.map((id) => ({ path: `/console/orders/${id}` })),
      { path: '/console/events' },
      { path: `/console/events/${fx.labEventId}` },
      { path: '/console/instruments/new' },
      { path: `/console/instruments/${fx.instrumentId}` },
      { path: '/console/instruments/labels' },
      { path: `/console/instruments/labels?instrument=${fx.instrumentId}` },
      { path: `/checkin/${fx.instrumentId}` },
      { path: '/console/services' },
      { path: '/console/services?status=retired' },
      { path: '/console/services/new' },
      { path: `/console/services/${fx.serviceId}` },
      { path: '/console/ratings' },
      { path: '/console/ratings?tab=all' },
      { path: '/console/calibration' },
      { path: '/console/calibration?history=1' },
      { path: '/console/people' },
      { path: '/console/members' },
      { path: '/console/api-tokens' },
      { path: '/console/qualifications' },
      { path: '/console/settings/hours' },
      { path: '/console/settings/closures' },
      { path: '/console/settings/policy' },
      { path: '/console/settings/lab' },
      { path: '/console/settings/orders' },
      { path: '/console/application' },
      { path: '/console/finance' },
      ...fx.invoiceIds.map((id) => ({ path: `/console/finance/invoices/${id}` })),
      { path: '/console/finance/bank' },
      { path: '/console/finance/card' },
      { path: '/console/finance/statements' },
      { path: '/console/finance/statements?month=2026-09' },
      { path: '/console/finance/fapiao' },
      { path: '/console/finance/fapiao?status=issued' },
      { path: '/console/finance/terms' },
      { path: '/console/finance/vouchers' },
      { path: '/console/finance/ledger' },
      { path: '/console/finance/platform-fees' },
      { path: '/console/cases' },
      { path: `/console/cases/${DEMO_CASE_IDS.saltSpray}` },
    ]);
    expect(problems.join('\n')).toBe('');
  });

  it("the officer's desk, to a service officer", async () => {
    const problems = await crawl('officer', USERS.officer, () => [
      { path: '/officer' },
      ...fx.assistanceIds.map((id) => ({ path: `/officer/assistance/${id}` })),
      { path: '/officer/cases' },
      { path: `/officer/cases/${DEMO_CASE_IDS.torque}` },
      { path: '/inbox' },
    ]);
    expect(problems.join('\n')).toBe('');
  });

  it("the platform's money pages, to a platform admin", async () => {
    const problems = await crawl('admin', USERS.admin, () => [
      { path: '/admin' },
      { path: '/admin/ledger' },
      { path: '/admin/fees' },
      { path: '/admin/reconciliation' },
      { path: '/admin/reconciliation?from=2026-11-01&to=2026-11-30&state=all' },
      { path: '/admin/vouchers' },
      { path: `/admin/vouchers/${fx.voucherProgrammeId}` },
      { path: '/admin/vouchers/applications' },
      { path: '/admin/vouchers/claims' },
      { path: '/admin/statistics' },
      { path: '/admin/statistics?region=320500&from=2026-01-01&to=2026-11-30' },
      { path: '/admin/statistics?region=320506&from=2026-11-01&to=2026-11-30' },
      { path: '/admin/enterprises' },
      { path: '/admin/enterprises?region=320500' },
      { path: `/admin/vouchers/${NOT_A_PAGE}`, status: 404 },
      { path: '/admin/labs' },
      { path: '/admin/labs?status=all' },
      { path: `/admin/labs/${fx.labId}` },
      { path: `/admin/labs/${NOT_A_PAGE}`, status: 404 },
      // Not a service officer: the desk says so and where to go instead.
      { path: '/officer' },
      { path: '/inbox' },
      { path: '/admin/cases' },
      { path: '/admin/cases?status=all' },
      { path: `/admin/cases/${DEMO_CASE_IDS.saltSpray}` },
      { path: '/admin/audit' },
      { path: '/admin/audit?action=order&from=2026-11-01&to=2026-11-30' },
      { path: '/admin/holidays?year=2026' },
      { path: '/admin/holidays?year=2027' },
    ]);
    expect(problems.join('\n')).toBe('');
  });

  it("the admission pages (入驻, 公示): the public notices, the lab's application, the platform's review", async () => {
    const problems = [
      ...(await crawl('visitor', null, () => [{ path: '/notices' }])),
      ...(await crawl('lab', USERS.lab, () => [{ path: '/console/application' }])),
      ...(await crawl('admin', USERS.admin, () => [
        { path: '/admin/labs' },
        { path: '/admin/labs?status=all' },
        // The seeded applications: one on 公示 with an objection, one awaiting review.
        { path: `/admin/labs/${DEMO_APPLICANT_LAB_IDS.onNotice}` },
        { path: `/admin/labs/${DEMO_APPLICANT_LAB_IDS.submitted}` },
        { path: `/admin/labs/${fx.labId}` },
        { path: `/admin/labs/${NOT_A_PAGE}`, status: 404 },
      ])),
    ];
    expect(problems.join('\n')).toBe('');
  });

  it("the platform's evaluation pages (效能评价, 仪器利用), to a platform admin", async () => {
    const problems = await crawl('admin', USERS.admin, () => [
      { path: '/admin/efficiency' },
      { path: '/admin/efficiency?from=2026-05-01&to=2026-11-30&groupBy=region' },
      { path: '/admin/efficiency?from=2026-05-01&to=2026-11-30&groupBy=kind&region=320500' },
      { path: '/admin/efficiency/orders?from=2026-05-01&to=2026-11-30&figure=turnaround' },
      { path: '/admin/efficiency/orders?from=2026-05-01&to=2026-11-30&figure=rating&subRegion=320500' },
      { path: '/admin/utilisation' },
      { path: '/admin/utilisation?year=2026' },
    ]);
    expect(problems.join('\n')).toBe('');
  });

  it('marks taken time with a word, a hatching and a struck-through time, not by colour alone', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    try {
      const page = await context.newPage();
      for (const who of ['visitor', 'customer'] as const) {
        if (who === 'customer') await signIn(page, stack.webUrl, USERS.sme, '/');
        await page.goto(`${stack.webUrl}/instruments/${fx.instrumentId}?week=${fx.bookedWeek}`);
        await page.waitForSelector('html[data-hydrated]', { state: 'attached', timeout: 60_000 });
        const cues = await page.getByTestId('slot-taken').evaluateAll((cells) =>
          cells.map((cell) => ({
            word: cell.querySelector('[data-testid="slot-taken-word"]')?.textContent?.trim() ?? '',
            pattern: getComputedStyle(cell).backgroundImage,
            struck: getComputedStyle(cell.querySelector('.t')!).textDecorationLine,
          })),
        );
        await shot(page, `every-page-taken-slots-${who}`);
        expect(cues.length, who).toBeGreaterThan(0);
        for (const cue of cues) {
          expect(cue.word, who).toBe('已约');
          expect(cue.pattern, who).toMatch(/repeating-linear-gradient/);
          expect(cue.struck, who).toContain('line-through');
        }
      }
    } finally {
      await context.close();
    }
  });

  it('has visited every page the web has (a new page joins the crawl above)', () => {
    const missed = pageRoutes().filter((route) => ![...visited].some((p) => routeMatches(route, p)));
    expect(missed).toEqual([]);
  });
});
