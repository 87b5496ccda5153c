import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { itemInScope, normaliseStandard } from './scope.ts';

const scope = [{ parameterZh: '中性盐雾试验', standardCode: 'GB/T 10125-2021' }];

describe('scope marking', () => {
  it('treats spacing, case and dash variants of a standard number as the same standard', () => {
    for (const code of ['GB/T 10125-2021', 'GB/T10125—2021', 'gb/t 10125－2021', 'GB/T　10125–2021']) {
      expect(itemInScope({ parameterZh: '中性盐雾试验', standardCode: code }, scope)).toBe(true);
    }
  });

  it('needs the parameter to match when the item names one', () => {
    expect(itemInScope({ parameterZh: '铜加速乙酸盐雾试验', standardCode: 'GB/T 10125-2021' }, scope)).toBe(false);
    expect(itemInScope({ parameterZh: '', standardCode: 'GB/T 10125-2021' }, scope)).toBe(true);
  });

  it('never matches another year of the same standard, or an empty standard', () => {
    expect(itemInScope({ parameterZh: '中性盐雾试验', standardCode: 'GB/T 10125-2012' }, scope)).toBe(false);
    expect(itemInScope({ parameterZh: '中性盐雾试验', standardCode: '  ' }, scope)).toBe(false);
  });

  it('normalising is idempotent', () => {
    fc.assert(fc.property(fc.string(), (s) => normaliseStandard(normaliseStandard(s)) === normaliseStandard(s)));
  });
});
