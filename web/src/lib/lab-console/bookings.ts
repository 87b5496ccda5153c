import { addDays, zonedInstant } from '$lib/time';
import { BOOKING_STATUSES, type BookingStatus } from '$lib/booking/status';

/** Every status a booking can have, in lifecycle order (held → … → completed, then the exits). */
export const LAB_BOOKING_STATUSES = BOOKING_STATUSES;
export type LabBookingStatus = BookingStatus;

export function isBookingStatus(value: string | null | undefined): value is LabBookingStatus {
  return (LAB_BOOKING_STATUSES as readonly string[]).includes(value ?? '');
}

/** Badge class per status: the console colours a booking as the customer's pages do. */
export { statusTone as statusBadge } from '$lib/booking/status';

/** Check-in opens this long before the start (the API's rule; it has the last word). */
export const CHECK_IN_EARLY_MINUTES = 30;

export type LabAction = 'approve' | 'reject' | 'checkIn' | 'checkOut' | 'cancel';

interface ActionableBooking {
  status: string;
  start: string;
  end: string;
}

/**
 * What the lab can do with a booking now: approve or reject one awaiting approval, check in a
 * confirmed one from 30 minutes before its start until its end, check out one in use, and cancel
 * one that has not started. Buttons the API would refuse are not offered.
 */
export function labActions(b: ActionableBooking, now: Date): LabAction[] {
  const t = now.getTime();
  const start = Date.parse(b.start);
  const end = Date.parse(b.end);
  switch (b.status) {
    case 'pending_approval':
      return ['approve', 'reject', 'cancel'];
    case 'held':
      return ['cancel'];
    case 'confirmed':
      return t >= start - CHECK_IN_EARLY_MINUTES * 60_000 && t < end ? ['checkIn', 'cancel'] : ['cancel'];
    case 'in_use':
      return ['checkOut'];
    default:
      return [];
  }
}

export const LAB_BOOKING_TABS = ['pending', 'today', 'all'] as const;
export type LabBookingTab = (typeof LAB_BOOKING_TABS)[number];

export function parseTab(value: string | null | undefined): LabBookingTab {
  return (LAB_BOOKING_TABS as readonly string[]).includes(value ?? '') ? (value as LabBookingTab) : 'pending';
}

/** Days the "today & upcoming" tab looks ahead, today included. */
export const UPCOMING_DAYS = 7;

/** The instants the "today & upcoming" tab covers: local midnight today to midnight after the last day. */
export function upcomingWindow(today: string, timeZone: string, days = UPCOMING_DAYS) {
  return {
    from: zonedInstant(today, 0, timeZone),
    todayEnd: zonedInstant(addDays(today, 1), 0, timeZone),
    to: zonedInstant(addDays(today, days), 0, timeZone),
  };
}

/**
 * The tab's bookings, soonest first. Pending: every booking awaiting approval. Today & upcoming:
 * the work of the coming days (confirmed, in use, awaiting approval), plus what finished or was
 * missed today, and anything still in use whenever it started.
 */
export function bookingsForTab<T extends ActionableBooking>(
  items: readonly T[],
  tab: LabBookingTab,
  window: { from: Date; todayEnd: Date; to: Date },
  status?: LabBookingStatus,
): T[] {
  const from = window.from.getTime();
  const to = window.to.getTime();
  const upcoming = ['pending_approval', 'confirmed', 'in_use'];
  const today = ['completed', 'no_show'];
  const keep = (b: T) => {
    if (tab === 'pending') return b.status === 'pending_approval';
    if (tab === 'all') return !status || b.status === status;
    if (b.status === 'in_use') return true;
    const start = Date.parse(b.start);
    const end = Date.parse(b.end);
    if (upcoming.includes(b.status)) return end > from && start < to;
    if (today.includes(b.status)) return end > from && start < window.todayEnd.getTime();
    return false;
  };
  const out = items.filter(keep);
  return tab === 'all' ? out : out.sort((a, b) => Date.parse(a.start) - Date.parse(b.start));
}

export type ReasonParse = { ok: true; reason: string } | { ok: false; code: 'required' | 'too_short' | 'too_long' };

/** A rejection or block-lift reason: 2–500 characters after trimming (the API's bounds). */
export function parseReason(text: unknown): ReasonParse {
  const reason = typeof text === 'string' ? text.trim() : '';
  if (reason === '') return { ok: false, code: 'required' };
  if ([...reason].length < 2) return { ok: false, code: 'too_short' };
  if ([...reason].length > 500) return { ok: false, code: 'too_long' };
  return { ok: true, reason };
}

/** Booked minutes of a booking. */
export function bookedMinutes(b: { start: string; end: string }): number {
  return Math.round((Date.parse(b.end) - Date.parse(b.start)) / 60_000);
}

/** The rules a booking was made under, as its policy snapshot carries them. */
export interface PolicySnapshot {
  slotMinutes: number;
  minMinutes: number;
  maxMinutes: number;
  leadMinutes: number;
  horizonDays: number;
  setupMinutes: number;
  cleanupMinutes: number;
  modes: string[];
  requiresApproval: boolean;
  holdMinutes: number;
  cancellationCutoffMinutes: number;
  cancellationFeeBasisPoints: number;
  qualificationRequired: boolean;
  noShowGraceMinutes: number;
  lateVoidMinutes: number;
  quotaMinutesPerWeek: number | null;
}

const SNAPSHOT_NUMBERS = [
  'slotMinutes',
  'minMinutes',
  'maxMinutes',
  'leadMinutes',
  'horizonDays',
  'setupMinutes',
  'cleanupMinutes',
  'holdMinutes',
  'cancellationCutoffMinutes',
  'cancellationFeeBasisPoints',
] as const;

/**
 * The booking's policy snapshot when the API sends one (`policy` on the booking), else null.
 * Snapshots of older bookings may lack the newer fields; like the API, those read as the engine's
 * defaults (15 minutes' grace, void after 60, no qualification needed, no quota).
 */
export function policySnapshotOf(booking: object): PolicySnapshot | null {
  const p = (booking as { policy?: unknown }).policy;
  if (!p || typeof p !== 'object') return null;
  const r = p as Record<string, unknown>;
  if (!SNAPSHOT_NUMBERS.every((k) => typeof r[k] === 'number')) return null;
  const num = (k: string, fallback: number) => (typeof r[k] === 'number' ? (r[k] as number) : fallback);
  return {
    ...(Object.fromEntries(SNAPSHOT_NUMBERS.map((k) => [k, r[k] as number])) as Record<
      (typeof SNAPSHOT_NUMBERS)[number],
      number
    >),
    modes: Array.isArray(r.modes) ? r.modes.filter((m): m is string => typeof m === 'string') : [],
    requiresApproval: r.requiresApproval === true,
    qualificationRequired: r.qualificationRequired === true,
    noShowGraceMinutes: num('noShowGraceMinutes', 15),
    lateVoidMinutes: num('lateVoidMinutes', 60),
    quotaMinutesPerWeek: typeof r.quotaMinutesPerWeek === 'number' ? r.quotaMinutesPerWeek : null,
  };
}
