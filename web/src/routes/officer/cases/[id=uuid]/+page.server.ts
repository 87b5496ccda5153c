import { caseOf, saveCase, submitCase } from '$lib/cases/cases.server';
import { requireSignedIn } from '$lib/server/actions';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url, params }) => {
  const user = requireSignedIn(locals, url);
  const c = await caseOf(locals.api, params.id);
  return { c, canWrite: c.provider.kind === 'platform' && !!user, flash: url.searchParams.get('flash') };
};

export const actions: Actions = {
  save: async ({ locals, params, request }) =>
    saveCase(locals.api, params.id, await request.formData(), `/officer/cases/${params.id}`),
  submit: async ({ locals, params }) => submitCase(locals.api, params.id, `/officer/cases/${params.id}`),
};
