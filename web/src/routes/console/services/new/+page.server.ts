import { fail, redirect } from '@sveltejs/kit';
import { requireLabManager } from '$lib/lab-console/console.server';
import { serviceInstrumentOptions, serviceProblem } from '$lib/lab-console/services.server';
import { emptyServiceValues, parseServiceForm } from '$lib/lab-console/service-form';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url }) => {
  const lab = requireLabManager(locals, url);
  return { lab, instruments: await serviceInstrumentOptions(locals.api, lab.orgId), values: emptyServiceValues() };
};

export const actions: Actions = {
  default: async ({ request, locals, url }) => {
    const lab = requireLabManager(locals, url);
    const { values, input, fieldErrors } = parseServiceForm(await request.formData());
    if (!input) return fail(400, { values, fieldErrors, code: null });
    const { data, error, response } = await locals.api.POST('/v1/labs/{labId}/services', {
      params: { path: { labId: lab.orgId } },
      body: input,
    });
    if (!data) return serviceProblem(values, error, response.status);
    redirect(303, `/console/services?lab=${lab.orgId}&created=${data.id}`);
  },
};
