import { readCatalogueQuery } from '$lib/catalogue/query';
import { need } from '$lib/server/api';
import { labForFilter, searchResult } from '$lib/catalogue/catalogue.server';
import { loadCityGroups } from '$lib/server/regions';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url }) => {
  const { filters, query, invalid } = readCatalogueQuery(url.searchParams);
  const { kind: _kind, ...instrumentQuery } = query;
  const [search, categories, regionGroups, lab] = await Promise.all([
    locals.api.GET('/v1/instruments', { params: { query: instrumentQuery } }),
    need(locals.api.GET('/v1/categories')),
    loadCityGroups(locals.api),
    labForFilter(locals.api, query.lab),
  ]);
  return {
    filters,
    invalid,
    onFirstPage: !query.cursor,
    ...searchResult(search),
    categories: categories.items,
    regionGroups,
    lab: lab ? { nameZh: lab.nameZh, nameEn: lab.nameEn } : null,
  };
};
