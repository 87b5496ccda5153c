import { localDateOf } from '$lib/time';
/**
 * Calibration due dates as the customer sees them: calendar days from today (a China date) to the
 * next due date, and the status the list highlights. The API answers the same figures; the page
 * recomputes them only when it has to (a record without them), so both agree on the rules.
 */
export const RECALL_WINDOW_DAYS = 30;

export type DueStatus = 'ok' | 'due_soon' | 'overdue';

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

function dayNumber(iso: string): number {
  const m = ISO_DATE.exec(iso.slice(0, 10));
  if (!m) throw new RangeError(`not a date: ${iso}`);
  return Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!) / 86_400_000;
}

/** Whole calendar days from `today` to `dueOn`: 0 on the due day, negative once it has passed. */
export function daysLeft(today: string, dueOn: string): number {
  return dayNumber(dueOn) - dayNumber(today);
}

/** Overdue after the due date; due soon within the recall window (the due day included); ok before. */
export function dueStatus(days: number, windowDays = RECALL_WINDOW_DAYS): DueStatus {
  if (days < 0) return 'overdue';
  if (days <= windowDays) return 'due_soon';
  return 'ok';
}

/** Today's date in China (`YYYY-MM-DD`), whatever zone the server runs in. */
export function chinaToday(now: Date): string {
  return localDateOf(now, 'Asia/Shanghai');
}

/** The local calendar date of an instant in a zone (the booking pages' helper). */
export { localDateOf as localDate };

/** Message key and count for "days left": due today, N days left, N days overdue. */
export function daysLeftText(days: number): { key: 'dueToday' | 'daysLeft' | 'daysOverdue'; count: number } {
  if (days === 0) return { key: 'dueToday', count: 0 };
  return days > 0 ? { key: 'daysLeft', count: days } : { key: 'daysOverdue', count: -days };
}

const ORDER: Record<DueStatus, number> = { overdue: 0, due_soon: 1, ok: 2 };

/** Most urgent first: overdue, then due soon, then the rest, each by next due date. */
export function byUrgency<T extends { status: DueStatus; nextDueOn: string }>(records: readonly T[]): T[] {
  return [...records].sort((a, b) => ORDER[a.status] - ORDER[b.status] || a.nextDueOn.localeCompare(b.nextDueOn));
}
