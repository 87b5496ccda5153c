/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
// The functions handed to page.evaluate run in the browser and read its DOM.
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AxeResults } from 'axe-core';
import type { Locator, Page } from 'playwright-core';

// What the crawl of every page checks on each: axe-core's serious and critical violations, and text
// that betrays a broken message lookup (a raw key, i18next's "returned an object instead of string",
// an interpolation left as {{name}}, "undefined" or "[object Object]" where a value belonged).

const require = createRequire(import.meta.url);
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const WEB = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../web');

export interface AxeFinding {
  rule: string;
  impact: string;
  help: string;
  targets: string[];
}

/**
 * axe-core's serious and critical violations on the page as it stands. The script is evaluated
 * through the DevTools protocol, so the page's Content-Security-Policy (no inline scripts) stays on.
 */
export async function seriousAxeViolations(page: Page): Promise<AxeFinding[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE_SOURCE);
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(context: Document, options: object): Promise<AxeResults> } }).axe;
    const result = await axe.run(document, { resultTypes: ['violations'] });
    return result.violations.map((v) => ({
      rule: v.id,
      impact: v.impact ?? 'unknown',
      help: v.help,
      targets: v.nodes.map((n) => n.target.join(' ')),
    }));
  });
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

/** The top-level keys of the web's message files (`booking`, `orderConsole` …), read from web/messages. */
export function messageNamespaces(): string[] {
  const dir = path.join(WEB, 'messages');
  const names = new Set<string>();
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.json'))) {
    for (const key of Object.keys(JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as object)) names.add(key);
  }
  return [...names];
}

/** Every text a visitor or a screen reader meets: text nodes (hidden ones too), labels, titles, placeholders. */
async function pageTexts(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const out: string[] = [document.title];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      // Identifiers shown as such (an audit action code, say) are data, not messages.
      if (node.parentElement?.closest('script, style, [data-identifier]')) continue;
      const text = node.textContent?.trim();
      if (text) out.push(text);
    }
    const attributes = ['title', 'placeholder', 'aria-label', 'aria-description', 'alt', 'content'];
    for (const el of document.querySelectorAll(
      '[title], [placeholder], [aria-label], [aria-description], [alt], meta',
    )) {
      for (const a of attributes) {
        const v = el.getAttribute(a);
        if (v) out.push(v);
      }
    }
    for (const el of document.querySelectorAll<HTMLInputElement>('input[type=submit], input[type=button]')) {
      out.push(el.value);
    }
    return out;
  });
}

/** Texts on the page that show a missing or malformed message, each with what is wrong with it. */
export async function brokenMessages(page: Page, namespaces: string[]): Promise<string[]> {
  const rawKey = new RegExp(
    // A dotted path starting with a message namespace, not part of an address, file name or URL.
    `(?<![\\w@/.:-])(?:${namespaces.join('|')})(?:\\.[A-Za-z0-9_]+)+(?![\\w@/-])`,
  );
  const checks: [RegExp, string][] = [
    [/returned an object instead of string/, 'a key that names a group of messages'],
    [/\{\{\s*[\w.]+\s*\}\}/, 'an interpolation left unfilled'],
    [/\bundefined\b|\bNaN\b|\[object Object\]/, 'a missing value'],
    [rawKey, 'a raw message key'],
  ];
  const found = new Set<string>();
  for (const text of await pageTexts(page)) {
    const what = checks.find(([pattern]) => pattern.test(text))?.[1];
    if (what) found.add(`${what}: "${text.length > 120 ? `${text.slice(0, 120)}…` : text}"`);
  }
  return [...found];
}

/** The page routes of the web app (`/orders/[id=uuid]` …), read from web/src/routes. */
export function pageRoutes(): string[] {
  const root = path.join(WEB, 'src/routes');
  const walk = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
      e.isDirectory() ? walk(path.join(dir, e.name)) : e.name === '+page.svelte' ? [dir] : [],
    );
  return walk(root).map((dir) => `/${path.relative(root, dir).split(path.sep).join('/')}`.replace(/\/$/, '') || '/');
}

/** Whether a visited path is an instance of a route (`[id=uuid]` is a UUID, any other `[param]` one segment). */
export function routeMatches(route: string, pathname: string): boolean {
  const pattern = route
    .split('/')
    .map((part) =>
      /^\[[^\]]+=uuid\]$/.test(part)
        ? '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}'
        : /^\[[^\]]+\]$/.test(part)
          ? '[^/]+'
          : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'),
    )
    .join('/');
  return new RegExp(`^${pattern || '/'}$`).test(pathname);
}

/** The phone width the pages are checked at (an iPhone 12–15 in portrait). */
export const PHONE_WIDTH = 390;

/**
 * Whether the page scrolls sideways as a whole (a wide table inside its own scroll box does not), and
 * if so, by how much and the widest elements that stick out past the right edge, to say what to fix.
 */
export async function sidewaysScroll(page: Page): Promise<string | null> {
  return page.evaluate(() => {
    const root = document.scrollingElement ?? document.documentElement;
    if (root.scrollWidth <= root.clientWidth) return null;
    const edge = root.clientWidth;
    // The outermost elements past the edge that no scroll box holds in. A box positioned absolutely
    // escapes the scroll boxes between it and its containing block (a visually hidden label in a
    // scrolled table can widen the page), so the walk up skips to its offsetParent.
    const out = [...document.body.querySelectorAll('*')].filter((el) => {
      if (el.getBoundingClientRect().right <= edge + 1) return false;
      const position = getComputedStyle(el).position;
      if (position === 'fixed') return true;
      let up = position === 'absolute' ? (el as HTMLElement).offsetParent : el.parentElement;
      while (up && up !== document.body) {
        const style = getComputedStyle(up);
        if (style.overflowX !== 'visible') return false;
        if (up.getBoundingClientRect().right > edge + 1) return false;
        up = style.position === 'absolute' ? (up as HTMLElement).offsetParent : up.parentElement;
      }
      return true;
    });
    return `${root.scrollWidth} px wide in ${edge} px: ${out
      .slice(0, 4)
      .map((el) => {
        // No named helpers in here: a bundler may wrap them in a function the page does not have.
        const classes = [...el.classList].filter((c) => !c.startsWith('svelte-')).map((c) => `.${c}`);
        const testid = el.getAttribute('data-testid');
        const name = `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}${classes.join('')}`;
        return `${name}${testid ? `[data-testid=${testid}]` : ''} (${Math.round(el.getBoundingClientRect().right)} px)`;
      })
      .join(' | ')}`;
  });
}

/**
 * The boxes inside the page that scroll sideways (a wide table on a phone) with nothing to say so: a
 * box that holds more than it shows must have the edge shadows of app.css's `.table-wrap` /
 * `.scroll-x` (gradients, the covers scrolling with the content). Each as the element and how much
 * it hides.
 */
export async function uncuedScrollBoxes(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    [...document.body.querySelectorAll('*')]
      .filter((el) => {
        const style = getComputedStyle(el);
        if (style.overflowX !== 'auto' && style.overflowX !== 'scroll') return false;
        if (el.clientWidth === 0 || el.scrollWidth <= el.clientWidth + 1) return false;
        // Not shown (a closed <details>, display: none): nothing to scroll.
        if (!el.checkVisibility()) return false;
        return !(style.backgroundImage.includes('gradient') && style.backgroundAttachment.includes('local'));
      })
      .slice(0, 4)
      .map((el) => {
        const classes = [...el.classList].filter((c) => !c.startsWith('svelte-')).map((c) => `.${c}`);
        const testid = el.getAttribute('data-testid');
        const name = `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}${classes.join('')}`;
        return `${name}${testid ? `[data-testid=${testid}]` : ''} (${el.scrollWidth} px in ${el.clientWidth} px)`;
      }),
  );
}

/** Whether a thing sits wholly inside the page's viewport now. */
export async function inView(target: Locator): Promise<boolean> {
  const box = await target.boundingBox();
  const screen = target.page().viewportSize();
  return (
    !!box &&
    !!screen &&
    box.x >= 0 &&
    box.y >= 0 &&
    box.x + box.width <= screen.width &&
    box.y + box.height <= screen.height
  );
}

/**
 * Scrolls the page up or down to bring a thing to mid-screen, as a thumb would: never sideways
 * (scrollIntoView would also scroll a clipped row sideways and bring an off-screen button into view).
 */
export async function scrollDownTo(target: Locator): Promise<void> {
  await target.evaluate((el) =>
    window.scrollTo(0, el.getBoundingClientRect().top + window.scrollY - window.innerHeight / 2),
  );
}
