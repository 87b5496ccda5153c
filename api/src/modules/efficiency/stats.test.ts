import { describe, expect, it } from 'vitest';
import { mean, quantile, rate, round } from './stats.ts';

describe('evaluation statistics', () => {
  it('interpolates quantiles between ranks like percentile_cont', () => {
    expect(quantile([9, 2, 4], 0.5)).toBe(4);
    expect(quantile([2, 4], 0.5)).toBe(3);
    expect(quantile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11], 0.9)).toBe(10);
    expect(quantile([0, 10], 0.9)).toBe(9);
    expect(quantile([5], 0.9)).toBe(5);
    expect(quantile([], 0.5)).toBeNull();
  });
  it('has no rate or mean of nothing', () => {
    expect(rate(0, 0)).toBeNull();
    expect(rate(1, 4)).toBe(0.25);
    expect(mean([])).toBeNull();
    expect(round(mean([1, 2]), 2)).toBe(1.5);
  });
});
