import { fail, redirect } from '@sveltejs/kit';
import { need } from '$lib/server/api';
import { refusedQi, requireSignedIn, text } from '$lib/server/actions';
import { registrationOutcome } from '$lib/events/events';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url, params }) => {
  const [event, mine] = await Promise.all([
    need(locals.api.GET('/v1/events/{id}', { params: { path: { id: params.id } } })),
    locals.user ? locals.api.GET('/v1/me/registrations').then((r) => r.data?.items ?? []) : Promise.resolve([]),
  ]);
  // Waitlist places per session (the event view only says "waitlisted").
  const positions = Object.fromEntries(
    mine
      .filter((r) => r.event.id === event.id && r.status === 'waitlisted' && r.waitlistPosition)
      .map((r) => [r.session.id, r.waitlistPosition]),
  );
  return {
    event,
    positions,
    signedIn: !!locals.user,
    now: new Date().toISOString(),
    flash: url.searchParams.get('flash'),
  };
};

async function sessionFrom(request: Request) {
  return text(await request.formData(), 'sessionId');
}

export const actions: Actions = {
  register: async ({ request, locals, url, params }) => {
    requireSignedIn(locals, url);
    const sessionId = await sessionFrom(request);
    if (!sessionId) return fail(400, { action: 'register', code: 'validation_failed', detail: null, sessionId });
    const { data, error, response } = await locals.api.POST('/v1/event-sessions/{id}/registrations', {
      params: { path: { id: sessionId } },
    });
    if (!data) return refusedQi('register', error, response.status, { sessionId });
    const outcome = registrationOutcome(data.status);
    redirect(
      303,
      `/events/${params.id}?flash=${outcome === 'waitlisted' ? 'waitlisted' : 'registered'}#session-${sessionId}`,
    );
  },
  cancel: async ({ request, locals, url, params }) => {
    requireSignedIn(locals, url);
    const sessionId = await sessionFrom(request);
    if (!sessionId) return fail(400, { action: 'cancel', code: 'validation_failed', detail: null, sessionId });
    const { error, response } = await locals.api.DELETE('/v1/event-sessions/{id}/registrations/me', {
      params: { path: { id: sessionId } },
    });
    if (!response.ok) return refusedQi('cancel', error, response.status, { sessionId });
    redirect(303, `/events/${params.id}?flash=cancelled#session-${sessionId}`);
  },
};
