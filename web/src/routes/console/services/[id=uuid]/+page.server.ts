import { fail, redirect } from '@sveltejs/kit';
import { need } from '$lib/server/api';
import { requireLabManager } from '$lib/lab-console/console.server';
import { retireRefused } from '$lib/lab-console/catalogue.server';
import { serviceInstrumentOptions, serviceProblem } from '$lib/lab-console/services.server';
import { parseServiceForm, serviceValues } from '$lib/lab-console/service-form';
import type { Actions, PageServerLoad } from './$types';

async function serviceOfMyLab(locals: App.Locals, url: URL, id: string) {
  requireLabManager(locals, url);
  const service = await need(locals.api.GET('/v1/services/{id}', { params: { path: { id } } }));
  // Managing one lab gives no rights over another's services.
  const lab = requireLabManager(locals, url, service.lab.id);
  return { service, lab };
}

export const load: PageServerLoad = async ({ locals, url, params }) => {
  const { service, lab } = await serviceOfMyLab(locals, url, params.id);
  const instruments = await serviceInstrumentOptions(locals.api, lab.orgId);
  // A retired instrument the service still names stays listed, so saving does not drop it silently.
  for (const i of service.instruments) {
    if (!instruments.some((o) => o.id === i.id)) instruments.push({ ...i, model: '' });
  }
  return { lab, service, instruments, values: serviceValues(service) };
};

export const actions: Actions = {
  save: async ({ request, locals, url, params }) => {
    const { lab } = await serviceOfMyLab(locals, url, params.id);
    const { values, input, fieldErrors } = parseServiceForm(await request.formData());
    if (!input) return fail(400, { values, fieldErrors, code: null });
    const { data, error, response } = await locals.api.PATCH('/v1/services/{id}', {
      params: { path: { id: params.id } },
      body: input,
    });
    if (!data) return serviceProblem(values, error, response.status);
    redirect(303, `/console/services?lab=${lab.orgId}&saved=${data.id}`);
  },
  retire: async ({ locals, url, params }) => {
    const { lab } = await serviceOfMyLab(locals, url, params.id);
    const { data, error, response } = await locals.api.POST('/v1/services/{id}/retire', {
      params: { path: { id: params.id } },
    });
    if (!data) return retireRefused(error, response.status);
    redirect(303, `/console/services?lab=${lab.orgId}&retired=${data.id}`);
  },
};
