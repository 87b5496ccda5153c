import { caseOf, saveCase, submitCase } from '$lib/cases/cases.server';
import { labRights, requireLabMember } from '$lib/lab-console/console.server';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url, params }) => {
  const c = await caseOf(locals.api, params.id);
  const lab = requireLabMember(locals, url, c.provider.id);
  return { c, canWrite: labRights(lab).settings, flash: url.searchParams.get('flash') };
};

const here = (url: URL, id: string) => `/console/cases/${id}?lab=${url.searchParams.get('lab') ?? ''}`;

export const actions: Actions = {
  save: async ({ locals, url, params, request }) =>
    saveCase(locals.api, params.id, await request.formData(), here(url, params.id)),
  submit: async ({ locals, url, params }) => submitCase(locals.api, params.id, here(url, params.id)),
};
