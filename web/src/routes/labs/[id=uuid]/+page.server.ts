import { need } from '$lib/server/api';
import type { PageServerLoad } from './$types';

const PREVIEW = 6;
const RECENT_RATINGS = 5;

export const load: PageServerLoad = async ({ locals, params }) => {
  const lab = await need(locals.api.GET('/v1/labs/{id}', { params: { path: { id: params.id } } }));
  const [instruments, services, ratings] = await Promise.all([
    locals.api.GET('/v1/instruments', { params: { query: { lab: lab.id, limit: PREVIEW } } }),
    locals.api.GET('/v1/services', { params: { query: { lab: lab.id, limit: PREVIEW } } }),
    locals.api.GET('/v1/labs/{id}/ratings', { params: { path: { id: lab.id }, query: { limit: RECENT_RATINGS } } }),
  ]);
  return {
    lab,
    instruments: instruments.data?.items ?? [],
    moreInstruments: !!instruments.data?.nextCursor,
    services: services.data?.items ?? [],
    moreServices: !!services.data?.nextCursor,
    // A lab not yet admitted has no public ratings (404): its members see none.
    ratings: ratings.data ?? null,
  };
};
