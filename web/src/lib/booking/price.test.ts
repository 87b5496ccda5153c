import { describe, expect, it } from 'vitest';
import type { Me } from '$lib/types';
import { applyBasisPoints, percentText, priceForMinutes, priceText, slotPrice, tierFor } from './price';

const rates = {
  internalHour: { amount: 30000, currency: 'CNY' },
  externalHour: { amount: 60000, currency: 'CNY' },
};

function userIn(...orgIds: string[]): Me {
  return {
    memberships: orgIds.map((orgId) => ({ orgId })),
  } as unknown as Me;
}

describe('tier and price', () => {
  it('charges an SME the external rate and the lab its own internal rate', () => {
    expect(tierFor(userIn('sme-org'), 'lab-1')).toBe('external');
    expect(tierFor(null, 'lab-1')).toBe('external');
    expect(tierFor(userIn('lab-1'), 'lab-1')).toBe('internal');
    expect(slotPrice(rates, 'external', 120)?.price).toEqual({ amount: 120000, currency: 'CNY' });
    expect(slotPrice(rates, 'internal', 90)?.price).toEqual({ amount: 45000, currency: 'CNY' });
    expect(slotPrice({ internalHour: null, externalHour: null }, 'external', 60)).toBeNull();
  });

  it('rounds to the fen as the API does (half up)', () => {
    expect(priceForMinutes(33333, 30)).toBe(16667); // 16666.5 fen
    expect(priceForMinutes(10001, 30)).toBe(5001); // 5000.5
    expect(priceForMinutes(59999, 60)).toBe(59999);
  });

  it('prints yuan with fen', () => {
    expect(priceText({ amount: 16667, currency: 'CNY' }, 'zh-CN')).toBe('¥166.67');
    expect(priceText({ amount: 120000, currency: 'CNY' }, 'en')).toBe('¥1,200.00');
  });

  it('takes a share in basis points, half away from zero', () => {
    expect(applyBasisPoints(120000, 5000)).toBe(60000);
    expect(applyBasisPoints(16667, 5000)).toBe(8334); // 8333.5
    expect(applyBasisPoints(99, 1250)).toBe(12); // 12.375
    expect(percentText(5000)).toBe('50');
    expect(percentText(1250)).toBe('12.5');
  });
});
