import { wallClock, formatHhmm } from '$lib/time';

/** Formatting for the console: instants always in the lab's zone, words in the page's language. */

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(locale: string, timeZone: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${locale}|${timeZone}|${JSON.stringify(options)}`;
  let f = formatters.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(locale === 'en' ? 'en-GB' : 'zh-CN', { timeZone, ...options });
    formatters.set(key, f);
  }
  return f;
}

/** A local date (`YYYY-MM-DD`) with its weekday: "12月1日周二" / "Tue 1 Dec". */
export function formatDay(date: string, locale: string, options: { year?: boolean } = {}): string {
  const d = new Date(`${date}T12:00:00Z`);
  return formatter(locale, 'UTC', {
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    ...(options.year ? { year: 'numeric' } : {}),
  }).format(d);
}

/** A local date without weekday: "2026年12月1日" / "1 Dec 2026". */
export function formatLocalDate(date: string, locale: string): string {
  return formatter(locale, 'UTC', { dateStyle: 'medium' }).format(new Date(`${date}T12:00:00Z`));
}

/** An instant as date and time in the lab's zone: "2026/12/1 09:30" / "1 Dec 2026, 09:30". */
export function formatInstant(instant: string | Date, locale: string, timeZone: string): string {
  const d = typeof instant === 'string' ? new Date(instant) : instant;
  return formatter(locale, timeZone, { dateStyle: 'medium', timeStyle: 'short', hourCycle: 'h23' }).format(d);
}

/**
 * A booking's time in the lab's zone: "12月1日周二 09:00–11:00" on one day, both dates when it runs
 * over midnight ("…周二 22:00 – 12月2日周三 02:00").
 */
export function formatTimeRange(start: string, end: string, locale: string, timeZone: string): string {
  const a = wallClock(new Date(start), timeZone);
  const b = wallClock(new Date(end), timeZone);
  const sameDay = a.date === b.date || (b.minutes === 0 && Date.parse(end) - Date.parse(start) <= 86_400_000);
  const endTime = b.minutes === 0 && a.date !== b.date ? '24:00' : formatHhmm(b.minutes);
  if (sameDay) return `${formatDay(a.date, locale)} ${formatHhmm(a.minutes)}–${endTime}`;
  return `${formatDay(a.date, locale)} ${formatHhmm(a.minutes)} – ${formatDay(b.date, locale)} ${formatHhmm(b.minutes)}`;
}

/** Minutes as hours and minutes: 150 → { hours: 2, minutes: 30 } for the message "{{hours}} 小时 {{minutes}} 分钟". */
export function splitMinutes(total: number): { hours: number; minutes: number } {
  return { hours: Math.floor(total / 60), minutes: total % 60 };
}
