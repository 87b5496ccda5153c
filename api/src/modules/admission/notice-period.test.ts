import { describe, expect, it } from 'vitest';
import { noticeEndsAt, noticeIsOver } from './notice-period.ts';

describe('the 7-day public notice', () => {
  it('ends at 24:00 China time of the 7th day after the day of publication', () => {
    // 1 Dec 2026 10:00 in China.
    expect(noticeEndsAt(new Date('2026-12-01T02:00:00Z')).toISOString()).toBe('2026-12-08T16:00:00.000Z');
    // 1 Dec 23:59 in China is still 1 Dec there (15:59Z): the same end.
    expect(noticeEndsAt(new Date('2026-12-01T15:59:00Z')).toISOString()).toBe('2026-12-08T16:00:00.000Z');
    // 2 Dec 00:30 in China is 1 Dec 16:30Z: one day later.
    expect(noticeEndsAt(new Date('2026-12-01T16:30:00Z')).toISOString()).toBe('2026-12-09T16:00:00.000Z');
  });

  it('is over from its end on, not a moment before', () => {
    const end = new Date('2026-12-08T16:00:00Z');
    expect(noticeIsOver(end, new Date(end.getTime() - 1))).toBe(false);
    expect(noticeIsOver(end, end)).toBe(true);
    expect(noticeIsOver(null, end)).toBe(false);
  });
});
