import { need } from '$lib/server/api';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, params }) => {
  const service = await need(locals.api.GET('/v1/services/{id}', { params: { path: { id: params.id } } }));
  const lab = await need(locals.api.GET('/v1/labs/{id}', { params: { path: { id: service.lab.id } } }));
  return {
    service,
    lab: {
      id: lab.id,
      nameZh: lab.nameZh,
      nameEn: lab.nameEn,
      labType: lab.labType,
      contactPhone: lab.contactPhone,
      contactEmail: lab.contactEmail,
      website: lab.website,
    },
  };
};
