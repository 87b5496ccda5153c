import { readCatalogueQuery } from '$lib/catalogue/query';
import { labForFilter, searchResult } from '$lib/catalogue/catalogue.server';
import { loadCityGroups } from '$lib/server/regions';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url }) => {
  const { filters, query, invalid } = readCatalogueQuery(url.searchParams);
  const { category: _category, ...serviceQuery } = query;
  const [search, regionGroups, lab] = await Promise.all([
    locals.api.GET('/v1/services', { params: { query: serviceQuery } }),
    loadCityGroups(locals.api),
    labForFilter(locals.api, query.lab),
  ]);
  return {
    filters,
    invalid,
    onFirstPage: !query.cursor,
    ...searchResult(search),
    regionGroups,
    lab: lab ? { nameZh: lab.nameZh, nameEn: lab.nameEn } : null,
  };
};
