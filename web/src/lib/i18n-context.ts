import { getContext, setContext } from 'svelte';
import type { TFunction } from 'i18next';
import { formatDate, formatNumber, pick, translator, type Locale } from '$lib/i18n';
import { formatMoney } from '$lib/money';
import type { Money } from '$lib/types';

const KEY = Symbol('qihub-i18n');

/** What every component gets: all functions read the locale when called, so they follow a switch. */
export interface I18n {
  readonly locale: Locale;
  t: TFunction;
  pick(zh: string | null | undefined, en: string | null | undefined): string;
  money(m: Money | null | undefined, fallback?: string): string;
  date(isoDate: string): string;
  num(n: number): string;
}

export function provideI18n(getLocale: () => Locale): I18n {
  const i18n: I18n = {
    get locale() {
      return getLocale();
    },
    t: ((...args: Parameters<TFunction>) => translator(getLocale())(...args)) as TFunction,
    pick: (zh, en) => pick(getLocale(), zh, en),
    money: (m, fallback = '—') => (m ? formatMoney(m, getLocale()) : fallback),
    date: (d) => formatDate(d, getLocale()),
    num: (n) => formatNumber(n, getLocale()),
  };
  setContext(KEY, i18n);
  return i18n;
}

export function useI18n(): I18n {
  const i18n = getContext<I18n | undefined>(KEY);
  if (!i18n) throw new Error('useI18n() outside the root layout');
  return i18n;
}
