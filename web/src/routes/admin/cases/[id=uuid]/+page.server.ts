import { error, fail, redirect } from '@sveltejs/kit';
import { parseCase } from '$lib/cases/forms';
import { refusedQi, text } from '$lib/server/actions';
import type { Actions, PageServerLoad } from './$types';

/** One case of the region: edit, publish, or return it to its author with a reason. */
export const load: PageServerLoad = async ({ locals, params, url }) => {
  const res = await locals.api.GET('/v1/admin/cases/{id}', { params: { path: { id: params.id } } });
  if (!res.data) error(res.response.status === 403 ? 403 : 404, { message: 'Not found', code: 'not_found' });
  return { c: res.data, flash: url.searchParams.get('flash') };
};

const back = (id: string, flash: string) => redirect(303, `/admin/cases/${id}?flash=${flash}`);

export const actions: Actions = {
  save: async ({ locals, params, request }) => {
    const { body, errors, values } = parseCase(await request.formData());
    if (!body) return fail(400, { action: 'save', code: 'validation_failed', detail: null, errors, values });
    const res = await locals.api.PATCH('/v1/admin/cases/{id}', { params: { path: { id: params.id } }, body });
    if (!res.data) return refusedQi('save', res.error, res.response.status, { errors: {}, values });
    back(params.id, 'saved');
  },
  publish: async ({ locals, params }) => {
    const res = await locals.api.POST('/v1/admin/cases/{id}/publish', { params: { path: { id: params.id } } });
    if (!res.data) return refusedQi('publish', res.error, res.response.status);
    back(params.id, 'published');
  },
  return: async ({ locals, params, request }) => {
    const reason = text(await request.formData(), 'reason');
    if (!reason) return fail(400, { action: 'return', code: 'reason_required', detail: null });
    const res = await locals.api.POST('/v1/admin/cases/{id}/return', {
      params: { path: { id: params.id } },
      body: { reason },
    });
    if (!res.data) return refusedQi('return', res.error, res.response.status);
    back(params.id, 'returned');
  },
};
