import { describe, expect, it } from 'vitest';
import { outsideSeries } from './series';

describe('outsideSeries (我的预约: each booking once)', () => {
  const b = (id: string) => ({ id });
  it('leaves out the bookings a shown series groups, keeps the others in order', () => {
    const series = [{ bookings: [b('s1'), b('s2'), b('s3-past')] }];
    expect(outsideSeries([b('a'), b('s1'), b('c'), b('s2')], series)).toEqual([b('a'), b('c')]);
  });
  it('keeps every booking when no series could be shown', () => {
    expect(outsideSeries([b('a'), b('s1')], [])).toEqual([b('a'), b('s1')]);
  });
});
