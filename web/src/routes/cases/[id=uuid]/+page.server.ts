import { error } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, params }) => {
  const res = await locals.api.GET('/v1/cases/{id}', { params: { path: { id: params.id } } });
  if (!res.data) error(404, { message: 'Not found', code: 'not_found' });
  return { c: res.data };
};
