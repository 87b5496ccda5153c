import type { CatalogueFilters } from './query';
import type { SearchSuggestion } from '$lib/types';

/** The search's address with some filters changed ('' clears one), from the first page. */
export function searchHref(basePath: string, filters: CatalogueFilters, change: Partial<CatalogueFilters>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries({ ...filters, ...change })) if (value) params.set(key, value);
  const query = params.toString();
  return query ? `${basePath}?${query}` : basePath;
}

/** What a suggestion changes in the search form. */
export function suggestionChange(s: SearchSuggestion): Partial<CatalogueFilters> {
  switch (s.kind) {
    case 'drop_word':
      return { q: s.q ?? '' };
    case 'drop_filter':
      return s.filter ? { [s.filter]: '' } : {};
    case 'widen_region':
      return { region: s.region?.code ?? '' };
    case 'region':
      return { q: s.q ?? '', region: s.region?.code ?? '' };
  }
}
