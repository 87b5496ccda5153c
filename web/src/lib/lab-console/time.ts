/**
 * Wall-clock time in a lab's IANA zone, with nothing but Intl: the console shows every instant in
 * the zone of the lab's site, whatever zone the browser or the server runs in.
 * Dates are local calendar dates as `YYYY-MM-DD`; times of day are minutes since local midnight.
 */

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

export function isTimeZone(timeZone: string): boolean {
  try {
    partsFormatter(timeZone);
    return true;
  } catch {
    return false;
  }
}

export interface WallClock {
  /** Local calendar date, `YYYY-MM-DD`. */
  date: string;
  /** Minutes since local midnight, 0–1439. */
  minutes: number;
}

function wallFields(instant: Date, timeZone: string) {
  const p: Record<string, number> = {};
  for (const part of partsFormatter(timeZone).formatToParts(instant)) {
    if (part.type !== 'literal') p[part.type] = Number(part.value);
  }
  return { y: p.year!, mo: p.month!, d: p.day!, h: p.hour! % 24, mi: p.minute!, s: p.second! };
}

/** The local date and time of day of an instant in a zone. */
export function wallClock(instant: Date, timeZone: string): WallClock {
  const f = wallFields(instant, timeZone);
  return { date: `${f.y}-${pad(f.mo)}-${pad(f.d)}`, minutes: f.h * 60 + f.mi };
}

/** The zone's offset from UTC at an instant, in minutes (Asia/Shanghai: 480). */
export function offsetMinutes(instant: Date, timeZone: string): number {
  const f = wallFields(instant, timeZone);
  const asUtc = Date.UTC(f.y, f.mo - 1, f.d, f.h, f.mi, f.s);
  return Math.round((asUtc - Math.floor(instant.getTime() / 1000) * 1000) / MINUTE);
}

/**
 * The instant of a local date and time of day in a zone. `minutes` may be 1440 (the next
 * midnight). A time skipped by a daylight-saving jump resolves to the instant after the jump; a
 * time that happens twice resolves to its first occurrence.
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
  // A repeated hour: its first occurrence. A skipped time: the instant after the jump.
  return new Date(exact.length > 0 ? Math.min(...exact) : Math.max(...candidates));
}

function dateFields(date: string): { y: number; m: number; d: number } {
  const match = DATE.exec(date);
  if (!match) throw new RangeError(`not a date: ${date}`);
  return { y: Number(match[1]), m: Number(match[2]), d: Number(match[3]) };
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

/** A real calendar date written `YYYY-MM-DD` (2026-02-30 is not). */
export function isIsoDate(value: string | null | undefined): value is string {
  if (!value || !DATE.test(value)) return false;
  const { y, m, d } = dateFields(value);
  const back = new Date(Date.UTC(y, m - 1, d));
  return back.getUTCFullYear() === y && back.getUTCMonth() === m - 1 && back.getUTCDate() === d;
}

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

export function daysBetween(from: string, to: string): number {
  const a = dateFields(from);
  const b = dateFields(to);
  return Math.round((Date.UTC(b.y, b.m - 1, b.d) - Date.UTC(a.y, a.m - 1, a.d)) / DAY);
}

/** Today's date in a zone. */
export function todayIn(timeZone: string, now: Date): string {
  return wallClock(now, timeZone).date;
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
