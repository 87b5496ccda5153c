/**
 * Wall-clock time in an IANA zone with nothing but Intl: the week calendar, the lab console and
 * every page show an instant in the zone of the lab's site (opening hours and slot grids are
 * wall-clock there), whatever zone the server or the browser runs in.
 * Local dates are `YYYY-MM-DD` strings, never Date objects; times of day are minutes since local
 * midnight.
 *
 * One rule for the daylight-saving edges, the API's (Luxon's): a wall time the clocks skip moves
 * forward by the size of the jump (Berlin 2026-03-29 02:30 → 03:30 CEST); a wall time that happens
 * twice is its first occurrence.
 */

import { plainBrowserZone, plainInstant, plainWall } from '$lib/plain-format';

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const HHMM = /^([01]\d|2[0-4]):([0-5]\d)$/;
const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

const partFormatters = new Map<string, Intl.DateTimeFormat>();

function partsFormatter(timeZone: string): Intl.DateTimeFormat {
  let f = partFormatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    });
    partFormatters.set(timeZone, f);
  }
  return f;
}

interface WallFields {
  readonly y: number;
  readonly mo: number;
  readonly d: number;
  readonly h: number;
  readonly mi: number;
  readonly s: number;
}

/**
 * The wall clock of instants already read, per zone. formatToParts is the costly step of every
 * calculation here, and the week calendar reads the same instants again and again (each slot's
 * date and minute, on every request for the same week), so the answer — fixed for an instant and a
 * zone — is kept, up to a bound.
 */
const wallMemo = new Map<string, Map<number, WallFields>>();
const WALL_MEMO_LIMIT = 50_000;

function wallFields(instant: Date, timeZone: string): WallFields {
  const at = instant.getTime();
  let known = wallMemo.get(timeZone);
  const hit = known?.get(at);
  if (hit) return hit;
  // UTC, Shanghai and the browser's own zone without Intl (lib/plain-format.ts).
  const plain = plainWall(at, timeZone);
  if (plain) return plain;
  const p: Record<string, number> = {};
  for (const part of partsFormatter(timeZone).formatToParts(instant)) {
    if (part.type !== 'literal') p[part.type] = Number(part.value);
  }
  const fields = { y: p.year!, mo: p.month!, d: p.day!, h: p.hour! % 24, mi: p.minute!, s: p.second! };
  if (!known) wallMemo.set(timeZone, (known = new Map()));
  if (known.size >= WALL_MEMO_LIMIT) known.clear();
  known.set(at, fields);
  return fields;
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

export interface WallClock {
  /** Local calendar date, `YYYY-MM-DD`. */
  date: string;
  /** Minutes since local midnight, 0–1439. */
  minutes: number;
}

/** The local date and time of day of an instant in a zone. */
export function wallClock(instant: Date, timeZone: string): WallClock {
  const f = wallFields(instant, timeZone);
  return { date: `${pad(f.y, 4)}-${pad(f.mo)}-${pad(f.d)}`, minutes: f.h * 60 + f.mi };
}

/** `YYYY-MM-DD` of an instant in a zone. */
export function localDateOf(instant: Date, timeZone: string): string {
  return wallClock(instant, timeZone).date;
}

/** Minutes since local midnight of an instant in a zone. */
export function minuteOfDay(instant: Date, timeZone: string): number {
  return wallClock(instant, timeZone).minutes;
}

/** Today's date in a zone. */
export function todayIn(timeZone: string, now: Date): string {
  return localDateOf(now, timeZone);
}

/** The zone's offset from UTC at an instant, in minutes (Asia/Shanghai: 480). */
export function offsetMinutes(instant: Date, timeZone: string): number {
  const f = wallFields(instant, timeZone);
  const asUtc = Date.UTC(f.y, f.mo - 1, f.d, f.h, f.mi, f.s);
  return Math.round((asUtc - Math.floor(instant.getTime() / 1000) * 1000) / MINUTE);
}

/**
 * The instant at which the wall clock in `timeZone` reads `date` + `minutes` (minutes may run past
 * midnight: 1440 is the next day's 00:00). A time skipped by a daylight-saving jump moves forward
 * by the jump; a time that happens twice resolves to its first occurrence.
 */
export function zonedInstant(date: string, minutes: number, timeZone: string): Date {
  const { y, m, d } = dateFields(date);
  const asUtc = Date.UTC(y, m - 1, d, 0, minutes);
  // The zone's offsets a day either side cover both sides of any daylight-saving change nearby.
  const candidates = [...new Set([asUtc - DAY, asUtc + DAY].map((t) => offsetMinutes(new Date(t), timeZone)))].map(
    (offset) => asUtc - offset * MINUTE,
  );
  const wanted = wallClock(new Date(asUtc), 'UTC');
  const exact = candidates.filter((t) => {
    const w = wallClock(new Date(t), timeZone);
    return w.date === wanted.date && w.minutes === wanted.minutes;
  });
  // A repeated hour: its first occurrence. A skipped time: read with the offset before the jump,
  // which lands as far past the jump as the time was past its start.
  return new Date(exact.length > 0 ? Math.min(...exact) : Math.max(...candidates));
}

function dateFields(date: string): { y: number; m: number; d: number } {
  const match = DATE.exec(date);
  if (!match) throw new RangeError(`not a date: ${date}`);
  return { y: Number(match[1]), m: Number(match[2]), d: Number(match[3]) };
}

/** A real calendar date written `YYYY-MM-DD` (2026-02-30 is not). */
export function isIsoDate(value: string | null | undefined): value is string {
  if (!value || !DATE.test(value)) return false;
  const { y, m, d } = dateFields(value);
  const back = new Date(Date.UTC(y, m - 1, d));
  return back.getUTCFullYear() === y && back.getUTCMonth() === m - 1 && back.getUTCDate() === d;
}

/** A local date plus whole days (calendar arithmetic, no zone involved). */
export function addDays(date: string, days: number): string {
  const { y, m, d } = dateFields(date);
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

/** ISO weekday of a local date: 1 = Monday … 7 = Sunday. */
export function isoWeekday(date: string): number {
  const { y, m, d } = dateFields(date);
  const js = new Date(Date.UTC(y, m - 1, d)).getUTCDay();
  return js === 0 ? 7 : js;
}

/** The Monday of the week a date falls in (weeks run Monday to Sunday in China). */
export function mondayOf(date: string): string {
  return addDays(date, 1 - isoWeekday(date));
}

/** "08:30" → 510; "24:00" → 1440; anything else → null. */
export function parseHhmm(text: string | null | undefined): number | null {
  const match = HHMM.exec((text ?? '').trim());
  if (!match) return null;
  const minutes = Number(match[1]) * 60 + Number(match[2]);
  return minutes > 1440 ? null : minutes;
}

/** 510 → "08:30". */
export function formatHhmm(minutes: number): string {
  return `${pad(Math.floor(minutes / 60))}:${pad(minutes % 60)}`;
}

/**
 * The value of an `<input type="datetime-local">` ("2026-12-01T09:30") read as wall-clock time in
 * the lab's zone → the instant; null when it is not such a value.
 */
export function parseLocalDateTime(text: string | null | undefined, timeZone: string): Date | null {
  const match = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})(?::\d{2})?$/.exec((text ?? '').trim());
  if (!match || !isIsoDate(match[1])) return null;
  const minutes = parseHhmm(match[2]);
  if (minutes === null || minutes >= 1440) return null;
  return zonedInstant(match[1]!, minutes, timeZone);
}

/** An instant → the `datetime-local` value showing it in the lab's zone. */
export function toLocalDateTime(instant: Date, timeZone: string): string {
  const w = wallClock(instant, timeZone);
  return `${w.date}T${formatHhmm(w.minutes)}`;
}

/** The browser's own zone, or null when it cannot tell. */
export function browserTimeZone(): string | null {
  // Temporal names it at no cost; Intl's first DateTimeFormat loads its data (a long task on a phone).
  const plain = plainBrowserZone();
  if (plain) return plain;
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
  if (!withZone) {
    const plain = plainInstant(iso, timeZone, locale, style);
    if (plain !== null) return plain;
  }
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
