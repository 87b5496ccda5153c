import { need } from '$lib/server/api';
import { catalogueListPage } from '$lib/catalogue/catalogue.server';
import { readCatalogueQuery } from '$lib/catalogue/query';
import { freeSlotSearch, nextFreeSlots } from '$lib/store/free-slots.server';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url }) => {
  const [list, categories, free] = await Promise.all([
    catalogueListPage(locals.api, url.searchParams, ({ kind: _kind, ...query }) =>
      locals.api.GET('/v1/instruments', { params: { query } }),
    ),
    need(locals.api.GET('/v1/categories')),
    freeSlotSearch(locals.api, url.searchParams, readCatalogueQuery(url.searchParams).query),
  ]);
  const nextFree = await nextFreeSlots(
    locals.api,
    list.items.map((i) => i.id),
  );
  return { ...list, categories: categories.items, free, nextFree };
};
