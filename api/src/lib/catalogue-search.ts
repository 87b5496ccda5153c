import { validationFailed } from './errors.ts';
import type { DbOrTx } from '@qihub/db';
import {
  buildPlaceIndex,
  parseCatalogueQuery,
  placeCandidates,
  placePrefixes,
  queryWithout,
  queryWords,
  withoutWord,
  type ParsedQuery,
  type Place,
} from './catalogue-query.ts';
import { cityOf, regionPrefix } from './region.ts';
import type { CatalogueSearch } from './repository/catalogue-search.ts';
import { placesByCode, placesNamedLike } from './repository/places.ts';

/**
 * What both catalogues (instruments, services) do around one search: read the query's place words
 * against the reference regions, count what was found, and — when nothing was — say what to change.
 */

/** The query read with the regions its words may name (one small lookup, only when a word could be one). */
export async function readQuery(db: DbOrTx, q: string | undefined): Promise<ParsedQuery> {
  const candidates = placeCandidates(queryWords(q));
  const places = candidates.length > 0 ? await placesNamedLike(db, candidates) : [];
  return parseCatalogueQuery(q, buildPlaceIndex(places));
}

/** The search fields a parsed query sets. */
/** A price filter whose upper bound lies below its lower bound is refused (400), for every list. */
export function assertPriceRange(query: { minPrice?: number; maxPrice?: number }): void {
  if (query.minPrice !== undefined && query.maxPrice !== undefined && query.minPrice > query.maxPrice) {
    throw validationFailed([{ path: '/maxPrice', code: 'too_small', message: 'maxPrice is below minPrice.' }]);
  }
}

export function queryFields(parsed: ParsedQuery): Pick<CatalogueSearch, 'terms' | 'standards' | 'placePrefixes'> {
  return { terms: parsed.terms, standards: parsed.standards, placePrefixes: placePrefixes(parsed) };
}

/** The place words of a query, one entry per region named, for the page to show what it understood. */
export function placesOut(parsed: ParsedQuery) {
  return parsed.places.flatMap((p) => p.regions.map((r) => ({ word: p.word, ...r })));
}

/** The filters besides the query a suggestion may drop or widen. */
export type FilterName = 'region' | 'category' | 'kind' | 'lab' | 'qualification' | 'minPrice' | 'maxPrice';

export interface Suggestion {
  /**
   * drop_word: search without `word` (its new query is `q`); drop_filter: clear `filter`;
   * widen_region: the region filter one level up (`region`); region: the place words out of the
   * query (`q`) and the region filter on a city that has results (`region`).
   */
  kind: 'drop_word' | 'drop_filter' | 'widen_region' | 'region';
  word: string | null;
  filter: FilterName | null;
  region: Place | null;
  q: string | null;
  /** What the changed search finds. */
  total: number;
}

export interface SuggestionInput<F> {
  q: string;
  parsed: ParsedQuery;
  filters: F;
  /** How many the search finds with this query and these filters. */
  count: (parsed: ParsedQuery, filters: F) => Promise<number>;
  /** The cities where the search finds the most, with counts. */
  byCity: (parsed: ParsedQuery, filters: F) => Promise<(Place & { total: number })[]>;
}

const MAX_REGION_SUGGESTIONS = 4;

/** The region one level up: district → city, city → province; null for a province. */
function parentRegion(code: string): string | null {
  const prefix = regionPrefix(code);
  if (prefix.length === 6) return cityOf(code);
  if (prefix.length === 4) return `${code.slice(0, 2)}0000`;
  return null;
}

/**
 * When a search finds nothing: each word, place word and filter whose removal finds something, the
 * region filter one level wider, and — when the query names a place or the region filter is set — the
 * cities where the rest of the search does find something (the region filter to use instead).
 */
export async function suggestChanges<F extends Partial<Record<FilterName, unknown>>>(
  db: DbOrTx,
  input: SuggestionInput<F>,
): Promise<Suggestion[]> {
  const { parsed, filters, q } = input;
  const none = { word: null, filter: null, region: null, q: null };
  const tries: Promise<Suggestion | null>[] = [];
  const attempt = (make: () => Promise<Suggestion>) => tries.push(make().then((s) => (s.total > 0 ? s : null)));
  const words = [...parsed.terms, ...parsed.places.map((p) => p.word)];
  // Dropping the only word is browsing everything, not a suggestion.
  for (const word of words.length > 1 ? words : []) {
    attempt(async () => ({
      ...none,
      kind: 'drop_word',
      word,
      q: queryWithout(q, [word]),
      total: await input.count(withoutWord(parsed, word), filters),
    }));
  }
  for (const name of Object.keys(filters) as FilterName[]) {
    if (filters[name] === undefined) continue;
    attempt(async () => ({
      ...none,
      kind: 'drop_filter',
      filter: name,
      total: await input.count(parsed, { ...filters, [name]: undefined }),
    }));
  }
  const region = typeof filters.region === 'string' ? filters.region : undefined;
  const parent = region ? parentRegion(region) : null;
  if (parent) {
    const [place] = await placesByCode(db, [parent]);
    if (place) {
      attempt(async () => ({
        ...none,
        kind: 'widen_region',
        region: place,
        total: await input.count(parsed, { ...filters, region: parent }),
      }));
    }
  }
  if (parsed.places.length > 0 || region) {
    const placeless: ParsedQuery = { ...parsed, places: [] };
    const rest = queryWithout(
      q,
      parsed.places.map((p) => p.word),
    );
    const cities = await input.byCity(placeless, { ...filters, region: undefined });
    for (const city of cities.slice(0, MAX_REGION_SUGGESTIONS)) {
      const { total, ...place } = city;
      tries.push(Promise.resolve({ ...none, kind: 'region', region: place, q: rest, total }));
    }
  }
  return (await Promise.all(tries)).filter((s): s is Suggestion => s !== null);
}
