import { regionContains, regionPrefix } from './region.ts';
import { standardPattern } from './standard-number.ts';

/**
 * What a catalogue search box query means. "SEM 苏州", "苏州 盐雾" and "盐雾 吴中区" are a thing and a
 * place: a word that names a GB/T 2260 region (province, city or district, with or without its
 * 省/市/区 suffix, or its English name) narrows the lab's location, every other word must appear in
 * the instrument's or service's own text. Standard numbers ("GB/T 10125", "10125") are kept as one
 * reference, because an instrument can be found through the standards it is used for.
 */

/** A GB/T 2260 region, as the reference data holds it. */
export interface Place {
  code: string;
  nameZh: string;
  nameEn: string;
}

/** Place names (lower case, every spelling a query may use) → the regions of that name. */
export type PlaceIndex = ReadonlyMap<string, readonly Place[]>;

/** A standard number written in the query, and the words it was written with. */
export interface StandardTerm {
  words: string[];
  /** POSIX regular expression over a standard code without spaces, upper case (see standardPattern). */
  pattern: string;
}

export interface ParsedQuery {
  /** Every word that is not a place, lower case, in the order typed (standard numbers included). */
  terms: string[];
  /** The words taken as places, with the regions each names. */
  places: { word: string; regions: Place[] }[];
  /** The standard numbers among `terms`. */
  standards: StandardTerm[];
}

/** At most this many words of a query count; the rest is ignored. */
export const MAX_QUERY_WORDS = 8;

// Administrative suffixes a name is also written without: 苏州市 → 苏州, 浦东新区 → 浦东, 江苏省 → 江苏.
const ZH_SUFFIXES = ['特别行政区', '自治区', '自治州', '自治县', '新区', '地区', '省', '市', '区', '县', '盟', '旗'];
const EN_SUFFIXES = [' (city districts)', ' province', ' district', ' new area', ' city', ' county'];

/** The spellings of a region's name a query may use, lower case. */
export function placeNames(place: Pick<Place, 'nameZh' | 'nameEn'>): string[] {
  const names = new Set<string>();
  const zh = place.nameZh.normalize('NFKC').trim();
  if (zh) names.add(zh);
  for (const suffix of ZH_SUFFIXES) {
    // "市" alone is not a place; keep at least two characters (北京, 吴中, 浦东).
    if (zh.endsWith(suffix) && zh.length - suffix.length >= 2) {
      names.add(zh.slice(0, -suffix.length));
      break;
    }
  }
  const en = place.nameEn.normalize('NFKC').trim().toLowerCase();
  let bare = en;
  for (const suffix of EN_SUFFIXES) if (bare.endsWith(suffix)) bare = bare.slice(0, -suffix.length);
  // Only one-word English names can be typed as one word ("Suzhou", "Jiangsu", "Bao'an").
  for (const name of [en, bare]) if (name.length >= 3 && !/\s/.test(name)) names.add(name);
  return [...names];
}

/** The index of the given regions under every name they go by. */
export function buildPlaceIndex(places: readonly Place[]): PlaceIndex {
  const index = new Map<string, Place[]>();
  for (const place of places) {
    for (const name of placeNames(place)) {
      const list = index.get(name) ?? [];
      if (!list.some((p) => p.code === place.code)) list.push(place);
      index.set(name, list);
    }
  }
  return index;
}

/**
 * The words of a query: lower case, split at spaces and Chinese or Western commas, at most eight. The
 * words stay as typed otherwise (full-width brackets and all), since the search text they are matched
 * against keeps them; place names and standard numbers are read from their NFKC forms.
 */
export function queryWords(q: string | undefined): string[] {
  return (q ?? '')
    .toLowerCase()
    .split(/[\s,，、;；]+/u)
    .map((t) => t.trim())
    .filter(Boolean)
    .slice(0, MAX_QUERY_WORDS);
}

/** Words a place lookup is worth asking about: not numbers, not standards, at least two characters. */
export function placeCandidates(words: readonly string[]): string[] {
  return words.filter((w) => w.length >= 2 && !/[0-9]/.test(w));
}

// The issuing body of a standard, written before its number: GB/T 10125, ISO 9227, ASTM B117, JJG 1036.
const STANDARD_BODY =
  /^(gb|gb\/t|gb\/z|jjg|jjf|iso|iec|iso\/iec|astm|en|din|jis|hj|hg\/t|jb\/t|sn\/t|yy\/t|qb\/t|gjb|ul)$/;
const STANDARD_NUMBER = /^[a-z]?[0-9]+(?:[.:-][0-9]+)*$/;
const STANDARD_IN_ONE_WORD =
  /^(?:gb|gb\/t|gb\/z|jjg|jjf|iso|iec|iso\/iec|astm|en|din|jis|hj|hg\/t|jb\/t|sn\/t|yy\/t|qb\/t|gjb|ul)[a-z]?[0-9]+(?:[.:-][0-9]+)*$/;
// A number alone is read as a standard when it looks like one: four digits or more (10125), or a part
// number (228.1); short numbers ("250" of a 250 kN machine) stay plain words.
const BARE_STANDARD = /^(?:[0-9]{4,}(?:\.[0-9]+)*|[0-9]{2,}\.[0-9]+)(?:-[0-9]{2,4})?$/;

/** The standard numbers among the terms, read from their NFKC forms (ＧＢ／Ｔ 10125); `words` as typed. */
function standardsAmong(terms: readonly string[]): StandardTerm[] {
  const out: StandardTerm[] = [];
  const norm = terms.map((t) => t.normalize('NFKC'));
  for (let i = 0; i < terms.length; i++) {
    const word = norm[i]!;
    const next = norm[i + 1];
    let span: [number, number] | null = null;
    if (STANDARD_BODY.test(word) && next !== undefined && STANDARD_NUMBER.test(next) && /[0-9]/.test(next)) {
      span = [i, i + 2];
      i++;
    } else if (STANDARD_IN_ONE_WORD.test(word) || BARE_STANDARD.test(word)) {
      span = [i, i + 1];
    }
    const pattern = span ? standardPattern(norm.slice(...span).join(' ')) : null;
    if (span && pattern) out.push({ words: terms.slice(...span), pattern });
  }
  return out;
}

/**
 * Reads a query: each word that is a place name in `places` is a place, wherever it stands; every
 * other word stays a term, unchanged and in order — a place never swallows a word that is not one.
 */
export function parseCatalogueQuery(q: string | undefined, places: PlaceIndex): ParsedQuery {
  const terms: string[] = [];
  const found: ParsedQuery['places'] = [];
  for (const word of queryWords(q)) {
    const regions = places.get(word.normalize('NFKC'));
    if (regions && regions.length > 0) found.push({ word, regions: [...regions] });
    else terms.push(word);
  }
  return { terms, places: found, standards: standardsAmong(terms) };
}

/**
 * The GB/T 2260 prefixes the lab's region must start with (any of them), or [] for anywhere. One
 * place word may name several regions (上海市 the province and the city): any of them. Two place
 * words narrow each other when one lies inside the other ("江苏 苏州" is Suzhou) and widen otherwise
 * ("苏州 杭州" is either city).
 */
export function placePrefixes(parsed: Pick<ParsedQuery, 'places'>): string[] {
  const all = parsed.places.flatMap((p, word) => p.regions.map((r) => ({ code: r.code, word })));
  const kept = all.filter(
    (r) => !all.some((other) => other.word !== r.word && other.code !== r.code && regionContains(r.code, other.code)),
  );
  const prefixes = [...new Set(kept.map((r) => regionPrefix(r.code)))];
  // A prefix inside another kept prefix adds nothing.
  return prefixes.filter((p) => !prefixes.some((other) => other !== p && p.startsWith(other))).sort();
}

/** The query without one of its words (a term or a place), everything else as it was parsed. */
export function withoutWord(parsed: ParsedQuery, word: string): ParsedQuery {
  const terms = parsed.terms.filter((t) => t !== word);
  return {
    terms,
    places: parsed.places.filter((p) => p.word !== word),
    standards: standardsAmong(terms),
  };
}

/** The query as typed without some of its words (compared in lower case), the rest as typed. */
export function queryWithout(q: string, words: readonly string[]): string {
  const drop = new Set(words);
  return q
    .split(/[\s,，、;；]+/u)
    .filter((w) => w && !drop.has(w.toLowerCase()))
    .join(' ');
}
