import { describe, expect, it } from 'vitest';
import { isOpenRequest, parseKindFilter } from './officer';

describe('isOpenRequest', () => {
  it('counts assistance open until resolved, orders until closed, cancelled or expired', () => {
    expect(isOpenRequest('assistance', 'open')).toBe(true);
    expect(isOpenRequest('assistance', 'in_progress')).toBe(true);
    expect(isOpenRequest('assistance', 'resolved')).toBe(false);
    expect(isOpenRequest('order', 'report_issued')).toBe(true);
    expect(isOpenRequest('order', 'cancelled')).toBe(false);
    expect(isOpenRequest('order', 'expired')).toBe(false);
  });
  it('reads the kind filter', () => {
    expect(parseKindFilter('order')).toBe('order');
    expect(parseKindFilter('x')).toBeNull();
  });
});
