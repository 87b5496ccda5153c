import { describe, expect, it } from 'vitest';
import { formatDay, formatTimeRange, splitMinutes } from './format';

describe('console formatting in the lab zone', () => {
  it('writes a booking on one day with both times in the lab zone, whatever zone the server has', () => {
    const zh = formatTimeRange('2026-12-01T01:00:00Z', '2026-12-01T03:30:00Z', 'zh-CN', 'Asia/Shanghai');
    expect(zh).toBe(`${formatDay('2026-12-01', 'zh-CN')} 09:00–11:30`);
    expect(zh).toContain('12月1日');
    const en = formatTimeRange('2026-12-01T01:00:00Z', '2026-12-01T03:30:00Z', 'en', 'Asia/Shanghai');
    expect(en).toBe('Tue 1 Dec 09:00–11:30');
  });

  it('ends a booking at midnight as 24:00 of its day, and names both days when it runs on', () => {
    expect(formatTimeRange('2026-12-01T14:00:00Z', '2026-12-01T16:00:00Z', 'en', 'Asia/Shanghai')).toBe(
      'Tue 1 Dec 22:00–24:00',
    );
    expect(formatTimeRange('2026-12-01T14:00:00Z', '2026-12-01T18:00:00Z', 'en', 'Asia/Shanghai')).toBe(
      'Tue 1 Dec 22:00 – Wed 2 Dec 02:00',
    );
  });

  it('splits minutes into hours and minutes', () => {
    expect(splitMinutes(150)).toEqual({ hours: 2, minutes: 30 });
    expect(splitMinutes(45)).toEqual({ hours: 0, minutes: 45 });
  });
});
