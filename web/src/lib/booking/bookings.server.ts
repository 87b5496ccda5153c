import { fail, redirect } from '@sveltejs/kit';
import type { Api } from '$lib/server/api';
import { bookingFeatures } from './features.server';
import type { Me, Problem } from '$lib/types';
import type { Booking, BookingPolicy, InstrumentBrief, TrainingRecord, WaitlistEntry } from '$lib/booking/types';

/** The problem code of a refused call ('api_error' for a 5xx without one). */
export function problemCode(error: unknown, status: number): string {
  const code = (error as Partial<Problem> | undefined)?.code;
  if (code) return code;
  if (status === 401) return 'unauthorized';
  if (status === 403) return 'forbidden';
  if (status === 404) return 'not_found';
  return status >= 500 ? 'api_error' : 'unknown';
}

/** Booking pages are for signed-in people: anyone else goes to login and comes back. */
export function requireUser(locals: App.Locals, url: URL): Me {
  if (!locals.user) redirect(303, `/login?redirect=${encodeURIComponent(url.pathname + url.search)}`);
  return locals.user;
}

/** The instrument's booking policy, or null when the API does not show it to this caller. */
export async function loadPolicy(api: Api, instrumentId: string): Promise<BookingPolicy | null> {
  if (!bookingFeatures.policy) return null;
  const { data } = await api.GET('/v1/instruments/{id}/booking-policy', { params: { path: { id: instrumentId } } });
  return data ?? null;
}

/** The caller's training records (qualifications), or null when they cannot be read. */
export async function loadTrainingRecords(api: Api): Promise<TrainingRecord[] | null> {
  if (!bookingFeatures.trainingRecords) return null;
  const { data } = await api.GET('/v1/me/training-records');
  return data?.items ?? null;
}

/** Every booking of the caller's organisations where one of them is the customer (at most 1,000). */
export async function myBookings(api: Api, user: Me): Promise<Booking[]> {
  const mine = new Set(user.memberships.map((m) => m.orgId));
  const out: Booking[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < 10; page++) {
    const { data } = await api.GET('/v1/bookings', { params: { query: { limit: 100, cursor } } });
    if (!data) break;
    out.push(...data.items.filter((b) => mine.has(b.customerOrgId)));
    if (!data.nextCursor) break;
    cursor = data.nextCursor;
  }
  return out;
}

/** Names, lab and time zone of the instruments a list mentions (one call per instrument). */
export async function instrumentBriefs(api: Api, ids: Iterable<string>): Promise<Record<string, InstrumentBrief>> {
  const unique = [...new Set(ids)];
  const found = await Promise.all(
    unique.map(async (id) => {
      const { data } = await api.GET('/v1/instruments/{id}', { params: { path: { id } } });
      if (!data) return null;
      const brief: InstrumentBrief = {
        id,
        nameZh: data.nameZh,
        nameEn: data.nameEn,
        labNameZh: data.lab.nameZh,
        labNameEn: data.lab.nameEn,
        timeZone: data.site.timeZone,
      };
      return brief;
    }),
  );
  return Object.fromEntries(found.filter((b): b is InstrumentBrief => !!b).map((b) => [b.id, b]));
}

/** Policies of the instruments in a list, for the cancellation fee preview. */
export async function policiesOf(api: Api, ids: Iterable<string>): Promise<Record<string, BookingPolicy>> {
  const unique = [...new Set(ids)];
  const policies = await Promise.all(unique.map(async (id) => [id, await loadPolicy(api, id)] as const));
  return Object.fromEntries(policies.filter((p): p is [string, BookingPolicy] => !!p[1]));
}

/** The caller's waitlist entries, or null when the waitlist cannot be read. */
export async function myWaitlist(api: Api): Promise<WaitlistEntry[] | null> {
  if (!bookingFeatures.waitlist) return null;
  const { data } = await api.GET('/v1/waitlist');
  return data?.items ?? null;
}

/** Whether the caller's calendar feed is on (its link is shown only when made), or null when it cannot be read. */
export async function calendarFeed(api: Api): Promise<{ active: boolean; createdAt: string | null } | null> {
  if (!bookingFeatures.calendarFeed) return null;
  const { data } = await api.GET('/v1/calendar/feed');
  return data ? { active: data.active, createdAt: data.createdAt ?? null } : null;
}

export type ActionOutcome = { ok: true; booking: Booking } | { ok: false; status: number; code: string };

/** confirm / cancel on one booking. */
export async function bookingTransition(api: Api, verb: 'confirm' | 'cancel', id: string): Promise<ActionOutcome> {
  const path = verb === 'confirm' ? '/v1/bookings/{id}/confirm' : '/v1/bookings/{id}/cancel';
  const { data, error, response } = await api.POST(path, { params: { path: { id } } });
  if (data) return { ok: true, booking: data };
  return { ok: false, status: response.status, code: problemCode(error, response.status) };
}

/** A 4xx for the form, never a 5xx page: the API's failure is explained beside the button. */
export function formStatus(status: number): number {
  return status >= 500 || status < 400 ? 502 : status;
}

/**
 * The confirm and cancel form actions of the booking pages: the booking id from the form, the
 * API's answer as a flash on `back`, or its problem code beside the buttons.
 */
export async function transitionAction(
  event: { request: Request; locals: App.Locals; url: URL },
  verb: 'confirm' | 'cancel',
  back: (booking: Booking) => string,
) {
  requireUser(event.locals, event.url);
  const form = await event.request.formData();
  const id = form.get('id');
  if (typeof id !== 'string' || !id) return fail(400, { action: verb, code: 'validation_failed', id: null });
  const outcome = await bookingTransition(event.locals.api, verb, id);
  if (!outcome.ok) return fail(formStatus(outcome.status), { action: verb, code: outcome.code, id });
  const flash =
    verb === 'cancel' ? 'cancelled' : outcome.booking.status === 'pending_approval' ? 'pending' : 'confirmed';
  const target = back(outcome.booking);
  redirect(303, `${target}${target.includes('?') ? '&' : '?'}flash=${flash}`);
}
