import { parseLocalDateTime, toLocalDateTime } from '$lib/time';
import type { FieldErrors } from '$lib/types';
import { EVENT_ZONE } from './events';

/** One session's boxes as typed: China wall-clock times (`datetime-local`) and a seat count. */
export interface SessionFormValues {
  startsAt: string;
  endsAt: string;
  seats: string;
}

export function sessionValues(s: { startsAt: string; endsAt: string; seats: number }): SessionFormValues {
  return {
    startsAt: toLocalDateTime(new Date(s.startsAt), EVENT_ZONE),
    endsAt: toLocalDateTime(new Date(s.endsAt), EVENT_ZONE),
    seats: String(s.seats),
  };
}

export function readSessionForm(form: FormData): SessionFormValues {
  const s = (name: string) => {
    const v = form.get(name);
    return typeof v === 'string' ? v.trim() : '';
  };
  return { startsAt: s('startsAt'), endsAt: s('endsAt'), seats: s('seats') };
}

/**
 * The boxes → the API's session body (instants in UTC). What the browser can tell — a time that is
 * no time, an end not after the start, a seat count that is no whole number — is said beside the
 * box; whether the start is still to come is the API's call (its clock, not this one).
 */
export function parseSessionForm(
  v: SessionFormValues,
): { ok: true; body: { startsAt: string; endsAt: string; seats: number } } | { ok: false; fieldErrors: FieldErrors } {
  const fieldErrors: FieldErrors = {};
  const start = parseLocalDateTime(v.startsAt, EVENT_ZONE);
  const end = parseLocalDateTime(v.endsAt, EVENT_ZONE);
  if (!start) fieldErrors.startsAt = { code: v.startsAt ? 'invalid_format' : 'required', message: 'A date and time' };
  if (!end) fieldErrors.endsAt = { code: v.endsAt ? 'invalid_format' : 'required', message: 'A date and time' };
  if (start && end && end <= start) fieldErrors.endsAt = { code: 'invalid_session', message: 'After the start' };
  const seats = /^\d{1,5}$/.test(v.seats) ? Number(v.seats) : NaN;
  if (!(seats >= 1 && seats <= 10_000)) {
    fieldErrors.seats = { code: v.seats ? 'invalid_number' : 'required', message: 'A whole number, 1 or more' };
  }
  if (Object.keys(fieldErrors).length > 0) return { ok: false, fieldErrors };
  return { ok: true, body: { startsAt: start!.toISOString(), endsAt: end!.toISOString(), seats } };
}
