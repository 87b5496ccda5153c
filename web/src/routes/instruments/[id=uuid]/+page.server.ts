import { need } from '$lib/server/api';
import { labContact } from '$lib/server/catalogue';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, params }) => {
  const instrument = await need(locals.api.GET('/v1/instruments/{id}', { params: { path: { id: params.id } } }));
  // The lab's own page carries how to reach it; the instrument only names the lab.
  return { instrument, lab: await labContact(locals.api, instrument.lab.id) };
};
