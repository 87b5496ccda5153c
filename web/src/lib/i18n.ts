import { createInstance, type i18n as I18nInstance, type TFunction } from 'i18next';
import type zhCNBase from '../../messages/zh-CN.json';

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
 * The messages of each loaded locale. A browser loads only the language it shows (one chunk per
 * locale, see `loadMessages`); the server loads both when it starts.
 */
export const MESSAGES = {} as Record<Locale, Messages>;

const loaders: Record<Locale, () => Promise<{ default: Messages }>> = {
  'zh-CN': () => import('./messages/zh-CN'),
  en: () => import('./messages/en'),
};
const loading = new Map<Locale, Promise<void>>();

/** Makes a locale's messages available to `translator(locale)`; resolves at once when they are. */
export function loadMessages(locale: Locale): Promise<void> {
  let pending = loading.get(locale);
  if (!pending) {
    pending = loaders[locale]().then((m) => registerMessages(locale, m.default));
    loading.set(locale, pending);
  }
  return pending;
}

function registerMessages(locale: Locale, messages: Messages): void {
  MESSAGES[locale] = messages;
  instances.get(locale)!.addResourceBundle(locale, 'translation', messages, true, true);
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

const instances = new Map<Locale, I18nInstance>(LOCALES.map((l) => [l, createTranslator(l)]));

export function translator(locale: Locale): TFunction {
  return instances.get(locale)!.t;
}

/** Bilingual API fields: English when asked for and present, Chinese otherwise. */
export function pick(locale: Locale, zh: string | null | undefined, en: string | null | undefined): string {
  if (locale === 'en' && en && en.trim() !== '') return en;
  return zh ?? en ?? '';
}

/** `2027-05-01` (a local date, no time zone) → "2027年5月1日" / "1 May 2027". */
export function formatDate(isoDate: string, locale: Locale): string {
  const d = new Date(`${isoDate.slice(0, 10)}T00:00:00Z`);
  if (Number.isNaN(d.getTime())) return isoDate;
  return new Intl.DateTimeFormat(locale === 'en' ? 'en-GB' : 'zh-CN', { dateStyle: 'medium', timeZone: 'UTC' }).format(
    d,
  );
}

export function formatNumber(n: number, locale: Locale): string {
  return new Intl.NumberFormat(locale).format(n);
}
