import { redirect } from '@sveltejs/kit';
import { requireLabMember } from '$lib/lab-console/console.server';
import { eventTransition, labEvents } from '$lib/events/events.server';
import { invalidQi, refusedQi } from '$lib/server/actions';
import { loadCityGroups } from '$lib/server/regions';
import { parseEventForm, readEventForm, SESSION_ROWS } from '$lib/events/event-form';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url }) => {
  const lab = requireLabMember(locals, url);
  const [events, regions] = await Promise.all([labEvents(locals.api, lab.orgId), loadCityGroups(locals.api)]);
  return {
    lab,
    events,
    regions,
    rows: SESSION_ROWS,
    canOrganise: lab.role === 'manager' || lab.role === 'staff',
    flash: url.searchParams.get('flash'),
    now: new Date().toISOString(),
  };
};

export const actions: Actions = {
  create: async ({ request, locals, url }) => {
    const lab = requireLabMember(locals, url);
    const values = readEventForm(await request.formData());
    const parsed = parseEventForm(values);
    if (!parsed.ok) return invalidQi('create', parsed.code, { values, field: parsed.field });
    const { data, error, response } = await locals.api.POST('/v1/events', {
      body: { organiserOrgId: lab.orgId, ...parsed.body },
    });
    if (!data) return refusedQi('create', error, response.status, { values, field: null as string | null });
    redirect(303, `/console/events/${data.id}?lab=${lab.orgId}&flash=created`);
  },
  publish: (event) => {
    const lab = requireLabMember(event.locals, event.url);
    return eventTransition(event, 'publish', () => `/console/events?lab=${lab.orgId}`);
  },
  cancel: (event) => {
    const lab = requireLabMember(event.locals, event.url);
    return eventTransition(event, 'cancel', () => `/console/events?lab=${lab.orgId}`);
  },
};
