import { describe, expect, it } from 'vitest';
import { noticeCategory } from './categories.ts';

describe('noticeCategory', () => {
  it('reads the category from the kind the modules write', () => {
    expect(noticeCategory('booking_reminder_24h')).toBe('bookings');
    expect(noticeCategory('no_show')).toBe('bookings');
    expect(noticeCategory('waitlist_offer')).toBe('bookings');
    expect(noticeCategory('order_quoted')).toBe('orders');
    expect(noticeCategory('report_issued')).toBe('orders');
    expect(noticeCategory('assistance_update')).toBe('orders');
    expect(noticeCategory('invoice_issued')).toBe('money');
    expect(noticeCategory('voucher_claim_payment')).toBe('money');
    expect(noticeCategory('fapiao.requested')).toBe('money');
    expect(noticeCategory('event_cancelled')).toBe('events');
    expect(noticeCategory('welcome')).toBe('platform');
    expect(noticeCategory('case_published')).toBe('platform');
    expect(noticeCategory('something_new')).toBe('platform');
  });
});
