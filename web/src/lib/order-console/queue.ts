/**
 * The lab's order queue: which tab each status sits under, the order a queue is read in, and when
 * an order is overdue. Pure functions, so the page and its tests agree.
 */

import { ORDER_STATUSES, type OrderStatus } from '$lib/types';

export { ORDER_STATUSES, type OrderStatus };

export function isOrderStatus(value: unknown): value is OrderStatus {
  return typeof value === 'string' && (ORDER_STATUSES as readonly string[]).includes(value);
}

/**
 * Tabs of the queue, in the order work flows. "accepted" lasts only inside the acceptance (it moves
 * on to awaiting samples or into work at once), so it sits with awaiting samples; the three ends
 * share one tab.
 */
export const QUEUE_TABS = {
  requested: ['requested'],
  quoted: ['quoted'],
  awaiting_samples: ['accepted', 'awaiting_samples'],
  samples_received: ['samples_received'],
  in_progress: ['in_progress'],
  report_review: ['report_review'],
  report_issued: ['report_issued'],
  done: ['closed', 'cancelled', 'expired'],
} as const satisfies Record<string, readonly OrderStatus[]>;
export type QueueTab = keyof typeof QUEUE_TABS;
export const QUEUE_TAB_KEYS = Object.keys(QUEUE_TABS) as QueueTab[];
/** Tabs of orders still in the lab's hands (counted on every visit). */
export const OPEN_TABS: readonly QueueTab[] = QUEUE_TAB_KEYS.filter((t) => t !== 'done');
export const OPEN_STATUSES: readonly OrderStatus[] = OPEN_TABS.flatMap((t) => QUEUE_TABS[t]);

export function parseQueueTab(value: string | null | undefined): QueueTab {
  return value && (QUEUE_TAB_KEYS as readonly string[]).includes(value) ? (value as QueueTab) : 'requested';
}

export function tabOf(status: OrderStatus): QueueTab {
  return QUEUE_TAB_KEYS.find((t) => (QUEUE_TABS[t] as readonly string[]).includes(status)) ?? 'done';
}

/** Statuses in which the turnaround clock runs: the due date matters and can be missed. */
export const CLOCK_STATUSES: readonly OrderStatus[] = ['samples_received', 'in_progress', 'report_review'];

export function isOverdue(order: { status: string; dueAt: string | null }, now: Date): boolean {
  if (!order.dueAt || !(CLOCK_STATUSES as readonly string[]).includes(order.status)) return false;
  return Date.parse(order.dueAt) < now.getTime();
}

export interface QueueOrder {
  id: string;
  status: string;
  dueAt: string | null;
  createdAt: string;
}

/**
 * One tab's rows in working order: overdue first, then by due date (soonest first; none last),
 * then oldest request first — the order a lab works through its queue.
 */
export function sortQueue<T extends QueueOrder>(items: readonly T[], now: Date): T[] {
  return [...items].sort((a, b) => {
    const oa = isOverdue(a, now) ? 0 : 1;
    const ob = isOverdue(b, now) ? 0 : 1;
    if (oa !== ob) return oa - ob;
    const da = a.dueAt ? Date.parse(a.dueAt) : Number.POSITIVE_INFINITY;
    const db = b.dueAt ? Date.parse(b.dueAt) : Number.POSITIVE_INFINITY;
    if (da !== db) return da - db;
    return Date.parse(a.createdAt) - Date.parse(b.createdAt);
  });
}

/** Orders grouped under their tabs (every tab present, possibly empty), each tab sorted for work. */
export function groupQueue<T extends QueueOrder>(items: readonly T[], now: Date): Record<QueueTab, T[]> {
  const out = Object.fromEntries(QUEUE_TAB_KEYS.map((t) => [t, [] as T[]])) as Record<QueueTab, T[]>;
  const seen = new Set<string>();
  for (const o of items) {
    if (seen.has(o.id) || !isOrderStatus(o.status)) continue;
    seen.add(o.id);
    out[tabOf(o.status)].push(o);
  }
  for (const t of QUEUE_TAB_KEYS) out[t] = sortQueue(out[t], now);
  return out;
}
