import { error } from '@sveltejs/kit';
import { need } from '$lib/server/api';
import { requireLabMember } from '$lib/lab-console/console.server';
import { eventTransition } from '$lib/events/events.server';
import { done, invalidQi, refusedQi, requireSignedIn, text } from '$lib/server/actions';
import { loadCityGroups } from '$lib/server/regions';
import { parseEventDetails, readEventForm } from '$lib/events/event-form';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url, params }) => {
  const lab = requireLabMember(locals, url);
  const event = await need(locals.api.GET('/v1/events/{id}', { params: { path: { id: params.id } } }));
  if (event.organiser.id !== lab.orgId) error(404, { message: 'Not this lab’s event', code: 'not_found' });
  const sessions = [...event.sessions].sort((a, b) => Date.parse(a.startsAt) - Date.parse(b.startsAt));
  const regionsPromise = loadCityGroups(locals.api);
  const registrants = await Promise.all(
    sessions.map(async (s) => {
      const { data } = await locals.api.GET('/v1/event-sessions/{id}/registrations', {
        params: { path: { id: s.id } },
      });
      return [s.id, data?.items ?? null] as const;
    }),
  );
  return {
    lab,
    event,
    sessions,
    registrants: Object.fromEntries(registrants),
    regions: await regionsPromise,
    flash: url.searchParams.get('flash'),
    now: new Date().toISOString(),
  };
};

const back = (url: URL, id: string) => `/console/events/${id}?lab=${url.searchParams.get('lab') ?? ''}`;

export const actions: Actions = {
  update: async ({ request, locals, url, params }) => {
    requireLabMember(locals, url);
    const { sessions: _sessions, ...values } = readEventForm(await request.formData(), 0);
    const parsed = parseEventDetails(values, true);
    if (!parsed.ok) return invalidQi('update', parsed.code, { values, field: parsed.field });
    const { error: problem, response } = await locals.api.PATCH('/v1/events/{id}', {
      params: { path: { id: params.id } },
      body: parsed.body,
    });
    if (!response.ok) return refusedQi('update', problem, response.status, { values, field: null as string | null });
    done(back(url, params.id), 'updated');
  },
  publish: (event) => eventTransition(event, 'publish', (id) => back(event.url, id)),
  cancel: (event) => eventTransition(event, 'cancel', (id) => back(event.url, id)),
  attendance: async ({ request, locals, url, params }) => {
    requireSignedIn(locals, url);
    const form = await request.formData();
    const sessionId = text(form, 'sessionId');
    const userId = text(form, 'userId');
    const attended = text(form, 'attended');
    if (!sessionId || !userId || (attended !== 'true' && attended !== 'false'))
      return invalidQi('attendance', 'validation_failed', { sessionId, userId });
    const { error: problem, response } = await locals.api.POST('/v1/event-sessions/{id}/attendance', {
      params: { path: { id: sessionId } },
      body: { userId, attended: attended === 'true' },
    });
    if (!response.ok) return refusedQi('attendance', problem, response.status, { sessionId, userId });
    done(back(url, params.id), 'attendance');
  },
};
