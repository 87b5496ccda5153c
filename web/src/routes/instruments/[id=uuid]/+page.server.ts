import { need } from '$lib/server/api';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, params }) => {
  const instrument = await need(locals.api.GET('/v1/instruments/{id}', { params: { path: { id: params.id } } }));
  // The lab's own page carries how to reach it; the instrument only names the lab.
  const lab = await need(locals.api.GET('/v1/labs/{id}', { params: { path: { id: instrument.lab.id } } }));
  return {
    instrument,
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
