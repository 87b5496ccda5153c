import { need } from '$lib/server/api';
import { labContact } from '$lib/server/catalogue';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, params }) => {
  const service = await need(locals.api.GET('/v1/services/{id}', { params: { path: { id: params.id } } }));
  return { service, lab: await labContact(locals.api, service.lab.id) };
};
