/**
 * Wall-clock arithmetic in an IANA time zone with nothing but Intl: the week calendar is drawn in
 * the site's zone (the lab's opening hours and slot grid are wall-clock there), whatever zone the
 * server or the browser runs in. Local dates are `YYYY-MM-DD` strings, never Date objects.
 */

const MINUTE = 60_000;

const partFormatters = new Map<string, Intl.DateTimeFormat>();

function partsFormatter(timeZone: string): Intl.DateTimeFormat {
  let f = partFormatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    partFormatters.set(timeZone, f);
  }
  return f;
}

export interface ZonedParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
}

/** The wall-clock reading of an instant in a zone. */
export function zonedParts(instant: Date, timeZone: string): ZonedParts {
  const p: Record<string, string> = {};
  for (const part of partsFormatter(timeZone).formatToParts(instant)) p[part.type] = part.value;
  return {
    year: Number(p.year),
    month: Number(p.month),
    day: Number(p.day),
    hour: Number(p.hour) % 24,
    minute: Number(p.minute),
  };
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** `YYYY-MM-DD` of an instant in a zone. */
export function localDateOf(instant: Date, timeZone: string): string {
  const p = zonedParts(instant, timeZone);
  return `${pad(p.year, 4)}-${pad(p.month)}-${pad(p.day)}`;
}

/** Minutes since local midnight of an instant in a zone. */
export function minuteOfDay(instant: Date, timeZone: string): number {
  const p = zonedParts(instant, timeZone);
  return p.hour * 60 + p.minute;
}

/** `480` → `08:00`. */
export function hhmm(minutes: number): string {
  return `${pad(Math.floor(minutes / 60))}:${pad(minutes % 60)}`;
}

/** UTC offset of a zone at an instant, in minutes (Asia/Shanghai: +480). */
export function offsetMinutes(instant: Date, timeZone: string): number {
  const p = zonedParts(instant, timeZone);
  const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute);
  return Math.round((asUtc - Math.floor(instant.getTime() / MINUTE) * MINUTE) / MINUTE);
}

export function isLocalDate(text: string | null | undefined): text is string {
  if (!text || !/^\d{4}-\d{2}-\d{2}$/.test(text)) return false;
  const d = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(text);
}

/** A local date plus whole days (calendar arithmetic, no zone involved). */
export function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** ISO weekday of a local date: Monday 1 … Sunday 7. */
export function isoWeekday(date: string): number {
  const day = new Date(`${date}T00:00:00Z`).getUTCDay();
  return day === 0 ? 7 : day;
}

/** The Monday on or before a local date. */
export function mondayOf(date: string): string {
  return addDays(date, 1 - isoWeekday(date));
}

/**
 * The instant at which the wall clock in `timeZone` reads `date` + `minutes` (minutes may run past
 * midnight: 1440 is the next day's 00:00). Null for a wall-clock time that does not exist (the hour
 * skipped when clocks go forward); of a repeated hour (clocks go back) the first one.
 */
export function zonedTimeToUtc(date: string, minutes: number, timeZone: string): Date | null {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const wanted = Date.UTC(y, m - 1, d, 0, minutes);
  // The offset can only be one of the offsets in force a day around the wanted reading.
  const candidates = new Set([
    offsetMinutes(new Date(wanted - 24 * 60 * MINUTE), timeZone),
    offsetMinutes(new Date(wanted), timeZone),
    offsetMinutes(new Date(wanted + 24 * 60 * MINUTE), timeZone),
  ]);
  const hits = [...candidates]
    .map((offset) => wanted - offset * MINUTE)
    .filter((t) => offsetMinutes(new Date(t), timeZone) * MINUTE === wanted - t)
    .sort((a, b) => a - b);
  return hits.length > 0 ? new Date(hits[0]!) : null;
}

/** The browser's own zone, or null when it cannot tell. */
export function browserTimeZone(): string | null {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || null;
  } catch {
    return null;
  }
}

const timeFormatters = new Map<string, Intl.DateTimeFormat>();

/**
 * An instant as the people of a zone read it, in the page's language: "11月30日 周一 09:00" /
 * "Mon 30 Nov, 09:00". `withZone` adds the zone's short name ("GMT+8", "CET").
 */
export function formatInstant(
  iso: string,
  timeZone: string,
  locale: string,
  style: 'datetime' | 'time' | 'date' = 'datetime',
  withZone = false,
): string {
  const key = `${locale}|${timeZone}|${style}|${withZone}`;
  let f = timeFormatters.get(key);
  if (!f) {
    const lang = locale === 'en' ? 'en-GB' : 'zh-CN';
    const date: Intl.DateTimeFormatOptions = { month: 'short', day: 'numeric', weekday: 'short' };
    const time: Intl.DateTimeFormatOptions = { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' };
    f = new Intl.DateTimeFormat(lang, {
      timeZone,
      ...(style !== 'time' ? date : {}),
      ...(style !== 'date' ? time : {}),
      ...(style === 'datetime' ? { year: 'numeric' } : {}),
      ...(withZone ? { timeZoneName: 'short' } : {}),
    });
    timeFormatters.set(key, f);
  }
  return f.format(new Date(iso));
}

/** "09:00–11:00" in a zone; the end date is named when it falls on another day. */
export function formatRange(startIso: string, endIso: string, timeZone: string, locale: string): string {
  const sameDay = localDateOf(new Date(startIso), timeZone) === localDateOf(new Date(endIso), timeZone);
  const start = formatInstant(startIso, timeZone, locale, 'datetime');
  const end = formatInstant(endIso, timeZone, locale, sameDay ? 'time' : 'datetime');
  return `${start} – ${end}`;
}
