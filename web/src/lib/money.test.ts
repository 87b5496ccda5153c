import { describe, expect, it } from 'vitest';
import { fenToYuanText, formatMoney, parseYuan } from './money';

describe('formatMoney', () => {
  it('formats integer fen as yuan with the ¥ sign in both languages', () => {
    expect(formatMoney({ amount: 123400, currency: 'CNY' }, 'zh-CN')).toBe('¥1,234.00');
    expect(formatMoney({ amount: 123400, currency: 'CNY' }, 'en')).toBe('¥1,234.00');
  });
  it('keeps the fen', () => {
    expect(formatMoney({ amount: 29, currency: 'CNY' }, 'zh-CN')).toBe('¥0.29');
    expect(formatMoney({ amount: 0, currency: 'CNY' }, 'zh-CN')).toBe('¥0.00');
  });
});

describe('parseYuan', () => {
  it('turns what people type into integer fen without floating-point drift', () => {
    expect(parseYuan('200')).toEqual({ ok: true, fen: 20000 });
    expect(parseYuan('199.5')).toEqual({ ok: true, fen: 19950 });
    expect(parseYuan('0.29')).toEqual({ ok: true, fen: 29 });
    expect(parseYuan(' 1,234.56 ')).toEqual({ ok: true, fen: 123456 });
    expect(parseYuan('￥80')).toEqual({ ok: true, fen: 8000 });
  });
  it('treats empty as "no price"', () => {
    expect(parseYuan('')).toEqual({ ok: true, fen: null });
    expect(parseYuan('   ')).toEqual({ ok: true, fen: null });
    expect(parseYuan(null)).toEqual({ ok: true, fen: null });
  });
  it('refuses negative, fractional fen and non-numbers', () => {
    for (const bad of ['-1', '1.234', 'abc', '1e5', '12.']) expect(parseYuan(bad)).toEqual({ ok: false });
  });
});

describe('fenToYuanText', () => {
  it('round-trips with parseYuan', () => {
    for (const fen of [0, 1, 29, 100, 19950, 123456]) {
      expect(parseYuan(fenToYuanText(fen))).toEqual({ ok: true, fen });
    }
    expect(fenToYuanText(20000)).toBe('200');
    expect(fenToYuanText(null)).toBe('');
  });
});
