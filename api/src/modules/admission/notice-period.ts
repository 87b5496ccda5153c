import { PLATFORM_TIME_ZONE, localDate } from '../../lib/time.ts';

/** A public notice (公示) runs for this many calendar days. */
export const NOTICE_DAYS = 7;

/**
 * When a notice published at `publishedAt` ends: at 24:00 China time of its 7th calendar day. As the
 * Civil Code counts periods in days (第二百零一条: the day it starts is not counted), day 1 is the day
 * after publication, so a notice published on 1 December at any hour runs to the end of 8 December
 * (= 9 December 00:00 +08:00). China has kept +08:00 all year since 1991, so the end of a local day is
 * the next day's 00:00 at +08:00.
 */
export function noticeEndsAt(publishedAt: Date, days = NOTICE_DAYS): Date {
  const today = localDate(publishedAt, PLATFORM_TIME_ZONE);
  const startOfToday = new Date(`${today}T00:00:00+08:00`);
  return new Date(startOfToday.getTime() + (days + 1) * 86_400_000);
}

/** A notice is over once its end has come (an objection then is too late; the decision may follow). */
export function noticeIsOver(endsAt: Date | null, now: Date): boolean {
  return endsAt !== null && now.getTime() >= endsAt.getTime();
}

/** "2026-12-08 24:00" (China time): how a notice's end is written in a message. */
export function noticeEndText(endsAt: Date | null): string {
  if (!endsAt) return '';
  return `${localDate(new Date(endsAt.getTime() - 1), PLATFORM_TIME_ZONE)} 24:00`;
}
