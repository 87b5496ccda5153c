import { DateTime } from 'luxon';

/** What a booking notification says about the booking; texts are bilingual, Chinese first. */
export interface BookingFacts {
  bookingId: string;
  instrumentZh: string;
  instrumentEn: string;
  siteZh: string;
  siteEn: string;
  addressZh: string;
  addressEn: string;
  startsAt: Date;
  /** The site's IANA zone: times are shown as the lab's wall clock. */
  timeZone: string;
}

export interface NotificationText {
  kind: string;
  titleZh: string;
  titleEn: string;
  bodyZh: string;
  bodyEn: string;
  link: string;
}

export type ReminderKind = '24h' | '1h';

/** "2026-12-01 09:00 (UTC+8)": the lab's local wall-clock time with its offset at that instant. */
export function localTime(at: Date, timeZone: string): string {
  const t = DateTime.fromJSDate(at, { zone: timeZone });
  return `${t.toFormat('yyyy-MM-dd HH:mm')} (UTC${t.toFormat('Z')})`;
}

const en = (english: string, chinese: string) => english.trim() || chinese;

function place(f: BookingFacts): { zh: string; en: string } {
  return {
    zh: [f.siteZh, f.addressZh].filter(Boolean).join('，'),
    en: [en(f.siteEn, f.siteZh), en(f.addressEn, f.addressZh)].filter(Boolean).join(', '),
  };
}

export function reminderText(kind: ReminderKind, f: BookingFacts): NotificationText {
  const when = localTime(f.startsAt, f.timeZone);
  const where = place(f);
  const instrumentEn = en(f.instrumentEn, f.instrumentZh);
  const soon = kind === '1h';
  return {
    kind: `booking_reminder_${kind}`,
    titleZh: soon ? `即将开始：${f.instrumentZh}，${when}` : `预约提醒：${f.instrumentZh}，${when}`,
    titleEn: soon ? `Starting soon: ${instrumentEn} at ${when}` : `Reminder: ${instrumentEn} at ${when}`,
    bodyZh:
      `您预约的 ${f.instrumentZh} 将于 ${when}（当地时间）开始` +
      (where.zh ? `，地点：${where.zh}` : '') +
      '。请按时到场签到；如不能前来，请尽早取消。',
    bodyEn:
      `Your booking of ${instrumentEn} starts at ${when} (local time)` +
      (where.en ? ` at ${where.en}` : '') +
      ". Please check in on time; if you can't come, cancel as early as you can.",
    link: `/bookings/${f.bookingId}`,
  };
}

export function noShowText(f: BookingFacts, lateVoidMinutes: number): NotificationText {
  const when = localTime(f.startsAt, f.timeZone);
  const instrumentEn = en(f.instrumentEn, f.instrumentZh);
  return {
    kind: 'booking_no_show',
    titleZh: `预约已作废（未签到）：${f.instrumentZh}，${when}`,
    titleEn: `Booking void (no check-in): ${instrumentEn} at ${when}`,
    bodyZh:
      `您预约的 ${f.instrumentZh}（${when} 开始）在开始后 ${lateVoidMinutes} 分钟内未签到，` +
      '预约已作废，时段已释放，并记录一次爽约。',
    bodyEn:
      `Nobody checked in to your booking of ${instrumentEn} (starting ${when}) within ${lateVoidMinutes} minutes ` +
      'of its start: the booking is void, the time released, and a no-show recorded.',
    link: `/bookings/${f.bookingId}`,
  };
}
