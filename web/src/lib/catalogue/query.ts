import { parseYuan } from '$lib/money';
import { SERVICE_KINDS, SORT_KEYS, type ServiceKind, type SortKey } from '$lib/types';

/** The search form as typed (prices in yuan), echoed back into the form and the "next page" link. */
export interface CatalogueFilters {
  q: string;
  kind: string;
  category: string;
  region: string;
  lab: string;
  qualification: string;
  minPrice: string;
  maxPrice: string;
  sort: string;
}

/** The same, as the API wants it (prices in fen); unusable values are left out, not sent. */
export interface CatalogueApiQuery {
  q?: string;
  kind?: ServiceKind;
  category?: string;
  region?: string;
  lab?: string;
  qualification?: 'cma' | 'cnas';
  minPrice?: number;
  maxPrice?: number;
  sort?: SortKey;
  cursor?: string;
  limit?: number;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const CODE = /^[A-Za-z0-9_.-]{1,50}$/;

export const PAGE_SIZE = 12;

function param(params: URLSearchParams, name: string, max = 100): string {
  return (params.get(name) ?? '').trim().slice(0, max);
}

export function readCatalogueQuery(params: URLSearchParams): {
  filters: CatalogueFilters;
  query: CatalogueApiQuery;
  invalid: ('minPrice' | 'maxPrice')[];
} {
  const filters: CatalogueFilters = {
    q: param(params, 'q', 200),
    kind: param(params, 'kind'),
    category: param(params, 'category'),
    region: param(params, 'region'),
    lab: param(params, 'lab'),
    qualification: param(params, 'qualification'),
    minPrice: param(params, 'minPrice', 20),
    maxPrice: param(params, 'maxPrice', 20),
    sort: param(params, 'sort'),
  };
  const query: CatalogueApiQuery = { limit: PAGE_SIZE };
  const invalid: ('minPrice' | 'maxPrice')[] = [];
  if (filters.q) query.q = filters.q;
  if ((SERVICE_KINDS as readonly string[]).includes(filters.kind)) query.kind = filters.kind as ServiceKind;
  if (CODE.test(filters.category)) query.category = filters.category;
  if (/^\d{6}$/.test(filters.region)) query.region = filters.region;
  if (UUID.test(filters.lab)) query.lab = filters.lab;
  if (filters.qualification === 'cma' || filters.qualification === 'cnas') query.qualification = filters.qualification;
  for (const key of ['minPrice', 'maxPrice'] as const) {
    const parsed = parseYuan(filters[key]);
    if (!parsed.ok) invalid.push(key);
    else if (parsed.fen !== null) query[key] = parsed.fen;
  }
  if ((SORT_KEYS as readonly string[]).includes(filters.sort)) query.sort = filters.sort as SortKey;
  const cursor = param(params, 'cursor', 500);
  if (cursor) query.cursor = cursor;
  return { filters, query, invalid };
}

export function activeFilterCount(filters: CatalogueFilters): number {
  const { q: _q, sort: _sort, ...rest } = filters;
  return Object.values(rest).filter((v) => v !== '').length;
}
