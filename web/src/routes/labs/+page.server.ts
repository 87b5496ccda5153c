import { searchProblemCode } from '$lib/catalogue/catalogue.server';
import { loadCityGroups } from '$lib/server/regions';
import type { PageServerLoad } from './$types';

/** 按资质范围找实验室: labs whose valid CMA / CNAS scope covers a standard number or a parameter. */
export const load: PageServerLoad = async ({ locals, url }) => {
  const q = (url.searchParams.get('q') ?? '').trim().slice(0, 100);
  const regionParam = url.searchParams.get('region') ?? '';
  const region = /^\d{6}$/.test(regionParam) ? regionParam : '';
  const cursor = url.searchParams.get('cursor') ?? '';
  const [regions, answer] = await Promise.all([
    loadCityGroups(locals.api),
    q
      ? locals.api.GET('/v1/scope-search', {
          params: { query: { q, ...(region ? { region } : {}), ...(cursor ? { cursor } : {}) } },
        })
      : Promise.resolve(null),
  ]);
  return {
    q,
    region,
    regions,
    onFirstPage: !cursor,
    labs: answer?.data?.items ?? [],
    nextCursor: answer?.data?.nextCursor ?? null,
    problem: answer && !answer.data ? searchProblemCode(answer.error, answer.response.status) : null,
  };
};
