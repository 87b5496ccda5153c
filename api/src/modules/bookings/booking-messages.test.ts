import { describe, expect, it } from 'vitest';
import { localTime, noShowText, reminderText, type BookingFacts } from './booking-messages.ts';

const facts: BookingFacts = {
  bookingId: '4b0f6a54-0e44-4f3c-9c56-2f1f5c3b9a10',
  instrumentZh: '场发射扫描电子显微镜',
  instrumentEn: '',
  siteZh: '园区站',
  siteEn: 'SIP site',
  addressZh: '苏州工业园区星湖街 218 号',
  addressEn: '',
  startsAt: new Date('2026-11-30T02:00:00Z'),
  timeZone: 'Asia/Shanghai',
};

describe('booking notification texts', () => {
  it("shows the lab's wall-clock time with its offset, across a DST change too", () => {
    expect(localTime(new Date('2026-11-30T02:00:00Z'), 'Asia/Shanghai')).toBe('2026-11-30 10:00 (UTC+8)');
    expect(localTime(new Date('2026-03-28T09:00:00Z'), 'Europe/Berlin')).toBe('2026-03-28 10:00 (UTC+1)');
    expect(localTime(new Date('2026-03-30T08:00:00Z'), 'Europe/Berlin')).toBe('2026-03-30 10:00 (UTC+2)');
  });

  it('reminders name the instrument, time, place and link in both languages (Chinese where English is missing)', () => {
    const day = reminderText('24h', facts);
    expect(day).toMatchObject({ kind: 'booking_reminder_24h', link: `/bookings/${facts.bookingId}` });
    expect(day.titleZh).toBe('预约提醒：场发射扫描电子显微镜，2026-11-30 10:00 (UTC+8)');
    expect(day.titleEn).toBe('Reminder: 场发射扫描电子显微镜 at 2026-11-30 10:00 (UTC+8)');
    expect(day.bodyZh).toContain('园区站，苏州工业园区星湖街 218 号');
    expect(day.bodyEn).toContain('SIP site, 苏州工业园区星湖街 218 号');
    const soon = reminderText('1h', facts);
    expect(soon.kind).toBe('booking_reminder_1h');
    expect(soon.titleZh.startsWith('即将开始')).toBe(true);
  });

  it('the no-show notice gives the late-void time from the policy', () => {
    const text = noShowText(facts, 45);
    expect(text.kind).toBe('booking_no_show');
    expect(text.bodyZh).toContain('45 分钟');
    expect(text.bodyEn).toContain('45 minutes');
  });
});
