import path from 'node:path';
import { type Browser, type BrowserContext, type Page } from 'playwright-core';
import { beforeAll, expect } from 'vitest';
import { bearer, login } from './app.ts';
import { type BrowserJourney, browserJourney, NO_BROWSER, shot, signIn } from './browser.ts';
import type { TestDatabase } from './db.ts';
import {
  brokenMessages,
  messageNamespaces,
  PHONE_WIDTH,
  routeMatches,
  seriousAxeViolations,
  sidewaysScroll,
  uncuedScrollBoxes,
} from './page-audit.ts';
import { orgOf, USERS } from './scenario.ts';
import type { RunningStack } from './servers.ts';

// The crawl of every page (e2e/every-page-*.test.ts, one file per group of visitors, so that the groups
// run on separate workers): each page visited by the visitor it is for, in Chinese and in English;
// axe-core finds no serious or critical violation, and no text shows a raw or broken message key; at
// the desktop width and on a phone (390 px, in Chinese) the page does not scroll sideways.
// One browser, one sign-in per person; each page is read once it has hydrated. Which file crawls which
// route is declared in every-page-routes.ts.

const LOCALES = ['zh-CN', 'en'] as const;
const LOCALE_COOKIE = 'qihub_locale';
const namespaces = messageNamespaces();
/** A UUID no row has: the pages that answer 404 for it. */
export const NOT_A_PAGE = '00000000-0000-4000-8000-000000000000';

export interface Visit {
  path: string;
  /** The answer the page is meant to give (an error page is a page too). */
  status?: number;
}

/** What the seeded demo data and one booking made by the crawl file give it to look at. */
export interface Fixtures {
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

/** One crawl file's browser, servers, fixtures and the pages it has visited (nothing shared between files). */
export interface EveryPageCrawl {
  readonly stack: RunningStack;
  readonly browser: Browser;
  readonly fx: Fixtures;
  /**
   * Visits each page in both languages in one signed-in context and returns what is wrong, page by
   * page; an empty list is a pass.
   */
  crawl(who: string, email: string | null, visits: () => Visit[]): Promise<string[]>;
  /** The routes of `owned` that no page this file visited is an instance of. */
  missed(owned: readonly string[]): string[];
}

/**
 * Registers the hooks of one crawl file (call it at the top of the file, like browserJourney): the
 * journey's database, servers and browser, then the fixtures the crawl looks at.
 */
export function everyPageCrawl(): EveryPageCrawl {
  const journey = browserJourney();
  const visited = new Set<string>();
  const shots = new Map<string, number>();
  let fx: Fixtures | undefined;
  beforeAll(async () => {
    if (NO_BROWSER) return;
    fx = await makeFixtures(journey.db, journey.stack);
  });
  return {
    get stack() {
      return journey.stack;
    },
    get browser() {
      return journey.browser;
    },
    get fx() {
      if (!fx) throw new Error('the crawl fixtures are made in beforeAll');
      return fx;
    },
    crawl: (who, email, visits) => crawl(journey, visited, shotName(shots, who), who, email, visits),
    missed: (owned) => owned.filter((route) => ![...visited].some((p) => routeMatches(route, p))),
  };
}

async function one<T>(db: TestDatabase, sql: string, params: unknown[] = []): Promise<T> {
  const { rows } = await db.pool.query(sql, params);
  if (!rows[0]) throw new Error(`no row for ${sql}`);
  return rows[0] as T;
}

/** What the seeded demo data and one booking made here give the crawl to look at. */
async function makeFixtures(db: TestDatabase, stack: RunningStack): Promise<Fixtures> {
  const labId = await orgOf(db, USERS.lab);
  const smeOrg = await orgOf(db, USERS.sme);
  const { id: instrumentId } = await one<{ id: string }>(
    db,
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
    db,
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
    db,
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
  const fx: Fixtures = {
    invoiceIds: invoices.rows.map((r) => r.id),
    instrumentId,
    bookedWeek,
    freeStart,
    bookingId,
    labId,
    serviceId: (
      await one<{ id: string }>(db, `SELECT id FROM services WHERE lab_id = $1 AND status = 'active' LIMIT 1`, [labId])
    ).id,
    eventId: (
      await one<{ id: string }>(db, `SELECT id FROM events WHERE status = 'published' ORDER BY created_at LIMIT 1`)
    ).id,
    labEventId: (await one<{ id: string }>(db, `SELECT id FROM events WHERE organiser_org_id = $1 LIMIT 1`, [labId]))
      .id,
    orderIds: orders.rows.map((r) => r.id),
    assistanceIds: assistance.rows.map((r) => r.id),
    verificationCode,
    voucherProgrammeId: (await one<{ id: string }>(db, `SELECT id FROM voucher_programmes ORDER BY created_at LIMIT 1`))
      .id,
  };
  expect(fx.orderIds.length).toBeGreaterThan(0);
  expect(fx.assistanceIds.length).toBeGreaterThan(0);
  expect(fx.invoiceIds.length).toBeGreaterThan(0);
  return fx;
}

/**
 * The screenshot name of a crawl: the crawl file's name and who crawled (every-page-lab-lab), and a
 * count when the same person crawls again in the file. The crawl files run side by side (two workers),
 * so no two may write the same file.
 */
function shotName(shots: Map<string, number>, who: string): string {
  const testPath = expect.getState().testPath;
  if (!testPath) throw new Error('a crawl runs inside a test');
  const times = (shots.get(who) ?? 0) + 1;
  shots.set(who, times);
  return `${path.basename(testPath, '.test.ts')}-${who}${times > 1 ? `-${times}` : ''}`;
}

/**
 * Visits each page in both languages in one signed-in context and returns what is wrong, page by
 * page; an empty list is a pass.
 */
async function crawl(
  journey: BrowserJourney,
  visited: Set<string>,
  shotAs: string,
  who: string,
  email: string | null,
  visits: () => Visit[],
): Promise<string[]> {
  const { browser, stack } = journey;
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
          const { wide, uncued } = await atPhoneWidth(page, async () => {
            // A chart redraws for the new width in a frame or two; what is still too wide after that is.
            let wide = await sidewaysScroll(page);
            if (wide) {
              await frames(page, 10);
              wide = await sidewaysScroll(page);
            }
            // A wide table may scroll in its own box, but a shadow at its edge must say there is more.
            return { wide, uncued: await uncuedScrollBoxes(page) };
          });
          if (wide) problems.push(`${who} · ${PHONE_WIDTH} px · ${visit.path}: scrolls sideways, ${wide}`);
          for (const box of uncued) {
            problems.push(`${who} · ${PHONE_WIDTH} px · ${visit.path}: scrolls sideways inside with no cue, ${box}`);
          }
        }
      }
      if (locale === LOCALES[0]) await atPhoneWidth(page, () => shot(page, `${shotAs}-phone`));
    }
    await shot(page, shotAs);
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
