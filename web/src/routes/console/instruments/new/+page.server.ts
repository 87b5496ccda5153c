import { fail, redirect } from '@sveltejs/kit';
import { requireLabManager } from '$lib/lab-console/console.server';
import { instrumentFormOptions, instrumentProblem } from '$lib/lab-console/instruments.server';
import { emptyInstrumentValues, parseInstrumentForm } from '$lib/lab-console/instrument-form';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url }) => {
  const lab = requireLabManager(locals, url);
  const options = await instrumentFormOptions(locals.api, lab.orgId);
  return { lab, ...options, values: emptyInstrumentValues(options.sites.length === 1 ? options.sites[0]!.id : '') };
};

export const actions: Actions = {
  default: async ({ request, locals, url }) => {
    const lab = requireLabManager(locals, url);
    const { values, input, fieldErrors } = parseInstrumentForm(await request.formData());
    if (!input) return fail(400, { values, fieldErrors, code: null });
    const { data, error, response } = await locals.api.POST('/v1/labs/{labId}/instruments', {
      params: { path: { labId: lab.orgId } },
      body: { ...input, photoUrl: null },
    });
    if (!data) return instrumentProblem(values, error, response.status);
    redirect(303, `/console/instruments?lab=${lab.orgId}&created=${data.id}`);
  },
};
