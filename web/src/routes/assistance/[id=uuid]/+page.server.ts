import { assistanceAction, loadAssistance, officerMemberships } from '$lib/assistance/assistance.server';
import { requireSignedIn } from '$lib/server/actions';
import { chinaToday } from '$lib/calibration/calibration';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url, params }) => {
  const user = requireSignedIn(locals, url);
  const request = await loadAssistance(locals.api, params.id);
  const member = user.memberships.some((m) => m.orgId === request.enterprise.id);
  const officer = request.officer?.id === user.id || officerMemberships(user).some((m) => m.role === 'admin');
  const expert = !!request.expert?.id && request.expert.id === user.id;
  return {
    request,
    me: { id: user.id, displayName: user.displayName },
    member,
    officer,
    expert,
    today: chinaToday(new Date()),
    flash: url.searchParams.get('flash'),
  };
};

export const actions: Actions = {
  close: (event) => assistanceAction(event, 'close', `/assistance/${event.params.id}`),
  assign: (event) => assistanceAction(event, 'assign', `/assistance/${event.params.id}`),
  visit: (event) => assistanceAction(event, 'visit', `/assistance/${event.params.id}`),
  resolve: (event) => assistanceAction(event, 'resolve', `/assistance/${event.params.id}`),
};
