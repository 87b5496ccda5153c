import { DateTime } from 'luxon';
import { PLATFORM_TIME_ZONE } from '../../lib/time.ts';

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

/** "YYYY-MM-DD" + whole months, in China dates. */
export function addMonths(isoDate: string, months: number): string {
  return DateTime.fromISO(isoDate, { zone: PLATFORM_TIME_ZONE }).plus({ months }).toISODate()!;
}

/** The calibration interval a line asks for, in months (12 unless it names 1–120). */
export function intervalMonthsOf(details: Record<string, unknown>): number {
  const v = Number(details.intervalMonths);
  return Number.isInteger(v) && v >= 1 && v <= 120 ? v : 12;
}
