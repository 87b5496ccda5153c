import { describe, expect, it } from 'vitest';
import {
  chosenMonth,
  customerLabs,
  hoursOf,
  isMonth,
  monthLabel,
  monthOf,
  shiftMonth,
  statementMonths,
} from './months';

// 09:00 on 27 November 2026 in China; 23:30 on 30 November UTC is already 1 December there.
const NOW = new Date('2026-11-27T01:00:00Z');

describe('statement months', () => {
  it('are China months', () => {
    expect(monthOf(NOW)).toBe('2026-11');
    expect(monthOf(new Date('2026-11-30T16:30:00Z'))).toBe('2026-12');
    expect(monthOf(new Date('2026-11-30T15:59:00Z'))).toBe('2026-11');
  });

  it('step across years both ways', () => {
    expect(shiftMonth('2026-01', 1)).toBe('2025-12');
    expect(shiftMonth('2026-03', 14)).toBe('2025-01');
    expect(shiftMonth('2025-12', -1)).toBe('2026-01');
    expect(shiftMonth('2026-11', 0)).toBe('2026-11');
  });

  it('accept only YYYY-MM with a real month', () => {
    expect(isMonth('2026-11')).toBe(true);
    for (const bad of ['2026-13', '2026-00', '2026-1', '26-11', '2026-11-01', '', null, undefined]) {
      expect(isMonth(bad)).toBe(false);
    }
  });

  it('offer the running month as provisional, then closed or not yet built months, newest first', () => {
    const months = statementMonths(
      NOW,
      [
        { month: '2026-10', builtAt: '2026-11-01T00:05:00Z' },
        { month: '2024-05', builtAt: '2024-06-01T00:05:00Z' },
      ],
      3,
    );
    expect(months).toEqual([
      { month: '2026-11', state: 'provisional', builtAt: null },
      { month: '2026-10', state: 'closed', builtAt: '2026-11-01T00:05:00Z' },
      { month: '2026-09', state: 'unbuilt', builtAt: null },
      { month: '2024-05', state: 'closed', builtAt: '2024-06-01T00:05:00Z' },
    ]);
  });

  it('open on the month asked for when it is offered, else on the last closed month', () => {
    const months = statementMonths(NOW, [], 12);
    expect(chosenMonth('2026-09', months, NOW)).toBe('2026-09');
    expect(chosenMonth('2026-11', months, NOW)).toBe('2026-11');
    expect(chosenMonth('2030-01', months, NOW)).toBe('2026-10');
    expect(chosenMonth('nonsense', months, NOW)).toBe('2026-10');
    expect(chosenMonth(null, months, NOW)).toBe('2026-10');
  });

  it('are named in the reader’s language', () => {
    expect(monthLabel('2026-09', 'zh-CN')).toBe('2026年9月');
    expect(monthLabel('2026-09', 'en')).toBe('September 2026');
  });

  it('show minutes as hours to one decimal', () => {
    expect(hoursOf(150)).toBe(2.5);
    expect(hoursOf(45)).toBe(0.8);
    expect(hoursOf(0)).toBe(0);
    expect(hoursOf(61)).toBe(1);
  });
});

describe('a customer’s labs', () => {
  it('come from its invoices and orders, monthly accounts first, each once', () => {
    const sqi = { id: 'sqi', nameZh: '苏南院', nameEn: 'Sunan' };
    const wx = { id: 'wx', nameZh: '无锡中心', nameEn: 'Wuxi' };
    const labs = customerLabs(
      [
        { lab: sqi, terms: 'on_delivery' },
        { lab: wx, terms: 'on_delivery' },
        { lab: wx, terms: 'monthly' },
        { lab: wx, terms: 'prepay' },
      ],
      [
        { labId: 'nj', labNameZh: '南京中心' },
        { labId: 'sqi', labNameZh: '苏南院' },
      ],
    );
    expect(labs).toEqual([
      { ...wx, monthly: true },
      { id: 'nj', nameZh: '南京中心', nameEn: '', monthly: false },
      { ...sqi, monthly: false },
    ]);
    expect(customerLabs([], [])).toEqual([]);
  });
});
