import { describe, expect, it } from 'vitest';
import { barSegments, filterQueue, hours, presets, queueFilter, type Discrepancy } from './figures';

describe('the reconciliation page’s helpers', () => {
  it('offers this month so far and the whole of last month, in China dates', () => {
    // 1 January 01:00 in China is still 31 December in UTC.
    expect(presets(new Date('2026-12-31T17:00:00Z'))).toEqual({
      thisMonth: { from: '2027-01-01', to: '2027-01-01' },
      lastMonth: { from: '2026-12-01', to: '2026-12-31' },
    });
    expect(presets(new Date('2027-03-15T04:00:00Z')).lastMonth).toEqual({ from: '2027-02-01', to: '2027-02-28' });
  });

  it('reads the queue filters from the address, open by default', () => {
    expect(queueFilter(new URLSearchParams(''))).toEqual({ kind: null, state: 'open' });
    expect(queueFilter(new URLSearchParams('kind=invoice_overdue&state=resolved'))).toEqual({
      kind: 'invoice_overdue',
      state: 'resolved',
    });
    expect(queueFilter(new URLSearchParams('kind=<script>&state=nope'))).toEqual({ kind: null, state: 'open' });
  });

  it('filters by kind and by open or resolved', () => {
    const d = (kind: string, resolvedAt: string | null) => ({ kind, resolvedAt }) as Discrepancy;
    const items = [
      d('invoice_overdue', null),
      d('invoice_overdue', '2026-12-01T00:00:00Z'),
      d('bank_line_unmatched', null),
    ];
    expect(filterQueue(items, { kind: null, state: 'open' })).toHaveLength(2);
    expect(filterQueue(items, { kind: 'invoice_overdue', state: 'resolved' })).toEqual([items[1]]);
    expect(filterQueue(items, { kind: 'invoice_overdue', state: 'all' })).toHaveLength(2);
  });

  it('shows minutes as hours and ageing bars against the widest row', () => {
    expect(hours(90)).toBe(1.5);
    expect(hours(0)).toBe(0);
    const row = { notDue: 100, days0to30: 0, days31to60: 50, days61to90: 0, over90: 1 };
    expect(barSegments(row, 200)).toEqual([
      { bucket: 'notDue', amount: 100, percent: 50 },
      { bucket: 'days31to60', amount: 50, percent: 25 },
      { bucket: 'over90', amount: 1, percent: 0.5 },
    ]);
    expect(barSegments(row, 0)).toEqual([]);
  });
});
