import { describe, expect, it } from 'vitest';
import { translator } from '$lib/i18n';
import { problemKey, unknownProblemKey } from '$lib/ui/problem';
import { BOOKING_PROBLEM_CODES, bookingProblemKey } from './problems';

describe('booking problem messages', () => {
  // Every code the booking and waitlist endpoints are documented to answer with.
  const documented = [
    'slot_unavailable',
    'outside_opening_hours',
    'lead_time',
    'horizon',
    'duration',
    'grid',
    'mode_not_offered',
    'qualification_required',
    'quota_exceeded',
    'blacklisted',
    'illegal_transition',
    'hold_expired',
    'idempotency_mismatch',
    'in_the_past',
    'instrument_unavailable',
    'no_hourly_rate',
    'operator_unavailable',
    'hold_limit_reached',
    'already_waiting',
    'slot_available',
  ];

  it('knows every documented code', () => {
    for (const code of documented) expect(BOOKING_PROBLEM_CODES).toContain(code);
  });

  it('explains each code in Chinese and English with its own text', () => {
    const zh = translator('zh-CN');
    const en = translator('en');
    const seen = new Set<string>();
    for (const code of BOOKING_PROBLEM_CODES) {
      const key = bookingProblemKey(code);
      expect(key).toBe(problemKey(code, 'booking'));
      const zhText = zh(key);
      const enText = en(key);
      expect(zhText, code).not.toBe(key);
      expect(enText, code).not.toBe(key);
      expect(zhText, code).toMatch(/[\u4e00-\u9fff]/);
      expect(enText, code).not.toMatch(/[\u4e00-\u9fff]/);
      expect(seen.has(zhText), `${code} shares its text`).toBe(false);
      seen.add(zhText);
    }
  });

  it('falls back to a general message for an unknown or missing code', () => {
    expect(bookingProblemKey('something_new')).toBe(unknownProblemKey('booking'));
    expect(bookingProblemKey(null)).toBe(unknownProblemKey('booking'));
    expect(translator('zh-CN')(bookingProblemKey(undefined))).toBe('操作没有成功，请稍后重试。');
  });

  it('names the cause in Chinese for the common refusals', () => {
    const zh = translator('zh-CN');
    expect(zh(bookingProblemKey('slot_unavailable'))).toContain('别人预约');
    expect(zh(bookingProblemKey('outside_opening_hours'))).toContain('开放时间');
    expect(zh(bookingProblemKey('lead_time'))).toContain('提前');
    expect(zh(bookingProblemKey('qualification_required'))).toContain('培训');
  });
});
