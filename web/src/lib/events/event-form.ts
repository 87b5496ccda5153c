/**
 * The lab console's "new event" form → the API's body. Session rows whose boxes are all empty are
 * left out; times are read as China time (the `datetime-local` boxes carry no zone); the fee is
 * typed in yuan and sent in fen.
 */
import { parseLocalDateTime } from '$lib/time';
import { parseYuan } from '$lib/money';
import { EVENT_ZONE, isEventKind, type EventKind } from './events';

export const SESSION_ROWS = 4;

export interface EventFormValues {
  kind: string;
  titleZh: string;
  titleEn: string;
  descriptionZh: string;
  descriptionEn: string;
  venueZh: string;
  regionCode: string;
  fee: string;
  sessions: { startsAt: string; endsAt: string; seats: string }[];
}

export interface EventBody {
  kind: EventKind;
  titleZh: string;
  titleEn?: string;
  descriptionZh?: string;
  descriptionEn?: string;
  venueZh?: string;
  regionCode?: string;
  feeFen: number;
  sessions: { startsAt: string; endsAt: string; seats: number }[];
}

export type EventFormResult = { ok: true; body: EventBody } | { ok: false; code: string; field: string };

export function readEventForm(form: FormData, rows = SESSION_ROWS): EventFormValues {
  const s = (name: string) => {
    const v = form.get(name);
    return typeof v === 'string' ? v.trim() : '';
  };
  return {
    kind: s('kind'),
    titleZh: s('titleZh'),
    titleEn: s('titleEn'),
    descriptionZh: s('descriptionZh'),
    descriptionEn: s('descriptionEn'),
    venueZh: s('venueZh'),
    regionCode: s('regionCode'),
    fee: s('fee'),
    sessions: Array.from({ length: rows }, (_, i) => ({
      startsAt: s(`startsAt${i}`),
      endsAt: s(`endsAt${i}`),
      seats: s(`seats${i}`),
    })),
  };
}

export type EventDetails = Omit<EventBody, 'sessions'>;

/**
 * The event's own fields (no sessions) → the API's body. Emptied optional texts are sent as ''
 * when `clearing` (an edit clears them), left out otherwise (a new event has nothing to clear).
 */
export function parseEventDetails(
  v: Omit<EventFormValues, 'sessions'>,
  clearing = false,
): { ok: true; body: EventDetails } | { ok: false; code: string; field: string } {
  if (!isEventKind(v.kind)) return { ok: false, code: 'validation_failed', field: 'kind' };
  if (v.titleZh.length < 2) return { ok: false, code: 'validation_failed', field: 'titleZh' };
  const fee = parseYuan(v.fee);
  if (!fee.ok) return { ok: false, code: 'invalid_fee', field: 'fee' };
  if (v.regionCode && !/^\d{6}$/.test(v.regionCode))
    return { ok: false, code: 'validation_failed', field: 'regionCode' };
  const body: EventDetails = { kind: v.kind, titleZh: v.titleZh, feeFen: fee.fen ?? 0 };
  for (const key of ['titleEn', 'descriptionZh', 'descriptionEn', 'venueZh'] as const) {
    if (v[key] || clearing) body[key] = v[key];
  }
  // A region cannot be "cleared" to '' (the API wants a code), so an empty box leaves it as it is.
  if (v.regionCode) body.regionCode = v.regionCode;
  return { ok: true, body };
}

export function parseEventForm(v: EventFormValues, timeZone = EVENT_ZONE): EventFormResult {
  const details = parseEventDetails(v);
  if (!details.ok) return details;
  const sessions: EventBody['sessions'] = [];
  for (const [i, row] of v.sessions.entries()) {
    if (!row.startsAt && !row.endsAt && !row.seats) continue;
    const start = parseLocalDateTime(row.startsAt, timeZone);
    const end = parseLocalDateTime(row.endsAt, timeZone);
    if (!start || !end || end <= start) return { ok: false, code: 'invalid_session', field: `session${i}` };
    if (!/^\d{1,5}$/.test(row.seats) || Number(row.seats) < 1)
      return { ok: false, code: 'validation_failed', field: `session${i}` };
    sessions.push({ startsAt: start.toISOString(), endsAt: end.toISOString(), seats: Number(row.seats) });
  }
  if (sessions.length === 0) return { ok: false, code: 'no_sessions', field: 'session0' };
  return { ok: true, body: { ...details.body, sessions } };
}
