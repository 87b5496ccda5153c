import { need } from '$lib/server/api';
import type { PageServerLoad } from './$types';

const PREVIEW = 6;

export const load: PageServerLoad = async ({ locals, params }) => {
  const lab = await need(locals.api.GET('/v1/labs/{id}', { params: { path: { id: params.id } } }));
  const [instruments, services] = await Promise.all([
    locals.api.GET('/v1/instruments', { params: { query: { lab: lab.id, limit: PREVIEW } } }),
    locals.api.GET('/v1/services', { params: { query: { lab: lab.id, limit: PREVIEW } } }),
  ]);
  return {
    lab,
    instruments: instruments.data?.items ?? [],
    moreInstruments: !!instruments.data?.nextCursor,
    services: services.data?.items ?? [],
    moreServices: !!services.data?.nextCursor,
  };
};
