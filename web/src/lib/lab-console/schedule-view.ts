import { formatHhmm, wallClock } from '$lib/time';
import type { Placed } from './calendar';

/**
 * What the resource calendar draws beside the geometry in calendar.ts: the short customer name a
 * chip can hold, the chip's times, which days of a week are too crowded to read (those link to the
 * day view), and whether an instrument can be booked at all.
 */

/** What a booking chip needs of a schedule booking. */
export interface ChipBooking {
  id: string;
  status: string;
  mode: string;
  start: string;
  end: string;
  customer: { nameZh: string; nameEn: string };
  user: { displayName: string };
  operator: { displayName: string } | null;
}

/** Legal-form and trade words a chip can do without: "苏州精工检测技术有限公司" → "精工检测". */
const ZH_SUFFIXES = [
  '股份有限公司',
  '有限责任公司',
  '有限公司',
  '研究院',
  '研究所',
  '集团',
  '公司',
  '技术',
  '科技',
  '工业',
  '实业',
  '制造',
];
/** Province and city prefixes are the same for most of a lab's customers, so they say little. */
const ZH_PLACE = /^(?:[\u4e00-\u9fa5]{2,3}?(?:省|市|自治区))?(?:[\u4e00-\u9fa5]{2,3}?市)?/;
const ZH_CITIES = [
  '北京',
  '上海',
  '天津',
  '重庆',
  '苏州',
  '无锡',
  '常州',
  '南京',
  '杭州',
  '宁波',
  '深圳',
  '广州',
  '东莞',
  '佛山',
  '武汉',
  '成都',
  '西安',
  '青岛',
  '合肥',
  '厦门',
];
const EN_SUFFIX = /[\s,]+(?:co\.?,?\s*ltd\.?|ltd\.?|inc\.?|llc|gmbh|corp(?:oration)?\.?|company|limited|group)\s*$/i;

export function shortOrgName(name: string, max = 6): string {
  const full = name.trim();
  if (!full) return full;
  if (/[\u4e00-\u9fa5]/.test(full)) {
    let s = full.replace(ZH_PLACE, '');
    const city = ZH_CITIES.find((c) => s.startsWith(c));
    if (city) s = s.slice(city.length);
    for (let again = true; again;) {
      again = false;
      for (const suffix of ZH_SUFFIXES) {
        if (s.endsWith(suffix) && s.length - suffix.length >= 2) {
          s = s.slice(0, -suffix.length);
          again = true;
        }
      }
    }
    if (s.length < 2) s = full;
    return s.length > max ? s.slice(0, max) : s;
  }
  let s = full;
  while (EN_SUFFIX.test(s)) s = s.replace(EN_SUFFIX, '');
  const words = s.split(/\s+/).filter(Boolean);
  return words.slice(0, 2).join(' ') || full;
}

/** "09:00–11:00" in the lab's zone; a booking ending at the next midnight ends at "24:00". */
export function chipTimes(start: string, end: string, timeZone: string): string {
  const a = wallClock(new Date(start), timeZone);
  const b = wallClock(new Date(end), timeZone);
  const endText =
    b.minutes === 0 && b.date > a.date && Date.parse(end) - Date.parse(start) <= 86_400_000
      ? '24:00'
      : formatHhmm(b.minutes);
  return `${formatHhmm(a.minutes)}–${endText}`;
}

/** How many booking chips one instrument's day cell shows in week view before it links to the day view. */
export const CHIPS_PER_CELL = 3;

/**
 * The pieces of one instrument's bookings grouped by day column, each day in time order; a day with
 * more than `limit` pieces shows the first ones and says how many more there are.
 */
export function dayCells<P extends Pick<Placed<unknown>, 'dayIndex' | 'leftPct'>>(
  placed: readonly P[],
  dayCount: number,
  limit = CHIPS_PER_CELL,
): { shown: P[]; more: number }[] {
  const cells = Array.from({ length: dayCount }, () => [] as P[]);
  for (const p of placed) cells[p.dayIndex]?.push(p);
  return cells.map((list) => {
    const sorted = [...list].sort((a, b) => a.leftPct - b.leftPct);
    return { shown: sorted.slice(0, limit), more: Math.max(0, sorted.length - limit) };
  });
}

/** The days (indexes) of a week on which some instrument has more bookings than a cell shows. */
export function denseDays(
  rows: readonly { bookings: readonly Pick<Placed<unknown>, 'dayIndex' | 'leftPct'>[] }[],
  dayCount: number,
  limit = CHIPS_PER_CELL,
) {
  const dense = new Set<number>();
  for (const row of rows) {
    dayCells(row.bookings, dayCount, limit).forEach((c, d) => {
      if (c.more > 0) dense.add(d);
    });
  }
  return [...dense].sort((a, b) => a - b);
}

/** An instrument under maintenance takes no bookings; the calendar greys its whole row. */
export function isUnavailable(status: string): boolean {
  return status === 'maintenance' || status === 'retired';
}
