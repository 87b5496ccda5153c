/**
 * Events and training: seats wording, grouping a calendar by month in China time, and the
 * outcome of a registration (a seat or a place on the waitlist).
 */
import { localDate } from '$lib/calibration/calibration';

export const EVENT_KINDS = ['course', 'standards_day', 'open_day', 'seminar'] as const;
export type EventKind = (typeof EVENT_KINDS)[number];

export function isEventKind(value: unknown): value is EventKind {
  return typeof value === 'string' && (EVENT_KINDS as readonly string[]).includes(value);
}

export const EVENT_ZONE = 'Asia/Shanghai';

/** The month an instant falls in, in China: `YYYY-MM`. */
export function monthKey(instant: string | Date, timeZone = EVENT_ZONE): string {
  return localDate(typeof instant === 'string' ? new Date(instant) : instant, timeZone).slice(0, 7);
}

export interface MonthGroup<T> {
  /** `YYYY-MM`. */
  month: string;
  items: T[];
}

/**
 * Items grouped by the China month of their start, months in order, items by start within a month.
 * An item without a start goes last, under the month key ''.
 */
export function groupByMonth<T>(
  items: readonly T[],
  startOf: (item: T) => string | null | undefined,
  timeZone = EVENT_ZONE,
): MonthGroup<T>[] {
  const sorted = [...items].sort((a, b) => {
    const sa = startOf(a);
    const sb = startOf(b);
    if (!sa || !sb) return sa ? -1 : sb ? 1 : 0;
    return Date.parse(sa) - Date.parse(sb);
  });
  const groups: MonthGroup<T>[] = [];
  for (const item of sorted) {
    const start = startOf(item);
    const month = start ? monthKey(start, timeZone) : '';
    const last = groups[groups.length - 1];
    if (last && last.month === month) last.items.push(item);
    else groups.push({ month, items: [item] });
  }
  return groups;
}

/** "2027-05" → "2027年5月" / "May 2027". */
export function monthHeading(month: string, locale: string): string {
  const m = /^(\d{4})-(\d{2})$/.exec(month);
  if (!m) return month;
  const d = new Date(Date.UTC(+m[1]!, +m[2]! - 1, 1));
  return new Intl.DateTimeFormat(locale === 'en' ? 'en-GB' : 'zh-CN', {
    year: 'numeric',
    month: 'long',
    timeZone: 'UTC',
  }).format(d);
}

export type SeatsWording =
  { key: 'seatsLeft'; count: number } | { key: 'fewSeatsLeft'; count: number } | { key: 'full'; count: 0 };

/** Seats left in a session, as words: "12 seats left", "only 2 seats left", "full — join the waitlist". */
export function seatsWording(seats: number, taken: number, fewAt = 3): SeatsWording {
  const left = Math.max(0, seats - taken);
  if (left === 0) return { key: 'full', count: 0 };
  if (left <= fewAt) return { key: 'fewSeatsLeft', count: left };
  return { key: 'seatsLeft', count: left };
}

/** After registering: a seat, or a place on the waitlist (the API's registration status says which). */
export function registrationOutcome(status: string): 'registered' | 'waitlisted' | 'other' {
  if (status === 'registered' || status === 'attended') return 'registered';
  if (status === 'waitlisted') return 'waitlisted';
  return 'other';
}

/** A session's time in China: "2027年5月1日 09:00–12:00"-style parts for the page to format. */
export function sessionParts(startsAt: string, endsAt: string, timeZone = EVENT_ZONE) {
  const s = new Date(startsAt);
  const e = new Date(endsAt);
  const hm = (d: Date) =>
    new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(d);
  return {
    startDate: localDate(s, timeZone),
    endDate: localDate(e, timeZone),
    startTime: hm(s),
    endTime: hm(e),
  };
}

/** Attendance can be marked once the session has started. */
export function canMarkAttendance(startsAt: string, now: Date): boolean {
  return Date.parse(startsAt) <= now.getTime();
}

/** The first session that has not ended yet (sessions in any order), or null. */
export function nextSession<S extends { startsAt: string; endsAt: string }>(
  sessions: readonly S[],
  now: Date,
): S | null {
  let best: S | null = null;
  for (const s of sessions) {
    if (Date.parse(s.endsAt) <= now.getTime()) continue;
    if (!best || Date.parse(s.startsAt) < Date.parse(best.startsAt)) best = s;
  }
  return best;
}

/** Registrations still worth showing under "my registrations": a seat or a waitlist place in a session to come. */
export function activeRegistrations<R extends { status: string; session: { endsAt: string; startsAt: string } }>(
  items: readonly R[],
  now: Date,
): R[] {
  return items
    .filter(
      (r) => (r.status === 'registered' || r.status === 'waitlisted') && Date.parse(r.session.endsAt) > now.getTime(),
    )
    .sort((a, b) => Date.parse(a.session.startsAt) - Date.parse(b.session.startsAt));
}
