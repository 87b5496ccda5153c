import { error, fail, redirect } from '@sveltejs/kit';
import { need, type Api } from '$lib/server/api';
import { parseVisit } from '$lib/qi/assistance';
import type { Me, Membership, Problem } from '$lib/types';

/**
 * Shared by the wider-catalogue pages (events, calibration, technical assistance, service
 * officer): who may see what, and how a refused API call reaches the form that made it.
 */

/** Signed-in people only: anyone else goes to login and comes back. */
export function requireSignedIn(locals: App.Locals, url: URL): Me {
  if (!locals.user) redirect(303, `/login?redirect=${encodeURIComponent(url.pathname + url.search)}`);
  return locals.user;
}

export function enterpriseMemberships(user: Me | null): Membership[] {
  return (user?.memberships ?? []).filter((m) => m.orgKind === 'enterprise');
}

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

/** The problem code of a refused call, or a generic one by status. */
export function qiProblemCode(problem: unknown, status: number): string {
  const code = (problem as Partial<Problem> | undefined)?.code;
  if (code) return code;
  if (status === 401) return 'unauthorized';
  if (status === 403) return 'forbidden';
  if (status === 404) return 'not_found';
  return status >= 500 ? 'api_error' : 'unknown';
}

/**
 * A refused call → the action's failure: which form, the problem code, the API's own words (the
 * fallback when the page has no message for the code) and anything the form needs back.
 */
export function refusedQi<E extends Record<string, unknown> = Record<never, never>>(
  action: string,
  problem: unknown,
  status: number,
  extra: E = {} as E,
) {
  const p = problem as Partial<Problem> | undefined;
  const detail = p?.errors?.length ? p.errors.map((e) => `${e.path}: ${e.message}`).join('; ') : (p?.detail ?? null);
  return fail(status >= 500 || status < 400 ? 502 : status, {
    action,
    code: qiProblemCode(problem, status),
    detail: detail as string | null,
    ...extra,
  });
}

/** A form the page itself refuses before asking the API. */
export function invalidQi<E extends Record<string, unknown> = Record<never, never>>(
  action: string,
  code: string,
  extra: E = {} as E,
) {
  return fail(400, { action, code, detail: null as string | null, ...extra });
}

export function text(form: FormData, name: string): string {
  const v = form.get(name);
  return typeof v === 'string' ? v.trim() : '';
}

/** A whole number from a form field, or null. */
export function wholeNumber(form: FormData, name: string): number | null {
  const raw = text(form, name);
  if (!/^\d{1,6}$/.test(raw)) return null;
  return Number(raw);
}

/** After a successful action: back to `path` with a flash message key. */
export function done(path: string, flash: string): never {
  redirect(303, `${path}${path.includes('?') ? '&' : '?'}flash=${flash}`);
}

/** The lab's calibration service page, when the lab offers one in the catalogue. */
export async function calibrationServiceOf(api: Api, labId: string): Promise<string | null> {
  const { data } = await api.GET('/v1/services', { params: { query: { lab: labId, kind: 'calibration', limit: 1 } } });
  return data?.items[0]?.id ?? null;
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

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The lab's events (drafts, past and cancelled ones included), newest first. */
export async function labEvents(api: Api, labId: string) {
  return (await need(api.GET('/v1/events', { params: { query: { organiserOrgId: labId } } }))).items;
}

/** publish / cancel on one event, from a form with its id; back to `back` with a flash. */
export async function eventTransition(
  event: { request: Request; locals: App.Locals; url: URL },
  verb: 'publish' | 'cancel',
  back: (id: string) => string,
) {
  requireSignedIn(event.locals, event.url);
  const id = text(await event.request.formData(), 'eventId');
  if (!UUID.test(id)) return invalidQi(verb, 'validation_failed', { eventId: id });
  const path = verb === 'publish' ? '/v1/events/{id}/publish' : '/v1/events/{id}/cancel';
  const { error: problem, response } = await event.locals.api.POST(path, { params: { path: { id } } });
  if (!response.ok) return refusedQi(verb, problem, response.status, { eventId: id });
  done(back(id), verb === 'publish' ? 'published' : 'cancelled');
}
