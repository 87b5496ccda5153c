import { error, fail } from '@sveltejs/kit';
import { need } from '$lib/server/api';
import { requireLabMember } from '$lib/lab-console/console.server';
import { eventTransition } from '$lib/events/events.server';
import { done, invalidQi, refusedQi, requireSignedIn, text, UUID } from '$lib/server/actions';
import { fieldErrorsFromProblem } from '$lib/server/problem';
import { parseSessionForm, readSessionForm, type SessionFormValues } from '$lib/events/session-form';
import type { FieldErrors, Problem } from '$lib/types';
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
  addSession: async ({ request, locals, url, params }) => {
    requireLabMember(locals, url);
    const values = readSessionForm(await request.formData());
    const parsed = parseSessionForm(values);
    if (!parsed.ok) return sessionRefused('addSession', null, values, parsed.fieldErrors);
    const { error: problem, response } = await locals.api.POST('/v1/events/{id}/sessions', {
      params: { path: { id: params.id } },
      body: parsed.body,
    });
    if (!response.ok) return sessionRefusedByApi('addSession', null, values, problem, response.status);
    done(back(url, params.id), 'sessionAdded');
  },
  updateSession: async ({ request, locals, url, params }) => {
    requireLabMember(locals, url);
    const form = await request.formData();
    const sessionId = text(form, 'sessionId');
    if (!UUID.test(sessionId)) return invalidQi('updateSession', 'validation_failed', { sessionId: null });
    const values = readSessionForm(form);
    const parsed = parseSessionForm(values);
    if (!parsed.ok) return sessionRefused('updateSession', sessionId, values, parsed.fieldErrors);
    const { error: problem, response } = await locals.api.PATCH('/v1/event-sessions/{id}', {
      params: { path: { id: sessionId } },
      body: parsed.body,
    });
    if (!response.ok) return sessionRefusedByApi('updateSession', sessionId, values, problem, response.status);
    done(back(url, params.id), 'sessionUpdated');
  },
  removeSession: async ({ request, locals, url, params }) => {
    requireLabMember(locals, url);
    const sessionId = text(await request.formData(), 'sessionId');
    if (!UUID.test(sessionId)) return invalidQi('removeSession', 'validation_failed', { sessionId: null });
    const { error: problem, response } = await locals.api.DELETE('/v1/event-sessions/{id}', {
      params: { path: { id: sessionId } },
    });
    if (!response.ok) return refusedQi('removeSession', problem, response.status, { sessionId });
    done(back(url, params.id), 'sessionRemoved');
  },
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

const SESSION_FIELDS = ['startsAt', 'endsAt', 'seats'];

function sessionRefused(action: string, sessionId: string | null, values: SessionFormValues, fieldErrors: FieldErrors) {
  return fail(400, {
    action,
    sessionId,
    code: 'validation_failed',
    detail: null as string | null,
    values,
    fieldErrors,
  });
}

/** The API's refusal of a session form: its field errors beside the boxes, anything else as a notice. */
function sessionRefusedByApi(
  action: string,
  sessionId: string | null,
  values: SessionFormValues,
  problem: unknown,
  status: number,
) {
  const { fieldErrors } = fieldErrorsFromProblem(problem as Partial<Problem> | undefined, SESSION_FIELDS);
  const refused = refusedQi(action, problem, status, { sessionId, values, fieldErrors });
  return refused;
}
