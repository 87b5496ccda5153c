import type { Money } from '$lib/types';
import { applyBasisPoints } from './price';

/** Every status a booking can have, in lifecycle order (held → … → completed, then the exits). */
export const BOOKING_STATUSES = [
  'held',
  'pending_approval',
  'confirmed',
  'in_use',
  'completed',
  'cancelled',
  'rejected',
  'expired',
  'no_show',
] as const;
export type BookingStatus = (typeof BOOKING_STATUSES)[number];

/** Statuses that hold time on the instrument. */
export const ACTIVE_STATUSES: readonly BookingStatus[] = ['held', 'pending_approval', 'confirmed', 'in_use'];

/** Badge colour per status (classes from app.css). */
export function statusTone(status: string): string {
  switch (status) {
    case 'held':
    case 'pending_approval':
      return 'badge-warn';
    case 'confirmed':
    case 'in_use':
      return 'badge-cma';
    case 'completed':
      return 'badge-cnas';
    case 'rejected':
    case 'no_show':
      return 'badge-danger';
    default:
      return 'badge-muted';
  }
}

export interface BookingLike {
  status: string;
  start: string;
  end: string;
  holdExpiresAt: string | null;
  price: Money;
  /** The booking's own cancellation terms, as the API snapshotted them (absent on old data). */
  cancellationTerms?: BookingCancellationTerms;
}

/** A booking's cancellation terms: free until `freeUntil`, then `feeBasisPoints` of the price. */
export interface BookingCancellationTerms {
  freeUntil: string;
  feeBasisPoints: number;
  cutoffMinutes: number;
}

export function isActive(status: string): boolean {
  return (ACTIVE_STATUSES as readonly string[]).includes(status);
}

/** Upcoming: still holding time that has not ended yet; everything else is history. */
export function isUpcoming(b: BookingLike, now: Date): boolean {
  return isActive(b.status) && Date.parse(b.end) > now.getTime();
}

/** Splits a list into upcoming (soonest first) and past (latest first). */
export function splitBookings<T extends BookingLike>(items: T[], now: Date): { upcoming: T[]; past: T[] } {
  const upcoming = items.filter((b) => isUpcoming(b, now)).sort((a, b) => a.start.localeCompare(b.start));
  const past = items.filter((b) => !isUpcoming(b, now)).sort((a, b) => b.start.localeCompare(a.start));
  return { upcoming, past };
}

/** Seconds a hold has left (0 when it has run out or there is none). */
export function holdSecondsLeft(holdExpiresAt: string | null, now: Date): number {
  if (!holdExpiresAt) return 0;
  return Math.max(0, Math.floor((Date.parse(holdExpiresAt) - now.getTime()) / 1000));
}

/** 872 → "14:32". */
export function countdownText(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

export interface BookingActions {
  confirm: boolean;
  cancel: boolean;
  reschedule: boolean;
  calendar: boolean;
}

/** What the customer may do with a booking now (the API has the last word on each). */
export function actionsFor(b: BookingLike, now: Date): BookingActions {
  const notStarted = Date.parse(b.start) > now.getTime();
  return {
    confirm: b.status === 'held' && holdSecondsLeft(b.holdExpiresAt, now) > 0,
    cancel: ['held', 'pending_approval', 'confirmed'].includes(b.status) && notStarted,
    reschedule: ['held', 'pending_approval', 'confirmed'].includes(b.status) && notStarted,
    calendar: ['held', 'pending_approval', 'confirmed', 'in_use', 'completed'].includes(b.status),
  };
}

export interface CancellationTerms {
  cancellationCutoffMinutes: number;
  cancellationFeeBasisPoints: number;
}

/**
 * What cancelling now would cost, as the API computes it: nothing for a hold (not yet a
 * commitment); otherwise, after the booking's free period (its own terms: a moved booking's ends at
 * the cut-off before the earlier start) the fee share of the price. Without the booking's terms,
 * the instrument's `terms` before its start; null fee when neither is known.
 */
export function cancellationPreview(
  b: BookingLike,
  terms: CancellationTerms | null,
  now: Date,
): { late: boolean | null; fee: Money | null; freeUntil: string | null } {
  const free = { late: false, fee: { amount: 0, currency: b.price.currency }, freeUntil: null };
  if (b.status === 'held') return free;
  const own = b.cancellationTerms;
  const rule = own
    ? { freeUntil: Date.parse(own.freeUntil), bp: own.feeBasisPoints }
    : terms
      ? {
          freeUntil: Date.parse(b.start) - terms.cancellationCutoffMinutes * 60_000,
          bp: terms.cancellationFeeBasisPoints,
        }
      : null;
  if (!rule) return { late: null, fee: null, freeUntil: null };
  // A fee of nothing has no deadline worth naming.
  const until = rule.bp > 0 ? new Date(rule.freeUntil).toISOString() : null;
  if (now.getTime() <= rule.freeUntil) return { ...free, freeUntil: until };
  return {
    late: true,
    fee: { amount: applyBasisPoints(b.price.amount, rule.bp), currency: b.price.currency },
    freeUntil: until,
  };
}

/**
 * The step a booking's progress marks as current: a state that is an outcome (`confirmed`: the
 * booking is in force; `completed`) is ticked itself, so the mark moves to the step after it; a
 * state that is still under way (held, awaiting the lab, in use) is the current step. -1 when the
 * status is not on the way (cancelled, rejected, expired, no-show).
 */
export function stepReached(steps: readonly string[], status: string): number {
  const at = steps.indexOf(status);
  if (at < 0) return -1;
  return status === 'confirmed' || status === 'completed' ? at + 1 : at;
}

/**
 * When free cancellation of a committed booking ends once it is moved to `newStart`: the earlier
 * start decides — the cut-off before the new start, never later than the booking's own deadline
 * (as the API carries the terms over).
 */
export function freeUntilAfterMove(terms: BookingCancellationTerms, newStart: string): string {
  const next = Date.parse(newStart) - terms.cutoffMinutes * 60_000;
  return new Date(Math.min(Date.parse(terms.freeUntil), next)).toISOString();
}
