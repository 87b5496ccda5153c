import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { DEMO_PASSWORD } from './app.ts';
import { createTestDatabase, type TestDatabase } from './db.ts';
import { journeyClock } from './journey-clock.ts';
import { startStack, type RunningStack, type StackOptions } from './servers.ts';

/** Screenshots of the browser journeys land here (kept by CI as artifacts). */
export const ARTIFACTS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../artifacts');

/** Set by `pnpm test` when there is no Chromium on the machine: the journeys are skipped. */
export const NO_BROWSER = process.env.QIHUB_TEST_NO_BROWSER === '1';

/** The browser window the journeys use unless they say otherwise. */
export const DESKTOP = { width: 1280, height: 900 };
export type Viewport = typeof DESKTOP;

/** Someone at the browser: their own context (cookies, session) and its page. */
export interface Person {
  context: BrowserContext;
  page: Page;
}

export interface BrowserJourney {
  db: TestDatabase;
  stack: RunningStack;
  browser: Browser;
  /** A page of a fresh context, not signed in: zh-CN and a desktop window unless said otherwise. */
  newPage(viewport?: Viewport, locale?: string): Promise<Page>;
  /**
   * Someone in a fresh zh-CN context (a desktop window unless said otherwise), signed in as `email`
   * through the login form and sent on to `redirect`; with no email, a visitor who opens `redirect`.
   */
  person(email: string | null, redirect: string, viewport?: Viewport): Promise<Person>;
}

/** Debian's Chromium, headless, without the background traffic that slows a CI machine down. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    chromiumSandbox: false,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/**
 * Every page of the journey's browser waits, after each `goto`, until the app has hydrated
 * (`html[data-hydrated]`, set by the root layout), as a person waits for a page to be ready. The
 * web server runs on the journey clock and the page on the real one, so a time-dependent part can
 * re-render on hydration; a step taken before it was now and then lost. A context without
 * JavaScript never hydrates and is left as it is.
 */
function waitingForHydration(browser: Browser): Browser {
  const newContext = browser.newContext.bind(browser);
  browser.newContext = async (options) => {
    const context = await newContext(options);
    if (options?.javaScriptEnabled !== false) {
      const newPage = context.newPage.bind(context);
      context.newPage = async () => hydratingGoto(await newPage());
    }
    return context;
  };
  return browser;
}

function hydratingGoto(page: Page): Page {
  const goto = page.goto.bind(page);
  page.goto = async (url, options) => {
    const response = await goto(url, options);
    await page.waitForSelector('html[data-hydrated]', { state: 'attached', timeout: 60_000 });
    return response;
  };
  return page;
}

/**
 * Registers the hooks of one journey file: a clone of the seeded database, the API and the built web
 * app, and Chromium, all closed after the file. The returned object is filled in before the tests run.
 */
export function browserJourney(options: { stack?: () => StackOptions } = {}): BrowserJourney {
  const journey = {
    async newPage(viewport = DESKTOP, locale = 'zh-CN') {
      const context = await journey.browser.newContext({ locale, viewport });
      return context.newPage();
    },
    async person(email, redirect, viewport = DESKTOP) {
      const context = await journey.browser.newContext({ locale: 'zh-CN', viewport });
      const page = await context.newPage();
      if (email) await signIn(page, journey.stack.webUrl, email, redirect);
      else await page.goto(`${journey.stack.webUrl}${redirect}`);
      return { context, page };
    },
  } as BrowserJourney;
  beforeAll(async () => {
    if (NO_BROWSER) return;
    mkdirSync(ARTIFACTS, { recursive: true });
    // Chromium starts while the database is cloned and the servers come up: none waits for another.
    const launching = launchChromium();
    launching.catch(() => {}); // awaited below; not an unhandled rejection in the meantime
    try {
      journey.db = await createTestDatabase();
      journey.stack = await startStack(journey.db, journeyClock(), options.stack?.());
    } finally {
      // Held even when the stack failed, so that afterAll closes it.
      journey.browser = waitingForHydration(await launching);
    }
  });
  afterAll(async () => {
    if (NO_BROWSER) return;
    await journey.browser?.close();
    await journey.stack?.close();
    await journey.db?.drop();
  });
  return journey;
}

export async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });
}

/** Signs in through the login form and waits to be sent on to `redirect`. */
export async function signIn(page: Page, webUrl: string, email: string, redirect = '/'): Promise<void> {
  await page.goto(`${webUrl}/login?redirect=${encodeURIComponent(redirect)}`);
  await page.getByTestId('login-email').fill(email);
  await page.getByTestId('login-password').fill(DEMO_PASSWORD);
  // Wait for the navigation to commit, not for the next page's load event: on a loaded machine the
  // page behind the redirect may take long to finish loading, and the callers wait for what they need.
  await Promise.all([
    page.waitForURL((url) => !url.pathname.startsWith('/login'), { waitUntil: 'commit', timeout: 60_000 }),
    page.getByTestId('login-submit').click(),
  ]);
  await page.waitForLoadState('domcontentloaded');
}
