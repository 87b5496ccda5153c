import { createInstance, type i18n as I18nInstance, type TFunction } from 'i18next';
import admissionEn from '../../messages/admission.en.json';
import admissionZhCN from '../../messages/admission.zh-CN.json';
import admission2En from '../../messages/admission2.en.json';
import admission2ZhCN from '../../messages/admission2.zh-CN.json';
import bookingsEn from '../../messages/bookings.en.json';
import bookingsZhCN from '../../messages/bookings.zh-CN.json';
import cardEn from '../../messages/card.en.json';
import cardZhCN from '../../messages/card.zh-CN.json';
import cardfileEn from '../../messages/cardfile.en.json';
import cardfileZhCN from '../../messages/cardfile.zh-CN.json';
import efficiencyEn from '../../messages/efficiency.en.json';
import efficiencyZhCN from '../../messages/efficiency.zh-CN.json';
import dashEn from '../../messages/dash.en.json';
import dashZhCN from '../../messages/dash.zh-CN.json';
import casesEn from '../../messages/cases.en.json';
import casesZhCN from '../../messages/cases.zh-CN.json';
import enBase from '../../messages/en.json';
import inboxEn from '../../messages/inbox.en.json';
import inboxZhCN from '../../messages/inbox.zh-CN.json';
import officerDeskEn from '../../messages/officer-desk.en.json';
import officerDeskZhCN from '../../messages/officer-desk.zh-CN.json';
import labAdminEn from '../../messages/lab-admin.en.json';
import labAdminZhCN from '../../messages/lab-admin.zh-CN.json';
import labCatalogueEn from '../../messages/lab-catalogue.en.json';
import labCatalogueZhCN from '../../messages/lab-catalogue.zh-CN.json';
import labConsoleEn from '../../messages/lab-console.en.json';
import labConsoleZhCN from '../../messages/lab-console.zh-CN.json';
import moneyEdgesEn from '../../messages/money-edges.en.json';
import moneyEdgesZhCN from '../../messages/money-edges.zh-CN.json';
import moneyEn from '../../messages/money.en.json';
import moneyZhCN from '../../messages/money.zh-CN.json';
import opsEn from '../../messages/ops.en.json';
import opsZhCN from '../../messages/ops.zh-CN.json';
import orderConsoleEn from '../../messages/order-console.en.json';
import orderConsoleZhCN from '../../messages/order-console.zh-CN.json';
import ordersEn from '../../messages/orders.en.json';
import ordersZhCN from '../../messages/orders.zh-CN.json';
import platfeeEn from '../../messages/platfee.en.json';
import platfeeZhCN from '../../messages/platfee.zh-CN.json';
import qiEn from '../../messages/qi.en.json';
import qiZhCN from '../../messages/qi.zh-CN.json';
import reconEn from '../../messages/recon.en.json';
import reconZhCN from '../../messages/recon.zh-CN.json';
import statsEn from '../../messages/stats.en.json';
import statsZhCN from '../../messages/stats.zh-CN.json';
import settleEn from '../../messages/settle.en.json';
import settleZhCN from '../../messages/settle.zh-CN.json';
import storeEn from '../../messages/store.en.json';
import storeZhCN from '../../messages/store.zh-CN.json';
import vouchersEn from '../../messages/vouchers.en.json';
import vouchersZhCN from '../../messages/vouchers.zh-CN.json';
import zhCNBase from '../../messages/zh-CN.json';

// Messages live in one file per area and locale; each file owns its own top-level keys.
const zhCN = {
  ...zhCNBase,
  ...dashZhCN,
  ...bookingsZhCN,
  ...labConsoleZhCN,
  ...labCatalogueZhCN,
  ...ordersZhCN,
  ...orderConsoleZhCN,
  ...qiZhCN,
  ...moneyZhCN,
  ...reconZhCN,
  ...platfeeZhCN,
  ...cardZhCN,
  ...cardfileZhCN,
  ...settleZhCN,
  ...statsZhCN,
  ...moneyEdgesZhCN,
  ...vouchersZhCN,
  ...efficiencyZhCN,
  ...storeZhCN,
  ...admissionZhCN,
  ...inboxZhCN,
  ...officerDeskZhCN,
  ...casesZhCN,
  ...labAdminZhCN,
  ...opsZhCN,
  ...admission2ZhCN,
};
const en = {
  ...enBase,
  ...dashEn,
  ...bookingsEn,
  ...labConsoleEn,
  ...labCatalogueEn,
  ...ordersEn,
  ...orderConsoleEn,
  ...qiEn,
  ...moneyEn,
  ...reconEn,
  ...platfeeEn,
  ...cardEn,
  ...cardfileEn,
  ...settleEn,
  ...statsEn,
  ...moneyEdgesEn,
  ...vouchersEn,
  ...efficiencyEn,
  ...storeEn,
  ...admissionEn,
  ...inboxEn,
  ...officerDeskEn,
  ...casesEn,
  ...labAdminEn,
  ...opsEn,
  ...admission2En,
};

export const LOCALES = ['zh-CN', 'en'] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = 'zh-CN';
export const LOCALE_COOKIE = 'qihub_locale';

export const MESSAGES = { 'zh-CN': zhCN, en } as const satisfies Record<Locale, object>;

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value);
}

/** The cookie wins; without one the site speaks Chinese, the programme's language. */
export function resolveLocale(cookie: string | null | undefined): Locale {
  return isLocale(cookie) ? cookie : DEFAULT_LOCALE;
}

function createTranslator(locale: Locale): I18nInstance {
  const instance = createInstance();
  // Resources are bundled, so initialisation is synchronous and the instance is ready on return.
  void instance.init({
    lng: locale,
    fallbackLng: DEFAULT_LOCALE,
    supportedLngs: [...LOCALES],
    resources: { 'zh-CN': { translation: zhCN }, en: { translation: en } },
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
