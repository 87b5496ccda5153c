import { describe, expect, it } from 'vitest';
import { rateShares, ratesLabel } from './amounts.ts';

describe('rateShares', () => {
  it('takes the 6 % VAT out of a VAT-inclusive amount', () => {
    expect(rateShares([{ amountFen: 106_00, taxRateBp: 600 }], 106_00)).toEqual([
      { rateBp: 600, amountFen: 106_00, taxFen: 6_00 },
    ]);
  });

  it('groups lines by rate and shares a credited-down net in proportion, adding up exactly', () => {
    const shares = rateShares(
      [
        { amountFen: 10_000, taxRateBp: 600 },
        { amountFen: 5_000, taxRateBp: 600 },
        { amountFen: 10_001, taxRateBp: 1300 },
      ],
      20_000,
    );
    expect(shares.map((s) => s.rateBp)).toEqual([600, 1300]);
    expect(shares.reduce((s, x) => s + x.amountFen, 0)).toBe(20_000);
    expect(ratesLabel(shares)).toBe('6%/13%');
  });

  it('has nothing to share when nothing is left', () => {
    expect(rateShares([{ amountFen: 100, taxRateBp: 600 }], 0)).toEqual([]);
  });
});
