import { problemKey, unknownProblemKey, type MessageCode } from '$lib/ui/problem';

/**
 * Problem codes the booking endpoints answer with (409 / 422 / 403 …), each explained to the
 * customer in their language under `problems.<code>` (in the booking's own words where it has them).
 */
export const BOOKING_PROBLEM_CODES = [
  'slot_unavailable',
  'outside_opening_hours',
  'lead_time',
  'horizon',
  'duration',
  'grid',
  'mode_not_offered',
  'qualification_required',
  'quota_exceeded',
  'blacklisted',
  'in_the_past',
  'instrument_unavailable',
  'no_hourly_rate',
  'operator_unavailable',
  'hold_limit_reached',
  'idempotency_mismatch',
  'hold_expired',
  'illegal_transition',
  'already_waiting',
  'slot_available',
  'series_conflict',
  'invalid_rule',
  'series_too_long',
  'forbidden',
  'not_found',
  'unauthorized',
  'unauthenticated',
  'validation_failed',
  'api_unavailable',
  'api_error',
] as const satisfies readonly MessageCode[];

export type BookingProblemCode = (typeof BOOKING_PROBLEM_CODES)[number];

export function isBookingProblemCode(code: string | null | undefined): code is BookingProblemCode {
  return !!code && (BOOKING_PROBLEM_CODES as readonly string[]).includes(code);
}

/** The message key for a problem code; an unknown code gets the general "could not book" text. */
export function bookingProblemKey(code: string | null | undefined): string {
  return (isBookingProblemCode(code) && problemKey(code, 'booking')) || unknownProblemKey('booking');
}
