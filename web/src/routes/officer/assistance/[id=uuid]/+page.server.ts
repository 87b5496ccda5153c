import { assistanceAction, loadAssistance, requireOfficer } from '$lib/assistance/assistance.server';
import { chinaToday } from '$lib/calibration/calibration';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url, params }) => {
  const user = requireOfficer(locals, url);
  const request = await loadAssistance(locals.api, params.id);
  return {
    request,
    me: { id: user.id, displayName: user.displayName },
    today: chinaToday(new Date()),
    flash: url.searchParams.get('flash'),
  };
};

const back = (id: string) => `/officer/assistance/${id}`;

export const actions: Actions = {
  assign: (event) => assistanceAction(event, 'assign', back(event.params.id)),
  visit: (event) => assistanceAction(event, 'visit', back(event.params.id)),
  resolve: (event) => assistanceAction(event, 'resolve', back(event.params.id)),
};
