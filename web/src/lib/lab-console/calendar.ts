import { addDays, isIsoDate, mondayOf, wallClock, zonedInstant } from '$lib/time';

/**
 * Layout of the lab's resource calendar: instruments are rows, the days of the range are columns,
 * and each column shows the same wall-clock hours of the lab's zone. Positions are percentages of
 * the row, so the page needs no script to draw it.
 */

export const CALENDAR_VIEWS = ['week', 'day'] as const;
export type CalendarView = (typeof CALENDAR_VIEWS)[number];

export interface CalendarRange {
  view: CalendarView;
  /** The first day shown (a Monday in week view). */
  date: string;
  days: string[];
  /** Local midnight of the first day and of the day after the last, as instants. */
  from: Date;
  to: Date;
  /** The `date` of the previous and the next range. */
  prev: string;
  next: string;
}

export function parseView(value: string | null | undefined): CalendarView {
  return (CALENDAR_VIEWS as readonly string[]).includes(value ?? '') ? (value as CalendarView) : 'week';
}

/** The week (Monday to Sunday) or the day around `anchor` (a local date; today when not a date). */
export function calendarRange(view: CalendarView, anchor: string | null | undefined, today: string, timeZone: string) {
  const day = isIsoDate(anchor) ? anchor : today;
  const first = view === 'week' ? mondayOf(day) : day;
  const length = view === 'week' ? 7 : 1;
  const days = Array.from({ length }, (_, i) => addDays(first, i));
  return {
    view,
    date: first,
    days,
    from: zonedInstant(first, 0, timeZone),
    to: zonedInstant(addDays(first, length), 0, timeZone),
    prev: addDays(first, -length),
    next: addDays(first, length),
  } satisfies CalendarRange;
}

export interface TimeSpan {
  /** ISO 8601 instants, as the API sends them, or Dates. */
  start: string | Date;
  end: string | Date;
}

/** Wall-clock hours shown in every day column: minutes since local midnight, whole hours. */
export interface HourWindow {
  startMin: number;
  endMin: number;
}

export const DEFAULT_WINDOW: HourWindow = { startMin: 8 * 60, endMin: 18 * 60 };

const ms = (t: string | Date) => (typeof t === 'string' ? Date.parse(t) : t.getTime());

/**
 * The hours to show: the default working day widened to every span's local times inside the range,
 * rounded out to whole hours; a span that runs over local midnight shows the whole day.
 */
export function hourWindow(
  spans: readonly TimeSpan[],
  range: Pick<CalendarRange, 'from' | 'to'>,
  timeZone: string,
  fallback: HourWindow = DEFAULT_WINDOW,
): HourWindow {
  let startMin = fallback.startMin;
  let endMin = fallback.endMin;
  for (const span of spans) {
    const start = Math.max(ms(span.start), range.from.getTime());
    const end = Math.min(ms(span.end), range.to.getTime());
    if (!(end > start)) continue;
    const a = wallClock(new Date(start), timeZone);
    const b = wallClock(new Date(end), timeZone);
    const endsAtMidnight = b.minutes === 0 && b.date > a.date;
    if (a.date !== b.date && !(endsAtMidnight && b.date === addDays(a.date, 1))) return { startMin: 0, endMin: 1440 };
    startMin = Math.min(startMin, a.minutes);
    endMin = Math.max(endMin, endsAtMidnight ? 1440 : b.minutes);
  }
  return { startMin: Math.floor(startMin / 60) * 60, endMin: Math.min(1440, Math.ceil(endMin / 60) * 60) };
}

export interface Placed<T> {
  item: T;
  /** Which day column the piece sits in. */
  dayIndex: number;
  /** Position and size as percentages of the whole row (all days). */
  leftPct: number;
  widthPct: number;
  /** Row lane for overlapping items (0 when lanes are not asked for). */
  lane: number;
  /** The item goes on before / after this piece (another day, or outside the shown hours). */
  continuesBefore: boolean;
  continuesAfter: boolean;
}

/**
 * Cuts spans into one piece per day column, clipped to the shown hours, and puts overlapping spans
 * in separate lanes (greedy interval partitioning, so the fewest lanes that fit). An item keeps its
 * lane on every day it touches. Pieces that fall wholly outside the shown hours are left out.
 */
export function placeSpans<T extends TimeSpan>(
  items: readonly T[],
  range: Pick<CalendarRange, 'days'>,
  window: HourWindow,
  timeZone: string,
  options: { lanes?: boolean } = {},
): { placed: Placed<T>[]; laneCount: number } {
  const sorted = [...items].sort((a, b) => ms(a.start) - ms(b.start) || ms(a.end) - ms(b.end));
  const lanes = new Map<T, number>();
  const laneEnds: number[] = [];
  if (options.lanes) {
    for (const item of sorted) {
      let lane = laneEnds.findIndex((end) => end <= ms(item.start));
      if (lane === -1) lane = laneEnds.length;
      laneEnds[lane] = ms(item.end);
      lanes.set(item, lane);
    }
  }
  const dayMinutes = window.endMin - window.startMin;
  const total = dayMinutes * range.days.length;
  const placed: Placed<T>[] = [];
  range.days.forEach((day, dayIndex) => {
    const dayStart = zonedInstant(day, window.startMin, timeZone).getTime();
    const dayEnd = zonedInstant(day, window.endMin, timeZone).getTime();
    for (const item of sorted) {
      const s = ms(item.start);
      const e = ms(item.end);
      const from = Math.max(s, dayStart);
      const to = Math.min(e, dayEnd);
      if (!(to > from)) continue;
      // Wall-clock minutes, so blocks line up with the hour lines even on a daylight-saving day.
      const a = from === dayStart ? window.startMin : wallClock(new Date(from), timeZone).minutes;
      let b = to === dayEnd ? window.endMin : wallClock(new Date(to), timeZone).minutes;
      if (b <= a) b = Math.min(window.endMin, a + Math.max(1, Math.round((to - from) / 60_000)));
      placed.push({
        item,
        dayIndex,
        leftPct: ((dayIndex * dayMinutes + (a - window.startMin)) / total) * 100,
        widthPct: ((b - a) / total) * 100,
        lane: lanes.get(item) ?? 0,
        continuesBefore: s < from,
        continuesAfter: e > to,
      });
    }
  });
  return { placed, laneCount: Math.max(1, laneEnds.length) };
}

/** Hour lines inside one day column: every `step` hours from the window's start. */
export function hourTicks(window: HourWindow, step: number): { minutes: number; pct: number }[] {
  const out: { minutes: number; pct: number }[] = [];
  const span = window.endMin - window.startMin;
  for (let m = window.startMin; m < window.endMin; m += step * 60) {
    out.push({ minutes: m, pct: ((m - window.startMin) / span) * 100 });
  }
  return out;
}

/** Where "now" is on the row (percent), or null when it is not inside the shown range and hours. */
export function nowPct(range: Pick<CalendarRange, 'days'>, window: HourWindow, timeZone: string, now: Date) {
  const w = wallClock(now, timeZone);
  const dayIndex = range.days.indexOf(w.date);
  if (dayIndex === -1 || w.minutes < window.startMin || w.minutes >= window.endMin) return null;
  const dayMinutes = window.endMin - window.startMin;
  return ((dayIndex * dayMinutes + w.minutes - window.startMin) / (dayMinutes * range.days.length)) * 100;
}
