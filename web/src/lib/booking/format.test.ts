import { describe, expect, it } from 'vitest';
import { translator } from '$lib/i18n';
import { dayHeading, durationText } from './format';

describe('durationText', () => {
  it('reads minutes as hours and minutes in both languages', () => {
    const zh = translator('zh-CN');
    const en = translator('en');
    expect(durationText(zh, 30)).toBe('30 分钟');
    expect(durationText(zh, 120)).toBe('2 小时');
    expect(durationText(zh, 90)).toBe('1 小时 30 分钟');
    expect(durationText(en, 60)).toBe('1 hour');
    expect(durationText(en, 1440)).toBe('24 hours');
    expect(durationText(en, 150)).toBe('2 h 30 min');
  });
});

describe('dayHeading', () => {
  it('names the local date without shifting it', () => {
    expect(dayHeading('2026-11-30', 'zh-CN')).toBe('11月30日');
    expect(dayHeading('2026-11-30', 'en')).toBe('30 Nov');
  });
});
