import { fail } from '@sveltejs/kit';
import { need } from '$lib/server/api';
import { formStatus, problemCode, requireUser } from '$lib/booking/bookings.server';
import type { Actions, PageServerLoad } from './$types';

/** `?unit=N` from a multi-unit instrument's label; anything else is the whole instrument. */
function unitOf(url: URL): number | undefined {
  const raw = url.searchParams.get('unit');
  return raw && /^[1-9][0-9]?$|^100$/.test(raw) ? Number(raw) : undefined;
}

/**
 * The page a check-in label's QR code opens, on the phone of whoever scans it: not signed in →
 * sign in and back here; signed in → the booking they may check in or out now, with one button.
 * The rules (window, who, states) are the bookings API's; this page only finds the booking.
 */
export const load: PageServerLoad = async ({ locals, params, url, setHeaders }) => {
  const user = requireUser(locals, url);
  const unit = unitOf(url);
  const candidates = await need(
    locals.api.GET('/v1/instruments/{id}/checkin-candidates', {
      params: { path: { id: params.id }, query: unit === undefined ? {} : { unit } },
    }),
  );
  setHeaders({ 'cache-control': 'no-store' });
  return { candidates, unit: unit ?? null, userName: user.displayName };
};

async function act(event: Parameters<Actions[string]>[0], verb: 'check-in' | 'check-out') {
  requireUser(event.locals, event.url);
  const id = (await event.request.formData()).get('id');
  if (typeof id !== 'string' || !id) return fail(400, { code: 'validation_failed', detail: null, id: null });
  const path = verb === 'check-in' ? '/v1/bookings/{id}/check-in' : '/v1/bookings/{id}/check-out';
  const { data, error, response } = await event.locals.api.POST(path, { params: { path: { id } } });
  if (data) return { done: { action: verb, booking: data } };
  const detail = (error as { detail?: string } | undefined)?.detail ?? null;
  return fail(formStatus(response.status), { code: problemCode(error, response.status), detail, id });
}

export const actions: Actions = {
  checkIn: (event) => act(event, 'check-in'),
  checkOut: (event) => act(event, 'check-out'),
};
