import {
  addDays,
  formatHhmm,
  isIsoDate,
  isoWeekday,
  localDateOf,
  minuteOfDay,
  mondayOf,
  zonedInstant,
} from '$lib/time';

/** A free slot as the availability endpoint answers it (UTC instants). */
export interface FreeSlot {
  start: string;
  end: string;
  unitsFree: number;
}

/** Time inside opening hours that no unit has free (when the API says so). */
export interface BusyRange {
  start: string;
  end: string;
}

/**
 * What a cell of the week calendar is: a bookable start (`free`), time someone else holds and one
 * may wait for (`taken`), time still ahead but inside the policy's lead time (`soon`: open, just
 * too close to now), nothing to book (`closed`: outside opening hours, past, beyond the horizon),
 * or a wall-clock time that does not exist that day (`none`: skipped when clocks go forward).
 */
export type CellKind = 'free' | 'taken' | 'soon' | 'closed' | 'none';

export interface WeekCell {
  date: string;
  minute: number;
  kind: CellKind;
  /** The instant this cell starts at (UTC ISO), null for `none`. */
  start: string | null;
  /** Start plus the chosen duration (UTC ISO), null for `none`. */
  end: string | null;
  unitsFree: number;
}

export interface WeekGrid {
  weekStart: string;
  timeZone: string;
  days: { date: string; weekday: number }[];
  rows: { minute: number; label: string }[];
  /** cells[row][day] */
  cells: WeekCell[][];
  freeCount: number;
  takenCount: number;
}

const MINUTE = 60_000;
const DEFAULT_FIRST_MINUTE = 8 * 60;
const DEFAULT_LAST_MINUTE = 18 * 60;

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

/** The slot grid when the policy is not known: the largest step (≤ 60 min) all slot starts sit on. */
export function inferStepMinutes(slots: FreeSlot[], timeZone: string, fallback = 30): number {
  if (slots.length === 0) return fallback;
  let step = 60;
  for (const s of slots) step = gcd(step, minuteOfDay(new Date(s.start), timeZone));
  return step >= 5 ? step : fallback;
}

/** The instant a local day begins (midnight, or the first hour after a DST jump at midnight). */
export function startOfLocalDay(date: string, timeZone: string): Date {
  return zonedInstant(date, 0, timeZone);
}

/** The week to show: the Monday of `?week=` when it is a date, else the week of today at the site. */
export function resolveWeek(param: string | null | undefined, now: Date, timeZone: string): string {
  return mondayOf(isIsoDate(param) ? param : localDateOf(now, timeZone));
}

/** The UTC span of a Monday-to-Sunday week in the site's zone, for the availability query. */
export function weekSpan(weekStart: string, timeZone: string): { from: string; to: string } {
  return {
    from: startOfLocalDay(weekStart, timeZone).toISOString(),
    to: startOfLocalDay(addDays(weekStart, 7), timeZone).toISOString(),
  };
}

/** Durations a person can pick under a policy: every step up to 4 h, whole hours beyond. */
export function durationOptions(policy: { slotMinutes: number; minMinutes: number; maxMinutes: number } | null) {
  if (!policy) return [30, 60, 90, 120, 180, 240];
  const out: number[] = [];
  const step = Math.max(5, policy.slotMinutes);
  const first = Math.ceil(policy.minMinutes / step) * step;
  for (let m = first; m <= policy.maxMinutes && out.length < 24; m += step) {
    if (m <= 240 || m % 60 === 0) out.push(m);
  }
  return out.length > 0 ? out : [policy.minMinutes];
}

/** The duration in the URL when it is one of the options, else the first option of at least an hour. */
export function pickDuration(param: string | null | undefined, options: number[]): number {
  const asked = Number(param);
  if (options.includes(asked)) return asked;
  return options.find((m) => m >= 60) ?? options[0]!;
}

/**
 * Without busy ranges from the API, a cell that is not free counts as taken when it lies between
 * free starts of its day (a booking in the middle), or between the week's first free start and
 * the day's first one while the day ends as the week does (a booking at the start of a normal
 * day), and likewise at the end. A day that is shorter at both ends (a Saturday morning) is read
 * as shorter opening hours, not as bookings.
 */
function inferredTaken(
  day: { from: number; to: number } | undefined,
  minute: number,
  weekFrom: number,
  weekTo: number,
) {
  if (!day) return false;
  if (minute >= day.from && minute <= day.to) return true;
  if (minute < day.from) return day.to === weekTo && minute >= weekFrom;
  return day.from === weekFrom && minute <= weekTo;
}

export interface WeekGridInput {
  weekStart: string;
  timeZone: string;
  slots: FreeSlot[];
  durationMinutes: number;
  stepMinutes: number;
  /** When the API names busy time precisely; otherwise taken time is inferred from the gaps. */
  busy?: BusyRange[] | null;
  /** Nothing before this instant is bookable or worth waiting for (now + the policy's lead time). */
  notBefore?: Date | null;
  /** The present: cells between it and `notBefore` are `soon`, earlier ones `closed` (past). */
  now?: Date | null;
}

/**
 * The week calendar: Monday-to-Sunday columns of local dates in the site's zone, rows of
 * wall-clock start times on the slot grid (hours framed by the opening times in the data), each
 * cell free, taken, closed or non-existent. Slots are placed by their local reading, so a week with
 * a DST change keeps 09:00 in the 09:00 row on both sides of it.
 */
export function buildWeekGrid(input: WeekGridInput): WeekGrid {
  const { weekStart, timeZone, durationMinutes } = input;
  const step = Math.max(5, input.stepMinutes);
  const days = Array.from({ length: 7 }, (_, i) => {
    const date = addDays(weekStart, i);
    return { date, weekday: isoWeekday(date) };
  });
  const inWeek = new Set(days.map((d) => d.date));

  // Free starts by their local date and minute; the first wins when a repeated hour reads the same.
  const free = new Map<string, FreeSlot>();
  let first = Number.POSITIVE_INFINITY;
  let last = Number.NEGATIVE_INFINITY;
  let openFrom = Number.POSITIVE_INFINITY;
  let openTo = Number.NEGATIVE_INFINITY;
  /** First and last free start per local date. */
  const dayFree = new Map<string, { from: number; to: number }>();
  let earliestFree = Number.POSITIVE_INFINITY;
  for (const slot of input.slots) {
    const at = new Date(slot.start);
    const date = localDateOf(at, timeZone);
    if (!inWeek.has(date)) continue;
    const minute = minuteOfDay(at, timeZone);
    const key = `${date}|${minute}`;
    if (!free.has(key)) free.set(key, slot);
    const span = dayFree.get(date);
    dayFree.set(
      date,
      span ? { from: Math.min(span.from, minute), to: Math.max(span.to, minute) } : { from: minute, to: minute },
    );
    earliestFree = Math.min(earliestFree, at.getTime());
    openFrom = Math.min(openFrom, minute);
    openTo = Math.max(openTo, minute);
    first = Math.min(first, Math.floor(minute / 60) * 60);
    last = Math.max(last, Math.min(24 * 60, Math.ceil((minute + step) / 60) * 60));
  }
  const busy = (input.busy ?? []).map((b) => ({ start: Date.parse(b.start), end: Date.parse(b.end) }));
  for (const b of busy) {
    const s = new Date(b.start);
    if (!inWeek.has(localDateOf(s, timeZone))) continue;
    first = Math.min(first, Math.floor(minuteOfDay(s, timeZone) / 60) * 60);
    last = Math.max(last, first + 60);
  }
  // An empty week still shows a working day's frame.
  if (first > last) {
    first = DEFAULT_FIRST_MINUTE;
    last = DEFAULT_LAST_MINUTE;
  }
  const notBefore = input.notBefore?.getTime() ?? (input.busy ? Number.NEGATIVE_INFINITY : earliestFree);

  const rows: WeekGrid['rows'] = [];
  for (let m = first; m < last; m += step) rows.push({ minute: m, label: formatHhmm(m) });

  let freeCount = 0;
  let takenCount = 0;
  const cells = rows.map((row) =>
    days.map(({ date }): WeekCell => {
      const at = zonedInstant(date, row.minute, timeZone);
      // A time the clocks skip, or one that reads as another day's (never on a whole-minute grid).
      if (localDateOf(at, timeZone) !== date || minuteOfDay(at, timeZone) !== row.minute) {
        return { date, minute: row.minute, kind: 'none', start: null, end: null, unitsFree: 0 };
      }
      const start = at.toISOString();
      const endMs = at.getTime() + durationMinutes * MINUTE;
      const end = new Date(endMs).toISOString();
      const slot = free.get(`${date}|${row.minute}`);
      if (slot) {
        freeCount++;
        return { date, minute: row.minute, kind: 'free', start: slot.start, end: slot.end, unitsFree: slot.unitsFree };
      }
      let taken = false;
      if (at.getTime() >= notBefore) {
        if (input.busy) {
          taken = busy.some((b) => b.start < endMs && at.getTime() < b.end);
        } else {
          // Without the API's busy ranges: a gap among the week's opening times on a day the lab
          // is open is someone else's booking.
          taken = inferredTaken(dayFree.get(date), row.minute, openFrom, openTo);
        }
      }
      if (taken) takenCount++;
      const soon =
        !taken &&
        !!input.notBefore &&
        at.getTime() < notBefore &&
        at.getTime() >= (input.now?.getTime() ?? Number.NEGATIVE_INFINITY);
      return { date, minute: row.minute, kind: taken ? 'taken' : soon ? 'soon' : 'closed', start, end, unitsFree: 0 };
    }),
  );
  return { weekStart, timeZone, days, rows, cells, freeCount, takenCount };
}

/** How many free starts each day of the grid has (the phone's day picker says so under each day). */
export function freeByDay(grid: WeekGrid): Map<string, number> {
  const counts = new Map(grid.days.map((d) => [d.date, 0]));
  for (const row of grid.cells) {
    for (const cell of row) if (cell.kind === 'free') counts.set(cell.date, (counts.get(cell.date) ?? 0) + 1);
  }
  return counts;
}

/**
 * The day a phone shows of the week, one column at a time: the first wish that falls in this week
 * (the day the visitor picked, the chosen slot's day, today), else the first day with free time,
 * else Monday.
 */
export function dayToShow(grid: WeekGrid, wishes: (string | null | undefined)[]): string {
  const inWeek = new Set(grid.days.map((d) => d.date));
  const wished = wishes.find((d): d is string => !!d && inWeek.has(d));
  if (wished) return wished;
  const counts = freeByDay(grid);
  return grid.days.find((d) => (counts.get(d.date) ?? 0) > 0)?.date ?? grid.days[0]!.date;
}

/**
 * The cells a chosen booking covers, as `date|minute` keys: every cell of the grid whose start lies
 * in [start, end) — so a chosen 2-hour slot lights up its whole span, not only its first row.
 */
export function chosenCells(grid: WeekGrid, start: string | null, end: string | null): Set<string> {
  const out = new Set<string>();
  const from = start ? Date.parse(start) : NaN;
  const to = end ? Date.parse(end) : NaN;
  if (!(from < to)) return out;
  for (const row of grid.cells) {
    for (const cell of row) {
      const at = cell.start ? Date.parse(cell.start) : NaN;
      if (at >= from && at < to) out.add(`${cell.date}|${cell.minute}`);
    }
  }
  return out;
}
