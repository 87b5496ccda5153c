import { fail, redirect } from '@sveltejs/kit';
import { need } from '$lib/server/api';
import { requireLabManager } from '$lib/lab-console/console.server';
import { retireRefused } from '$lib/lab-console/catalogue.server';
import { instrumentFormOptions, instrumentProblem } from '$lib/lab-console/instruments.server';
import { instrumentValues, parseInstrumentForm } from '$lib/lab-console/instrument-form';
import type { Actions, PageServerLoad } from './$types';

async function instrumentOfMyLab(locals: App.Locals, url: URL, id: string) {
  requireLabManager(locals, url);
  const instrument = await need(locals.api.GET('/v1/instruments/{id}', { params: { path: { id } } }));
  // Managing one lab gives no rights over another's instruments.
  const lab = requireLabManager(locals, url, instrument.lab.id);
  return { instrument, lab };
}

export const load: PageServerLoad = async ({ locals, url, params }) => {
  const { instrument, lab } = await instrumentOfMyLab(locals, url, params.id);
  const options = await instrumentFormOptions(locals.api, lab.orgId);
  return { lab, instrument, ...options, values: instrumentValues(instrument) };
};

export const actions: Actions = {
  save: async ({ request, locals, url, params }) => {
    const { lab } = await instrumentOfMyLab(locals, url, params.id);
    const { values, input, fieldErrors } = parseInstrumentForm(await request.formData());
    if (!input) return fail(400, { values, fieldErrors, code: null });
    const { data, error, response } = await locals.api.PATCH('/v1/instruments/{id}', {
      params: { path: { id: params.id } },
      body: input,
    });
    if (!data) return instrumentProblem(values, error, response.status);
    redirect(303, `/console/instruments?lab=${lab.orgId}&saved=${data.id}`);
  },
  retire: async ({ locals, url, params }) => {
    const { lab } = await instrumentOfMyLab(locals, url, params.id);
    const { data, error, response } = await locals.api.POST('/v1/instruments/{id}/retire', {
      params: { path: { id: params.id } },
    });
    if (!data) return retireRefused(error, response.status);
    redirect(303, `/console/instruments?lab=${lab.orgId}&retired=${data.id}`);
  },
};
