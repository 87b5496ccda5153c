import { describe, expect, it } from 'vitest';
import { fenToYuanText, parsePercent, parsePrice } from './money-form';

describe('parsePrice (yuan typed → fen)', () => {
  it('reads what people type', () => {
    expect(parsePrice('1,200.5')).toEqual({ ok: true, fen: 120050 });
    expect(parsePrice('￥80')).toEqual({ ok: true, fen: 8000 });
    expect(parsePrice(' 0 ')).toEqual({ ok: true, fen: 0 });
    expect(parsePrice('0.29')).toEqual({ ok: true, fen: 29 });
    expect(parsePrice('1，234')).toEqual({ ok: true, fen: 123400 });
  });
  it('refuses empty, negative, too precise and huge prices', () => {
    expect(parsePrice('')).toEqual({ ok: false, code: 'required' });
    expect(parsePrice(null)).toEqual({ ok: false, code: 'required' });
    expect(parsePrice('-5')).toEqual({ ok: false, code: 'invalid_price' });
    expect(parsePrice('1.234')).toEqual({ ok: false, code: 'invalid_price' });
    expect(parsePrice('abc')).toEqual({ ok: false, code: 'invalid_price' });
    expect(parsePrice('10000001')).toEqual({ ok: false, code: 'too_large' });
    expect(parsePrice('10000000')).toEqual({ ok: true, fen: 1_000_000_000 });
  });
  it('round-trips every fen amount through the text the form is filled with', () => {
    const amounts = [0, 1, 9, 10, 29, 99, 100, 101, 12345, 999_999, 1_000_000_000];
    // A deterministic spread of amounts besides the edges (no randomness: the web has no fast-check).
    for (let fen = 7; fen < 1_000_000_000; fen = fen * 3 + 1) amounts.push(fen);
    for (const fen of amounts) expect(parsePrice(fenToYuanText(fen))).toEqual({ ok: true, fen });
  });
});

describe('parsePercent', () => {
  it('reads percents within bounds', () => {
    expect(parsePercent('30')).toBe(30);
    expect(parsePercent('150%')).toBe(150);
    expect(parsePercent('0')).toBe(0);
    expect(parsePercent('501')).toBeNull();
    expect(parsePercent('-1')).toBeNull();
    expect(parsePercent('')).toBeNull();
    expect(parsePercent('1.5')).toBeNull();
  });
});
