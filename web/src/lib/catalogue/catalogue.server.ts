import { need, type Api } from '$lib/server/api';
import { loadCityGroups } from '$lib/server/regions';
import { readCatalogueQuery } from './query';
import type { LabDetail, Problem, SearchPlace, SearchSuggestion } from '$lib/types';

/** The lab a catalogue is filtered to, for its name on the filter chip; null when it cannot be found. */
export async function labForFilter(api: Api, labId: string | undefined): Promise<LabDetail | null> {
  if (!labId) return null;
  const { data } = await api.GET('/v1/labs/{id}', { params: { path: { id: labId } } });
  return data ?? null;
}

/** A search the API refused (say, a stale cursor) shows as a message above no results, not as a crash. */
export function searchProblemCode(error: unknown, status: number): string {
  if (status >= 500) return 'api_error';
  return (error as Partial<Problem> | undefined)?.code ?? 'bad_request';
}

/** The part of a catalogue page's data that comes from the search itself. */
export function searchResult<Item>(search: {
  data?: {
    items: Item[];
    nextCursor?: string | null;
    total?: number;
    places?: SearchPlace[];
    suggestions?: SearchSuggestion[];
  };
  error?: unknown;
  response: Response;
}): {
  items: Item[];
  nextCursor: string | null;
  problem: string | null;
  total: number | null;
  places: SearchPlace[];
  suggestions: SearchSuggestion[];
} {
  return {
    items: search.data?.items ?? [],
    nextCursor: search.data?.nextCursor ?? null,
    problem: search.data ? null : searchProblemCode(search.error, search.response.status),
    total: search.data?.total ?? null,
    places: search.data?.places ?? [],
    suggestions: search.data?.suggestions ?? [],
  };
}

type CatalogueQuery = ReturnType<typeof readCatalogueQuery>['query'];

/**
 * A catalogue list page (instruments, services): the filters read from the URL, one search with
 * them, the cities for the region filter and the lab the list is narrowed to.
 */
export async function catalogueListPage<Item>(
  api: Api,
  params: URLSearchParams,
  search: (query: CatalogueQuery) => Promise<Parameters<typeof searchResult<Item>>[0]>,
) {
  const { filters, query, invalid } = readCatalogueQuery(params);
  const [answer, regionGroups, lab] = await Promise.all([
    search(query),
    loadCityGroups(api),
    labForFilter(api, query.lab),
  ]);
  return {
    filters,
    invalid,
    onFirstPage: !query.cursor,
    ...searchResult(answer),
    regionGroups,
    lab: lab ? { nameZh: lab.nameZh, nameEn: lab.nameEn } : null,
  };
}

/** What an instrument or service page shows of its lab: the name, kind, and how to reach it. */
export async function labContact(api: Api, labId: string) {
  const lab = await need(api.GET('/v1/labs/{id}', { params: { path: { id: labId } } }));
  return {
    id: lab.id,
    nameZh: lab.nameZh,
    nameEn: lab.nameEn,
    labType: lab.labType,
    contactPhone: lab.contactPhone,
    contactEmail: lab.contactEmail,
    website: lab.website,
  };
}
