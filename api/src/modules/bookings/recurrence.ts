import { DateTime } from 'luxon';
import { FIRST_YEAR, LAST_YEAR, withinYears } from '../../lib/time.ts';

/**
 * Recurring bookings: a small, pure subset of RFC 5545 RRULE (FREQ=DAILY|WEEKLY, INTERVAL, BYDAY,
 * COUNT, UNTIL) expanded in the site's wall-clock time, so "Tuesdays 09:00" stays 09:00 local
 * across a daylight-saving change.
 *
 * Local times that do not exist or exist twice are resolved as RFC 5545 §3.3.5 says:
 * - a time in the spring-forward gap (e.g. 02:30 on the night clocks jump from 02:00 to 03:00) is
 *   read with the UTC offset before the gap, i.e. it moves forward by the gap (02:30 → 03:30);
 * - a time in the autumn overlap (01:30 happens twice) is the FIRST of the two instants.
 */

export const MAX_OCCURRENCES = 52;

const WEEKDAYS = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

export interface RecurrenceRule {
  freq: 'DAILY' | 'WEEKLY';
  interval: number;
  /** ISO weekdays 1 = Monday … 7 = Sunday, sorted; empty = every day (DAILY) / DTSTART's day (WEEKLY). */
  byDay: number[];
  count: number | null;
  /** Inclusive upper bound on an occurrence's start. */
  until: Date | null;
}

export interface Occurrence {
  /** Wall-clock start as asked for, e.g. 2027-03-16T09:00. */
  local: string;
  start: Date;
  end: Date;
}

export class RecurrenceError extends Error {
  constructor(
    readonly code: 'invalid_rule' | 'series_too_long',
    message: string,
  ) {
    super(message);
    this.name = 'RecurrenceError';
  }
}

const LOCAL_RE = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/;

interface Wall {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
}

export function parseLocal(text: string): Wall {
  const m = LOCAL_RE.exec(text);
  if (!m) throw new RecurrenceError('invalid_rule', 'localStart must look like 2026-12-01T09:00.');
  const [year, month, day, hour, minute] = m.slice(1).map(Number) as [number, number, number, number, number];
  const check = DateTime.fromObject({ year, month, day, hour, minute }, { zone: 'UTC' });
  if (!check.isValid || check.day !== day || hour > 23 || minute > 59) {
    throw new RecurrenceError('invalid_rule', `${text} is not a valid local date and time.`);
  }
  // The years every instant in a request keeps to (lib/time.ts): a series in 9999 is a typo.
  if (!withinYears(text)) {
    throw new RecurrenceError('invalid_rule', `${text} is outside ${FIRST_YEAR}–${LAST_YEAR}.`);
  }
  return { year, month, day, hour, minute };
}

/**
 * The instant a wall-clock time denotes in a zone, deterministically (see the file comment):
 * of the offsets in force around it, the earliest instant that reads back as this wall time; in a
 * gap, the offset before the gap.
 */
export function localToInstant(wall: Wall, timeZone: string): Date {
  const asUtc = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute);
  const offsetAt = (ms: number) => DateTime.fromMillis(ms, { zone: timeZone }).offset; // minutes
  const before = offsetAt(asUtc - 36 * 3_600_000);
  const after = offsetAt(asUtc + 36 * 3_600_000);
  const candidates = [...new Set([before, after])]
    .map((offset) => asUtc - offset * 60_000)
    .filter((ms) => {
      const d = DateTime.fromMillis(ms, { zone: timeZone });
      return (
        d.year === wall.year &&
        d.month === wall.month &&
        d.day === wall.day &&
        d.hour === wall.hour &&
        d.minute === wall.minute
      );
    })
    .sort((a, b) => a - b);
  return new Date(candidates[0] ?? asUtc - before * 60_000);
}

function parseUntil(value: string, timeZone: string): Date {
  let m = /^(\d{4})(\d{2})(\d{2})$/.exec(value);
  if (m) {
    // A date: the whole local day is included.
    const [y, mo, d] = m.slice(1).map(Number) as [number, number, number];
    const next = DateTime.fromObject({ year: y, month: mo, day: d }, { zone: 'UTC' }).plus({ days: 1 });
    if (!next.isValid) throw new RecurrenceError('invalid_rule', `UNTIL=${value} is not a date.`);
    const start = localToInstant({ year: next.year, month: next.month, day: next.day, hour: 0, minute: 0 }, timeZone);
    return new Date(start.getTime() - 1);
  }
  m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})(Z?)$/.exec(value);
  if (!m) throw new RecurrenceError('invalid_rule', `UNTIL=${value} must be YYYYMMDD or YYYYMMDDTHHMMSS[Z].`);
  const [y, mo, d, h, mi, s] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  if (m[7] === 'Z') return new Date(Date.UTC(y, mo - 1, d, h, mi, s));
  return new Date(localToInstant({ year: y, month: mo, day: d, hour: h, minute: mi }, timeZone).getTime() + s * 1000);
}

/** Parses the supported RRULE subset; anything else is `invalid_rule`. */
export function parseRule(text: string, timeZone: string): RecurrenceRule {
  const parts = text
    .trim()
    .replace(/^RRULE:/i, '')
    .split(';')
    .filter(Boolean);
  const seen = new Map<string, string>();
  for (const part of parts) {
    const [key, value, ...rest] = part.split('=');
    if (!key || value === undefined || rest.length > 0 || value === '') {
      throw new RecurrenceError('invalid_rule', `"${part}" is not KEY=VALUE.`);
    }
    const k = key.toUpperCase();
    if (seen.has(k)) throw new RecurrenceError('invalid_rule', `${k} appears twice.`);
    seen.set(k, value.toUpperCase());
  }
  for (const k of seen.keys()) {
    if (!['FREQ', 'INTERVAL', 'BYDAY', 'COUNT', 'UNTIL'].includes(k)) {
      throw new RecurrenceError('invalid_rule', `${k} is not supported (FREQ, INTERVAL, BYDAY, COUNT, UNTIL).`);
    }
  }
  const freq = seen.get('FREQ');
  if (freq !== 'DAILY' && freq !== 'WEEKLY') throw new RecurrenceError('invalid_rule', 'FREQ must be DAILY or WEEKLY.');
  const positive = (k: string) => {
    const v = seen.get(k);
    if (v === undefined) return null;
    if (!/^\d{1,4}$/.test(v) || Number(v) < 1)
      throw new RecurrenceError('invalid_rule', `${k} must be a positive integer.`);
    return Number(v);
  };
  const interval = positive('INTERVAL') ?? 1;
  const count = positive('COUNT');
  const untilText = seen.get('UNTIL');
  const until = untilText === undefined ? null : parseUntil(untilText, timeZone);
  if (count !== null && until !== null) throw new RecurrenceError('invalid_rule', 'Use COUNT or UNTIL, not both.');
  if (count === null && until === null) {
    throw new RecurrenceError(
      'invalid_rule',
      `A series needs COUNT or UNTIL (at most ${MAX_OCCURRENCES} occurrences).`,
    );
  }
  if (count !== null && count > MAX_OCCURRENCES) {
    throw new RecurrenceError('series_too_long', `A series has at most ${MAX_OCCURRENCES} occurrences.`);
  }
  const byDayText = seen.get('BYDAY');
  const byDay =
    byDayText === undefined
      ? []
      : [
          ...new Set(
            byDayText.split(',').map((d) => {
              const i = WEEKDAYS.indexOf(d as Weekday);
              if (i < 0) throw new RecurrenceError('invalid_rule', `BYDAY=${d} is not one of ${WEEKDAYS.join(',')}.`);
              return i + 1;
            }),
          ),
        ].sort((a, b) => a - b);
  return { freq, interval, byDay, count, until };
}

/**
 * Expands a rule from a wall-clock first start: every matching local day at the same local time,
 * from the first start on, strictly increasing, until COUNT or UNTIL. More than MAX_OCCURRENCES is
 * `series_too_long`. The first start counts only if it matches the rule (as rrule libraries do).
 */
export function expand(input: {
  localStart: string;
  rule: string | RecurrenceRule;
  durationMinutes: number;
  timeZone: string;
}): Occurrence[] {
  const wall = parseLocal(input.localStart);
  const rule = typeof input.rule === 'string' ? parseRule(input.rule, input.timeZone) : input.rule;
  const first = DateTime.fromObject({ year: wall.year, month: wall.month, day: wall.day }, { zone: 'UTC' });
  const days = rule.byDay.length > 0 ? rule.byDay : rule.freq === 'WEEKLY' ? [first.weekday] : [1, 2, 3, 4, 5, 6, 7];
  const out: Occurrence[] = [];
  const firstInstant = localToInstant(wall, input.timeZone);
  // Walk calendar days (as plain dates, no zone arithmetic); a period is one day or one ISO week.
  const periodStart = rule.freq === 'WEEKLY' ? first.startOf('week') : first;
  const limitDays = 366 * 10;
  for (let offset = 0; offset < limitDays; offset++) {
    const date = periodStart.plus({ days: offset });
    const period = rule.freq === 'WEEKLY' ? Math.floor(offset / 7) : offset;
    if (period % rule.interval !== 0) continue;
    if (!days.includes(date.weekday)) continue;
    const local = { year: date.year, month: date.month, day: date.day, hour: wall.hour, minute: wall.minute };
    const start = localToInstant(local, input.timeZone);
    if (date < first || start < firstInstant) continue;
    if (rule.until && start > rule.until) break;
    if (rule.count !== null && out.length >= rule.count) break;
    if (out.length >= MAX_OCCURRENCES) {
      throw new RecurrenceError('series_too_long', `A series has at most ${MAX_OCCURRENCES} occurrences.`);
    }
    out.push({
      local: `${date.toFormat('yyyy-MM-dd')}T${input.localStart.slice(11)}`,
      start,
      end: new Date(start.getTime() + input.durationMinutes * 60_000),
    });
  }
  return out;
}
