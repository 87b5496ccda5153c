import { localDateOf } from '$lib/time';

/**
 * Statement months (对账单): a month is YYYY-MM in China time, as the API keys them. The running
 * month is shown "so far" (暂定, provisional, never stored); a past month is stored once built
 * (by the monthly run, or on first request).
 */
export const STATEMENT_ZONE = 'Asia/Shanghai';
const MONTH = /^(19|20)\d{2}-(0[1-9]|1[0-2])$/;

export function isMonth(value: string | null | undefined): value is string {
  return typeof value === 'string' && MONTH.test(value);
}

/** The China month an instant falls in. */
export function monthOf(instant: Date): string {
  return localDateOf(instant, STATEMENT_ZONE).slice(0, 7);
}

/** The month `n` months before `month` (n may be negative). */
export function shiftMonth(month: string, n: number): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const index = y * 12 + (m - 1) - n;
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
}

export type MonthState = 'provisional' | 'closed' | 'unbuilt';

export interface StatementMonth {
  month: string;
  state: MonthState;
  /** When the stored statement was built (closed months only). */
  builtAt: string | null;
}

/**
 * The months to offer, newest first: the running month (provisional), the `count - 1` months before
 * it (closed when a statement is stored, else built when first opened), and any older stored month.
 */
export function statementMonths(
  now: Date,
  stored: readonly { month: string; builtAt: string }[],
  count = 12,
): StatementMonth[] {
  const running = monthOf(now);
  const built = new Map(stored.map((s) => [s.month, s.builtAt]));
  const months = new Set<string>();
  for (let i = 0; i < count; i++) months.add(shiftMonth(running, i));
  for (const s of stored) if (s.month < running) months.add(s.month);
  return [...months]
    .sort((a, b) => (a < b ? 1 : a > b ? -1 : 0))
    .map((month) => {
      if (month === running) return { month, state: 'provisional' as const, builtAt: null };
      const at = built.get(month) ?? null;
      return { month, state: at ? ('closed' as const) : ('unbuilt' as const), builtAt: at };
    });
}

/** The month a page opens on: the one asked for if among the offered months, else the last closed month. */
export function chosenMonth(asked: string | null, months: readonly StatementMonth[], now: Date): string {
  if (isMonth(asked) && months.some((m) => m.month === asked)) return asked;
  return shiftMonth(monthOf(now), 1);
}

/** 2026-11 → "2026年11月" / "November 2026". */
export function monthLabel(month: string, locale: string): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  if (locale.startsWith('zh')) return `${y}年${m}月`;
  return new Intl.DateTimeFormat(locale, { year: 'numeric', month: 'long', timeZone: 'UTC' }).format(
    new Date(Date.UTC(y, m - 1, 1)),
  );
}

/** Minutes as hours with at most one decimal (150 → 2.5), the way the statement's PDF shows them. */
export function hoursOf(minutes: number): number {
  return Math.round(minutes / 6) / 10;
}

export interface CustomerLab {
  id: string;
  nameZh: string;
  nameEn: string;
  /** Billed on a monthly account (月结) on one of its invoices. */
  monthly: boolean;
}

/**
 * The labs a customer has an account with, as its invoices and orders show them (the API has no
 * list of a customer's labs): monthly accounts (月结) first, then by name, each once.
 */
export function customerLabs(
  invoices: readonly { lab: { id: string; nameZh: string; nameEn: string }; terms: string }[],
  orders: readonly { labId: string; labNameZh: string }[],
): CustomerLab[] {
  const labs = new Map<string, CustomerLab>();
  for (const inv of invoices) {
    const known = labs.get(inv.lab.id);
    labs.set(inv.lab.id, { ...inv.lab, monthly: (known?.monthly ?? false) || inv.terms === 'monthly' });
  }
  for (const o of orders) {
    if (!labs.has(o.labId)) labs.set(o.labId, { id: o.labId, nameZh: o.labNameZh, nameEn: '', monthly: false });
  }
  return [...labs.values()].sort(
    (a, b) => Number(b.monthly) - Number(a.monthly) || a.nameZh.localeCompare(b.nameZh, 'zh-CN'),
  );
}
