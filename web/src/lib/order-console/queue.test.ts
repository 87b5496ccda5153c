import { describe, expect, it } from 'vitest';
import {
  groupQueue,
  isOverdue,
  parseQueueTab,
  QUEUE_TAB_KEYS,
  QUEUE_TABS,
  sortQueue,
  tabOf,
  ORDER_STATUSES,
} from './queue';

const NOW = new Date('2026-12-01T04:00:00Z');
const o = (id: string, status: string, dueAt: string | null = null, createdAt = '2026-11-20T00:00:00Z') => ({
  id,
  status,
  dueAt,
  createdAt,
});

describe('queue tabs', () => {
  it('puts every status under exactly one tab', () => {
    for (const s of ORDER_STATUSES) {
      expect(QUEUE_TAB_KEYS.filter((t) => (QUEUE_TABS[t] as readonly string[]).includes(s))).toHaveLength(1);
    }
    expect(tabOf('accepted')).toBe('awaiting_samples');
    expect(tabOf('expired')).toBe('done');
    expect(tabOf('cancelled')).toBe('done');
    expect(tabOf('report_review')).toBe('report_review');
  });

  it('reads a tab from the address and falls back to new requests', () => {
    expect(parseQueueTab('in_progress')).toBe('in_progress');
    expect(parseQueueTab('done')).toBe('done');
    expect(parseQueueTab('toString')).toBe('requested');
    expect(parseQueueTab(null)).toBe('requested');
    expect(parseQueueTab('bogus')).toBe('requested');
  });
});

describe('isOverdue', () => {
  it('flags only orders whose clock runs and whose due date has passed', () => {
    expect(isOverdue(o('a', 'in_progress', '2026-12-01T03:59:00Z'), NOW)).toBe(true);
    expect(isOverdue(o('a', 'report_review', '2026-11-30T00:00:00Z'), NOW)).toBe(true);
    expect(isOverdue(o('a', 'in_progress', '2026-12-01T04:01:00Z'), NOW)).toBe(false);
    expect(isOverdue(o('a', 'in_progress', null), NOW)).toBe(false);
    // Issued late is recorded on the order, not flagged in the queue any more.
    expect(isOverdue(o('a', 'report_issued', '2026-11-01T00:00:00Z'), NOW)).toBe(false);
    expect(isOverdue(o('a', 'awaiting_samples', '2026-11-01T00:00:00Z'), NOW)).toBe(false);
  });
});

describe('groupQueue', () => {
  it('groups by tab, drops duplicates and unknown statuses, overdue first then soonest due', () => {
    const items = [
      o('1', 'in_progress', '2026-12-05T00:00:00Z'),
      o('2', 'in_progress', null, '2026-11-01T00:00:00Z'),
      o('3', 'in_progress', '2026-11-30T00:00:00Z'),
      o('4', 'in_progress', '2026-12-03T00:00:00Z'),
      o('4', 'in_progress', '2026-12-03T00:00:00Z'),
      o('5', 'accepted'),
      o('6', 'awaiting_samples'),
      o('7', 'closed'),
      o('8', 'nonsense'),
    ];
    const g = groupQueue(items, NOW);
    expect(g.in_progress.map((x) => x.id)).toEqual(['3', '4', '1', '2']);
    expect(g.awaiting_samples.map((x) => x.id).sort()).toEqual(['5', '6']);
    expect(g.done.map((x) => x.id)).toEqual(['7']);
    expect(g.requested).toEqual([]);
    expect(Object.values(g).flat()).toHaveLength(7);
  });

  it('orders undated rows oldest request first', () => {
    const rows = sortQueue(
      [o('b', 'requested', null, '2026-11-22T00:00:00Z'), o('a', 'requested', null, '2026-11-21T00:00:00Z')],
      NOW,
    );
    expect(rows.map((r) => r.id)).toEqual(['a', 'b']);
  });
});
