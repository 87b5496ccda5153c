/** Calibration due dates, counted in China dates (YYYY-MM-DD). */
export const RECALL_WINDOW_DAYS = 30;

export type CalibrationStatus = 'ok' | 'due_soon' | 'overdue';

const dayNumber = (iso: string) => Date.UTC(+iso.slice(0, 4), +iso.slice(5, 7) - 1, +iso.slice(8, 10)) / 86_400_000;

/** Whole days from `today` to `dueOn` (negative once it has passed). */
export function daysBetween(today: string, dueOn: string): number {
  return dayNumber(dueOn) - dayNumber(today);
}

/** Overdue after the due date; due soon within the recall window (the due day itself included). */
export function calibrationStatus(daysLeft: number): CalibrationStatus {
  if (daysLeft < 0) return 'overdue';
  if (daysLeft <= RECALL_WINDOW_DAYS) return 'due_soon';
  return 'ok';
}

/** `iso` plus `days` calendar days. */
export function addDays(iso: string, days: number): string {
  return new Date((dayNumber(iso) + days) * 86_400_000).toISOString().slice(0, 10);
}
