import type { TFunction } from 'i18next';
import { plainDayMonth } from '$lib/plain-format';

/** 90 → "1 小时 30 分钟" / "1 h 30 min"; 120 → "2 小时" / "2 hours". */
export function durationText(t: TFunction, minutes: number): string {
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  if (hours === 0) return t('booking.durationMinutes', { minutes: rest });
  if (rest === 0) return t('booking.durationHours', { hours, count: hours });
  return t('booking.durationHoursMinutes', { hours, minutes: rest });
}

const headingFormats = new Map<string, Intl.DateTimeFormat>();

/** A local date `2026-11-30` as a column heading: "11月30日" / "30 Nov". */
export function dayHeading(date: string, locale: string): string {
  const plain = plainDayMonth(date, locale);
  if (plain !== null) return plain;
  // One formatter per language: the week calendar names a day in every cell, and making a
  // formatter costs far more than using one.
  let f = headingFormats.get(locale);
  if (!f) {
    f = new Intl.DateTimeFormat(locale === 'en' ? 'en-GB' : 'zh-CN', {
      month: 'short',
      day: 'numeric',
      timeZone: 'UTC',
    });
    headingFormats.set(locale, f);
  }
  return f.format(new Date(`${date}T00:00:00Z`));
}
