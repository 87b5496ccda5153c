// CommonJS package: under Node's ESM loader only its default export is visible.
import chineseDays from 'chinese-days';
import { DateTime } from 'luxon';

/** One weekly opening window in wall-clock time; weekday is ISO (1 = Monday … 7 = Sunday). */
export interface WeeklyHours {
  weekday: number;
  opensAt: string;
  closesAt: string;
}

export interface Window {
  start: Date;
  end: Date;
}

/** The default working week when a site has set no hours: Monday to Friday, 08:30–17:30. */
export const DEFAULT_WEEK: WeeklyHours[] = [1, 2, 3, 4, 5].map((weekday) => ({
  weekday,
  opensAt: '08:30',
  closesAt: '17:30',
}));

/** Zones whose labs follow the State Council's holiday schedule (法定节假日 and 调休). */
const CHINA_ZONES = new Set(['Asia/Shanghai', 'Asia/Urumqi', 'Asia/Chongqing', 'Asia/Harbin', 'PRC']);

export type DayKind = 'regular' | 'public_holiday' | 'makeup_workday';

/** Years for which `chinese-days` carries the State Council's published schedule (cached). */
const scheduleYears = new Map<number, boolean>();
export function chinaScheduleKnown(year: number): boolean {
  let known = scheduleYears.get(year);
  if (known === undefined) {
    known = chineseDays.getHolidaysInRange(`${year}-01-01`, `${year}-12-31`, false).length > 0;
    scheduleYears.set(year, known);
  }
  return known;
}

const statutoryByYear = new Map<number, Set<string>>();
/**
 * The statutory public holidays of a year as fixed by law, without the State Council's yearly
 * bridging and make-up arrangements: 《全国年节及纪念日放假办法》 as amended by State Council decree
 * of 12 November 2024 (in force 2025) — 元旦 1 January; 春节 New Year's Eve and lunar 1–3 January;
 * 清明 the Qingming solar term; 劳动节 1–2 May; 端午 lunar 5 May; 中秋 lunar 15 August; 国庆 1–3
 * October. Lunar dates and the solar term come from `chinese-days`.
 */
export function statutoryHolidays(year: number): Set<string> {
  let days = statutoryByYear.get(year);
  if (days) return days;
  const lunar = (md: string) => chineseDays.getSolarDateFromLunar(`${year}-${md}`).date;
  const newYear = DateTime.fromISO(lunar('01-01'));
  const qingming = chineseDays
    .getSolarTerms(`${year}-04-01`, `${year}-04-10`)
    .find((t: { term: string }) => t.term === 'pure_brightness')?.date;
  days = new Set(
    [
      `${year}-01-01`,
      newYear.minus({ days: 1 }).toISODate()!,
      newYear.toISODate()!,
      newYear.plus({ days: 1 }).toISODate()!,
      newYear.plus({ days: 2 }).toISODate()!,
      qingming,
      `${year}-05-01`,
      `${year}-05-02`,
      lunar('05-05'),
      lunar('08-15'),
      `${year}-10-01`,
      `${year}-10-02`,
      `${year}-10-03`,
    ].filter((d): d is string => !!d),
  );
  statutoryByYear.set(year, days);
  return days;
}

/** A year of the national calendar as the platform entered it (holiday_years), replacing the package's. */
export interface HolidayOverride {
  holidays: ReadonlySet<string>;
  makeupWorkdays: ReadonlySet<string>;
}

/**
 * The entered years, as this process last read them from holiday_years. The calendar is read
 * synchronously by every availability and due-date computation, hence a copy in memory; a year
 * changes a few times a year, at most, and the database stays the source of truth:
 * `refreshHolidayCalendar` (holiday-years.ts) checks the copy against the database's stamp before
 * each computation, so a change made in any process is used at once in every other.
 */
let overrides = new Map<number, HolidayOverride>();
let generation = 0;
export function setHolidayOverrides(years: Map<number, HolidayOverride>): void {
  overrides = years;
  generation += 1;
}
/** Changes whenever the entered years in memory do: part of the key of any cache of opening windows. */
export function holidayCalendarGeneration(): number {
  return generation;
}
export function holidayOverride(year: number): HolidayOverride | undefined {
  return overrides.get(year);
}

/**
 * How a local date counts in China: a year the platform entered (holiday_years) first; otherwise
 * the package's data, as below.
 */
export function chinaDayKind(isoDate: string, isoWeekday: number): DayKind {
  const entered = overrides.get(Number(isoDate.slice(0, 4)));
  if (entered) {
    if (entered.holidays.has(isoDate)) return 'public_holiday';
    if (entered.makeupWorkdays.has(isoDate)) return 'makeup_workday';
    return 'regular';
  }
  return packageDayKind(isoDate, isoWeekday);
}

/**
 * How a local date counts in China: a public holiday (closed even on a weekday) or an official
 * make-up working day (调休, open even on a weekend). Data: the `chinese-days` package, which
 * carries the State Council's published schedules (国务院办公厅关于某年部分节假日安排的通知).
 * For a year whose schedule is not published yet (it usually comes out in November of the year
 * before), only the statutory holidays fixed by law close the lab, with no make-up days, until a
 * package update brings the official schedule.
 */
export function packageDayKind(isoDate: string, isoWeekday: number): DayKind {
  const weekend = isoWeekday >= 6;
  if (!chinaScheduleKnown(Number(isoDate.slice(0, 4)))) {
    return statutoryHolidays(Number(isoDate.slice(0, 4))).has(isoDate) ? 'public_holiday' : 'regular';
  }
  const detail = chineseDays.getDayDetail(isoDate);
  if (detail.work && weekend) return 'makeup_workday';
  if (!detail.work && !weekend) return 'public_holiday';
  if (!detail.work && weekend && !/^(Saturday|Sunday)$/.test(detail.name)) return 'public_holiday';
  return 'regular';
}

/**
 * Opening windows between two instants, expanded in the site's zone with Luxon (so 08:30 stays
 * 08:30 local across a daylight-saving change). Chinese sites close on public holidays and open
 * on make-up working days with the hours of their first weekday.
 */
export function openingWindows(from: Date, to: Date, timeZone: string, week: WeeklyHours[]): Window[] {
  const hours = week.length > 0 ? week : DEFAULT_WEEK;
  const firstWorkday = Math.min(...hours.filter((h) => h.weekday <= 5).map((h) => h.weekday));
  const china = CHINA_ZONES.has(timeZone);
  const out: Window[] = [];
  let day = DateTime.fromJSDate(from, { zone: timeZone }).startOf('day').minus({ days: 1 });
  const last = DateTime.fromJSDate(to, { zone: timeZone }).startOf('day');
  for (; day <= last; day = day.plus({ days: 1 })) {
    const iso = day.toISODate()!;
    const kind = china ? chinaDayKind(iso, day.weekday) : 'regular';
    if (kind === 'public_holiday') continue;
    const weekday = kind === 'makeup_workday' && Number.isFinite(firstWorkday) ? firstWorkday : day.weekday;
    for (const h of hours.filter((x) => x.weekday === weekday)) {
      const start = DateTime.fromISO(`${iso}T${h.opensAt}`, { zone: timeZone }).toJSDate();
      const end = DateTime.fromISO(`${iso}T${h.closesAt}`, { zone: timeZone }).toJSDate();
      const clippedStart = start < from ? from : start;
      const clippedEnd = end > to ? to : end;
      if (clippedStart < clippedEnd) out.push({ start: clippedStart, end: clippedEnd });
    }
  }
  return out.sort((a, b) => a.start.getTime() - b.start.getTime());
}

/** True when [start, end) lies inside one opening window. */
export function withinOpening(start: Date, end: Date, windows: Window[]): boolean {
  return windows.some((w) => w.start <= start && end <= w.end);
}

/** tstzmultirange literal for a list of windows. */
export function toMultirange(windows: Window[]): string {
  return `{${windows.map((w) => `[${w.start.toISOString()},${w.end.toISOString()})`).join(',')}}`;
}
