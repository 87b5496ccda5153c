/**
 * Every notice kind falls in one category a person can choose to receive by e-mail or not. The
 * kinds are written by many modules (bookings, orders, invoices …); the category is read from the
 * kind's prefix so a new kind of a known family needs no change here, and anything unknown counts
 * as a platform notice.
 */
export const NOTICE_CATEGORIES = ['bookings', 'orders', 'money', 'events', 'platform'] as const;
export type NoticeCategory = (typeof NOTICE_CATEGORIES)[number];

const FAMILIES: readonly [NoticeCategory, RegExp][] = [
  ['bookings', /^(booking|no_show|late_cancellation|waitlist)/],
  ['orders', /^(order|sample|report|objection|rating|assistance|calibration)/],
  ['money', /^(invoice|payment|voucher|refund|credit_note|platform_fee|fee_income|payout|fapiao|card)/],
  ['events', /^event/],
];

export function noticeCategory(kind: string): NoticeCategory {
  return FAMILIES.find(([, re]) => re.test(kind))?.[0] ?? 'platform';
}
