import { fail, redirect } from '@sveltejs/kit';
import { need } from '$lib/server/api';
import { refused, requireLabManager } from '$lib/lab-console/console.server';
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
  photo: async ({ request, locals, url, params }) => {
    await instrumentOfMyLab(locals, url, params.id);
    const file = (await request.formData()).get('file');
    if (!(file instanceof File) || file.size === 0 || file.name === '') {
      return fail(400, { action: 'photo', code: 'file_required' });
    }
    const upload = new FormData();
    upload.append('file', file, file.name);
    const { data, error, response } = await locals.api.PUT('/v1/instruments/{id}/photo', {
      params: { path: { id: params.id } },
      // The typed body is the schema's; the request is the multipart form as the browser sent it.
      body: upload as unknown as { file: string },
      bodySerializer: (b) => b as unknown as FormData,
    });
    if (!data) return refused('photo', error, response.status);
    return { action: 'photo', ok: true as const };
  },
  removePhoto: async ({ locals, url, params }) => {
    await instrumentOfMyLab(locals, url, params.id);
    const { data, error, response } = await locals.api.DELETE('/v1/instruments/{id}/photo', {
      params: { path: { id: params.id } },
    });
    if (!data) return refused('removePhoto', error, response.status);
    return { action: 'removePhoto', ok: true as const };
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
