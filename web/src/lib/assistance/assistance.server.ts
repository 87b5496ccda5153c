import { error } from '@sveltejs/kit';
import { need, type Api } from '$lib/server/api';
import { done, invalidQi, refusedQi, requireSignedIn, text, UUID } from '$lib/server/actions';
import { parseVisit } from '$lib/assistance/assistance';
import type { Me, Membership } from '$lib/types';

/** Service officers (and the platform's admins, who name them) work on the officer desk. */
export function officerMemberships(user: Me | null): Membership[] {
  return (user?.memberships ?? []).filter(
    (m) => m.orgKind === 'platform' && (m.role === 'service_officer' || m.role === 'admin'),
  );
}

export function requireOfficer(locals: App.Locals, url: URL): Me {
  const user = requireSignedIn(locals, url);
  if (officerMemberships(user).length === 0) error(403, { message: 'Service officers only', code: 'not_officer' });
  return user;
}

/** One assistance request, as the caller may see it (404 for anyone else). */
export function loadAssistance(api: Api, id: string) {
  return need(api.GET('/v1/assistance-requests/{id}', { params: { path: { id } } }));
}

type ActionEvent = { request: Request; locals: App.Locals; url: URL; params: { id?: string } };

/**
 * The work on an assistance request, shared by the enterprise's page and the officer's desk:
 * assign an expert, record a visit, resolve, confirm-close (or withdraw). `back` is where the
 * page lives; a refusal comes back beside the form that made it.
 */
export async function assistanceAction(
  event: ActionEvent,
  verb: 'assign' | 'visit' | 'resolve' | 'close',
  back: string,
) {
  const me = requireSignedIn(event.locals, event.url);
  const id = event.params.id ?? '';
  const form = await event.request.formData();
  const api = event.locals.api;
  const path = { params: { path: { id } } };
  if (verb === 'assign') {
    const choice = text(form, 'expert');
    const expertName = text(form, 'expertName');
    const expertUserId = choice === 'me' ? me.id : text(form, 'expertUserId');
    const values = { expert: choice, expertName, expertUserId: choice === 'me' ? '' : expertUserId };
    const byName = choice === 'name' || (!expertUserId && !!expertName);
    if (byName ? !expertName : !expertUserId) return invalidQi('assign', 'expert_required', { values });
    if (!byName && !UUID.test(expertUserId)) return invalidQi('assign', 'unknown_expert', { values });
    const body = byName ? { expertName } : { expertUserId };
    const { error: problem, response } = await api.POST('/v1/assistance-requests/{id}/assign', { ...path, body });
    if (!response.ok) return refusedQi('assign', problem, response.status, { values });
    done(back, 'assigned');
  }
  if (verb === 'visit') {
    const values = {
      visitedOn: text(form, 'visitedOn'),
      notesZh: text(form, 'notesZh'),
      problemsFound: text(form, 'problemsFound'),
      problemsSolved: text(form, 'problemsSolved'),
    };
    const parsed = parseVisit(values);
    if (!parsed.ok) return invalidQi('visit', parsed.code, { values });
    const { error: problem, response } = await api.POST('/v1/assistance-requests/{id}/visits', {
      ...path,
      body: parsed.value,
    });
    if (!response.ok) return refusedQi('visit', problem, response.status, { values });
    done(back, 'visit');
  }
  const url = verb === 'resolve' ? '/v1/assistance-requests/{id}/resolve' : '/v1/assistance-requests/{id}/close';
  const { data, error: problem, response } = await api.POST(url, path);
  if (!response.ok || !data) return refusedQi(verb, problem, response.status);
  done(back, verb === 'resolve' ? 'resolved' : data.resolvedAt ? 'closed' : 'withdrawn');
}
