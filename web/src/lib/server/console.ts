import { error, fail, redirect } from '@sveltejs/kit';
import { need, type Api } from '$lib/server/api';
import { INSTRUMENT_FIELDS, type InstrumentFormValues } from '$lib/server/instrument-form';
import { fieldErrorsFromProblem, preferRequired } from '$lib/server/problem';
import type { Me, Membership, Problem } from '$lib/types';

/** Lab managers run the console; staff and operators get to it in a later slice. */
export function managedLabs(user: Me | null): Membership[] {
  return (user?.memberships ?? []).filter((m) => m.orgKind === 'lab' && m.role === 'manager');
}

/**
 * The console's door, checked by every console load and action (actions do not run layout loads):
 * anonymous → login and back; signed in without a managed lab → 403; otherwise the lab to work on.
 */
export function requireLabManager(locals: App.Locals, url: URL, labId?: string): Membership {
  if (!locals.user) redirect(303, `/login?redirect=${encodeURIComponent(url.pathname + url.search)}`);
  const labs = managedLabs(locals.user);
  const wanted = labId ?? url.searchParams.get('lab');
  const lab = (wanted && labs.find((m) => m.orgId === wanted)) || (labId ? undefined : labs[0]);
  if (!lab) error(403, { message: 'Lab managers only', code: 'not_lab_manager' });
  return lab;
}

/** What the instrument form offers: the lab's sites and the catalogue's categories. */
export async function instrumentFormOptions(api: Api, labId: string) {
  const [lab, categories] = await Promise.all([
    need(api.GET('/v1/labs/{id}', { params: { path: { id: labId } } })),
    need(api.GET('/v1/categories')),
  ]);
  return {
    sites: lab.sites.map((s) => ({ id: s.id, nameZh: s.nameZh, nameEn: s.nameEn })),
    categories: categories.items.map((c) => ({ code: c.code, nameZh: c.nameZh, nameEn: c.nameEn })),
  };
}

/** An API refusal of the instrument form → the form comes back with errors beside the fields. */
export function instrumentProblem(values: InstrumentFormValues, error: unknown, status: number) {
  const problem = error as Partial<Problem> | undefined;
  const { fieldErrors, unplaced } = fieldErrorsFromProblem(problem, INSTRUMENT_FIELDS, {
    unknown_site: 'siteId',
    unknown_category: 'categoryCode',
  });
  return fail(status >= 500 ? 502 : status, {
    values,
    fieldErrors: preferRequired(fieldErrors, values),
    code: unplaced ? (problem?.code ?? 'unknown') : null,
  });
}
