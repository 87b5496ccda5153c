import { need } from '$lib/server/api';
import { requireLabManager } from '$lib/lab-console/console.server';
import { catalogueFlash, catalogueListQuery } from '$lib/lab-console/catalogue.server';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url }) => {
  // The catalogue is the managers', as with instruments.
  const lab = requireLabManager(locals, url);
  const { query, filter } = catalogueListQuery(url, ['active', 'retired'], 100);
  const list = await need(
    locals.api.GET('/v1/labs/{labId}/services', { params: { path: { labId: lab.orgId }, query } }),
  );
  return { lab, items: list.items, nextCursor: list.nextCursor, filter, flash: catalogueFlash(url) };
};
