import { createInstance, type i18n as I18nInstance, type TFunction } from 'i18next';
import type zhCNBase from '../../messages/zh-CN.json';
import { areaOfFile, areasForRoute } from '$lib/messages/areas';
import { plainDate, plainInteger } from '$lib/plain-format';

/**
 * The messages of one locale: the base file's groups (typed, for the problem codes) and every area
 * file's (`messages/<area>.<locale>.json`, each owning its own top-level keys).
 */
export type Messages = typeof zhCNBase & Record<string, unknown>;

export const LOCALES = ['zh-CN', 'en'] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = 'zh-CN';
export const LOCALE_COOKIE = 'qihub_locale';

/**
 * The messages of each locale, as far as they are loaded: the base file and the areas loaded so far.
 * A browser loads only the language it shows, and of it only the base messages and the areas of the
 * pages it opens (`loadMessages`, `lib/messages/areas.ts`); the server loads everything when it starts.
 */
export const MESSAGES = {} as Record<Locale, Messages>;

type Loader = () => Promise<unknown>;
/** One chunk per file: the base file of each locale, and each area file. */
const baseFiles: Record<Locale, Loader> = {
  'zh-CN': () => import('../../messages/zh-CN.json').then((m) => m.default),
  en: () => import('../../messages/en.json').then((m) => m.default),
};
const areaGlobs: Record<Locale, Record<string, Loader>> = {
  'zh-CN': import.meta.glob('../../messages/*.zh-CN.json', { import: 'default' }),
  en: import.meta.glob('../../messages/*.en.json', { import: 'default' }),
};
const areaFiles = Object.fromEntries(
  LOCALES.map((locale) => [
    locale,
    Object.fromEntries(Object.entries(areaGlobs[locale]).map(([file, load]) => [areaOfFile(file, locale)!, load])),
  ]),
) as Record<Locale, Record<string, Loader>>;

/** Every area of the messages (`messages/<area>.<locale>.json`), sorted. */
export const AREAS: readonly string[] = Object.keys(areaFiles[DEFAULT_LOCALE]).sort();

const loading = new Map<string, Promise<void>>();

function loadFile(locale: Locale, area: string | null): Promise<void> {
  const key = `${locale}/${area ?? ''}`;
  let pending = loading.get(key);
  if (!pending) {
    const load = area === null ? baseFiles[locale] : areaFiles[locale][area];
    pending = load
      ? load().then((messages) => registerMessages(locale, messages as Record<string, unknown>))
      : Promise.resolve();
    // A failed fetch (a new deployment, a dropped connection) is tried again on the next page.
    pending.catch(() => loading.delete(key));
    loading.set(key, pending);
  }
  return pending;
}

/**
 * Makes a locale's base messages and the given areas (all of them unless told) available to
 * `translator(locale)`, fetching what is not loaded yet in parallel; resolves at once when they are.
 */
export function loadMessages(locale: Locale, areas: readonly string[] = AREAS): Promise<void> {
  return Promise.all([loadFile(locale, null), ...areas.map((area) => loadFile(locale, area))]).then(() => undefined);
}

/** The base messages and the areas of the page at `routeId` (see `lib/messages/areas.ts`). */
export function loadPageMessages(locale: Locale, routeId: string | null): Promise<void> {
  return loadMessages(locale, areasForRoute(routeId, AREAS));
}

function registerMessages(locale: Locale, messages: Record<string, unknown>): void {
  // Each file owns its top-level keys, so a shallow merge keeps every file's groups whole.
  MESSAGES[locale] = Object.assign(MESSAGES[locale] ?? {}, messages);
  instanceOf(locale).addResourceBundle(locale, 'translation', messages, true, true);
  // A key missing a moment ago may be there now (and a fallback may have been said for it).
  for (const texts of said.values()) texts.clear();
}

/** The messages of whichever locale is loaded (all locales have the same keys). */
export function loadedMessages(): Messages | undefined {
  return MESSAGES[DEFAULT_LOCALE] ?? MESSAGES.en;
}

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value);
}

/** The cookie wins; without one the site speaks Chinese, the programme's language. */
export function resolveLocale(cookie: string | null | undefined): Locale {
  return isLocale(cookie) ? cookie : DEFAULT_LOCALE;
}

function createTranslator(locale: Locale): I18nInstance {
  const instance = createInstance();
  // No resources yet (loadMessages adds them), so initialisation is synchronous.
  void instance.init({
    lng: locale,
    fallbackLng: DEFAULT_LOCALE,
    supportedLngs: [...LOCALES],
    resources: {},
    initAsync: false,
    returnNull: false,
    // Svelte escapes interpolated text itself.
    interpolation: { escapeValue: false },
  });
  return instance;
}

/** Made on first use: a browser shows one language, and setting up i18next is work while the page hydrates. */
const instances = new Map<Locale, I18nInstance>();
function instanceOf(locale: Locale): I18nInstance {
  let instance = instances.get(locale);
  if (!instance) instances.set(locale, (instance = createTranslator(locale)));
  return instance;
}

/**
 * What t() said for a key and its values, per locale, until more messages are loaded. A page says
 * the same few things many times (the week calendar names a day and a number of free units in
 * every one of its hundreds of cells, while the page hydrates), and i18next's lookup of a key —
 * the languages, plural forms and nesting it tries — costs far more than a map's.
 */
const said = new Map<Locale, Map<string, string>>(LOCALES.map((l) => [l, new Map()]));
/** Enough for the busiest page's sayings; past it the memory starts again. */
const SAID_LIMIT = 20_000;

/** `t(key)` or `t(key, {values})` with plain values: what can be remembered. */
function memoKey(args: unknown[]): string | null {
  const [key, options] = args;
  if (typeof key !== 'string' || args.length > 2) return null;
  if (options === undefined) return key;
  if (typeof options !== 'object' || options === null || Array.isArray(options)) return null;
  let id = key;
  for (const [name, value] of Object.entries(options)) {
    const type = typeof value;
    if (type !== 'string' && type !== 'number' && type !== 'boolean' && value !== null && value !== undefined) {
      return null;
    }
    id += `\u0000${name}\u0001${value === null ? 'n' : type[0]}${String(value)}`;
  }
  return id;
}

function rememberingTranslator(locale: Locale): TFunction {
  const t = instanceOf(locale).t as unknown as (...args: unknown[]) => unknown;
  const texts = said.get(locale)!;
  return ((...args: unknown[]) => {
    const id = memoKey(args);
    if (id === null) return t(...args);
    let text = texts.get(id);
    if (text === undefined) {
      const out = t(...args);
      if (typeof out !== 'string') return out;
      if (texts.size >= SAID_LIMIT) texts.clear();
      texts.set(id, (text = out));
    }
    return text;
  }) as unknown as TFunction;
}

const translators = new Map<Locale, TFunction>();

export function translator(locale: Locale): TFunction {
  let t = translators.get(locale);
  if (!t) translators.set(locale, (t = rememberingTranslator(locale)));
  return t;
}

/** Bilingual API fields: English when asked for and present, Chinese otherwise. */
export function pick(locale: Locale, zh: string | null | undefined, en: string | null | undefined): string {
  if (locale === 'en' && en && en.trim() !== '') return en;
  return zh ?? en ?? '';
}

// One formatter per language, made on first use: a list names a date in every row, and making a
// formatter costs far more than using one. The usual dates and whole numbers skip Intl altogether
// (lib/plain-format.ts: a page's first formatter loads ICU data while it hydrates).
const dateFormats = new Map<Locale, Intl.DateTimeFormat>();
const numberFormats = new Map<Locale, Intl.NumberFormat>();

/** `2027-05-01` (a local date, no time zone) → "2027年5月1日" / "1 May 2027". */
export function formatDate(isoDate: string, locale: Locale): string {
  const plain = plainDate(isoDate, locale);
  if (plain !== null) return plain;
  const d = new Date(`${isoDate.slice(0, 10)}T00:00:00Z`);
  if (Number.isNaN(d.getTime())) return isoDate;
  let f = dateFormats.get(locale);
  if (!f) {
    f = new Intl.DateTimeFormat(locale === 'en' ? 'en-GB' : 'zh-CN', { dateStyle: 'medium', timeZone: 'UTC' });
    dateFormats.set(locale, f);
  }
  return f.format(d);
}

export function formatNumber(n: number, locale: Locale): string {
  const plain = plainInteger(n);
  if (plain !== null) return plain;
  let f = numberFormats.get(locale);
  if (!f) {
    f = new Intl.NumberFormat(locale);
    numberFormats.set(locale, f);
  }
  return f.format(n);
}
