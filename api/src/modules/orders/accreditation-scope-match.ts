/**
 * Matching an order line (parameter × standard, as a customer or a lab typed it) against the items
 * of a lab's CMA / CNAS scope. A report line may carry the CMA mark only inside the scope, and an SME
 * needs that mark, so the comparison must not hang on spelling: standard numbers are compared by
 * their parts (prefix, number, year), whatever width, dash or spacing they were typed with.
 * Pure functions; the scope rows come from `repository/accreditation-scope.ts`.
 */

/** A quote or report item, or a scope item: a parameter tested by a standard method. */
export interface ScopeQuery {
  parameterZh: string;
  standardCode: string;
}

/** A standard number in parts: "GB/T 228.1-2021" → GB/T, 228.1, 2021. */
export interface StandardRef {
  /** Issuing body and kind, upper case: "GB", "GB/T", "ISO", "ISO/IEC", "ASTM"; "" when not written. */
  prefix: string;
  /** Number with its part: "10125", "228.1", "6892-1", "61000-4-2", "B117". */
  number: string;
  /** Four-digit year of the edition; null when not written. */
  year: string | null;
}

// Every dash a Chinese or Western keyboard produces (NFKC already folds the full-width and small
// hyphen-minus): hyphen, non-breaking hyphen, figure dash, en, em, horizontal bar, minus sign.
const DASHES = /[\u2010-\u2015\u2212\u2e3a\u2e3b\ufe58]/g;

/**
 * Canonical text of a standard number: NFKC (full-width letters, digits, "／", "：", "－" and the
 * ideographic space become ASCII), upper case, every dash a hyphen, no spaces around "/", "-", ":"
 * and ".", one space between the prefix and the number ("GB/T10125—2021" → "GB/T 10125-2021").
 * A text that does not read as a standard number is only cleaned up. Idempotent.
 */
export function normaliseStandard(code: string): string {
  const text = cleanText(code);
  const ref = parseClean(text);
  return ref ? formatStandard(ref) : text;
}

function cleanText(code: string): string {
  return (
    code
      .normalize('NFKC')
      .toUpperCase()
      // Upper-casing may leave a character NFKC composes differently ("ῗ"): normalise again.
      .normalize('NFKC')
      .replace(DASHES, '-')
      // "一" (the numeral one) typed for a dash between the number and the year: "10125一2021".
      .replace(/(\d)\s*一\s*(?=\d)/g, '$1-')
      .replace(/\s+/g, ' ')
      .replace(/ ?([/:.-]) ?/g, '$1')
      .trim()
  );
}

function formatStandard(ref: StandardRef): string {
  const head = ref.prefix ? `${ref.prefix} ${ref.number}` : ref.number;
  return ref.year ? `${head}-${ref.year}` : head;
}

// Prefix: letters, optionally "/"-joined ("GB/T", "ISO/IEC"); then the number: an optional letter
// (ASTM "B117") and digits with "."- or "-"-joined parts; then an optional ":year" (ISO, IEC).
const STANDARD = /^(?:([A-Z]+(?:\/[A-Z]+)*) ?)?([A-Z]?\d+(?:[.-]\d+)*)(?::(\d{4}))?$/;

function parseClean(text: string): StandardRef | null {
  const m = STANDARD.exec(text);
  if (!m) return null;
  const prefix = m[1] ?? '';
  let number = m[2]!;
  let year: string | null = m[3] ?? null;
  if (!year) {
    // GB and most Chinese standards: "-2021" after the number. A four-digit 19xx / 20xx last
    // segment is a year; shorter ones are parts (ISO 6892-1, IEC 61000-4-2).
    const gb = /^(.+)-((?:19|20)\d{2})$/.exec(number);
    // ASTM writes a two-digit year: "B117-19".
    const astm = prefix === 'ASTM' ? /^(.+)-(\d{2})$/.exec(number) : null;
    if (gb) [number, year] = [gb[1]!, gb[2]!];
    else if (astm) [number, year] = [astm[1]!, `${Number(astm[2]) < 50 ? '20' : '19'}${astm[2]}`];
  }
  return { prefix, number, year };
}

/** The parts of a standard number, or null when the text is no standard number (no digits, prose). */
export function parseStandard(code: string): StandardRef | null {
  return parseClean(cleanText(code));
}

const bareBody = (prefix: string) => prefix.replace(/\//g, '');

/**
 * Whether two standard numbers name the same standard: the same number, and the same prefix and
 * year where both give one ("GB/T 10125-2021", "GB/T10125—2021", "GB/T 10125" and "10125" all
 * match; "GB/T 10125-2012" does not). Texts that are no standard number match only when equal.
 */
export function standardsMatch(a: string, b: string): boolean {
  const ra = parseStandard(a);
  const rb = parseStandard(b);
  if (!ra || !rb) {
    const ta = normaliseStandard(a);
    return ta !== '' && ta === normaliseStandard(b);
  }
  return (
    ra.number === rb.number &&
    (ra.prefix === '' || rb.prefix === '' || bareBody(ra.prefix) === bareBody(rb.prefix)) &&
    (ra.year === null || rb.year === null || ra.year === rb.year)
  );
}

/** Same standard in another edition (the number and prefix agree, the years differ). */
function otherEdition(a: string, b: string): boolean {
  const ra = parseStandard(a);
  const rb = parseStandard(b);
  return (
    !!ra &&
    !!rb &&
    ra.number === rb.number &&
    (ra.prefix === '' || rb.prefix === '' || bareBody(ra.prefix) === bareBody(rb.prefix))
  );
}

/** A parameter compared without spaces, width or case ("中性盐雾 试验" = "中性盐雾试验"). */
export function normaliseParameter(parameter: string): string {
  return parameter.normalize('NFKC').replace(/\s+/g, '').toLowerCase();
}

/** Matches one item against scope rows: the standard must match; the parameter too when the item names one. */
export function itemInScope(item: ScopeQuery, scope: readonly ScopeQuery[]): boolean {
  if (normaliseStandard(item.standardCode) === '') return false;
  const parameter = normaliseParameter(item.parameterZh);
  return scope.some(
    (s) =>
      standardsMatch(item.standardCode, s.standardCode) &&
      (parameter === '' || normaliseParameter(s.parameterZh) === parameter),
  );
}

function bigrams(s: string): string[] {
  const chars = [...s];
  if (chars.length < 2) return chars;
  return chars.slice(1).map((c, i) => chars[i] + c);
}

/** Dice coefficient of the character pairs of two parameters, 0…1 (Chinese has no word spaces). */
export function parameterSimilarity(a: string, b: string): number {
  const x = bigrams(normaliseParameter(a));
  const y = bigrams(normaliseParameter(b));
  if (x.length === 0 || y.length === 0) return 0;
  const pool = new Map<string, number>();
  for (const g of y) pool.set(g, (pool.get(g) ?? 0) + 1);
  let shared = 0;
  for (const g of x) {
    const n = pool.get(g) ?? 0;
    if (n > 0) {
      shared += 1;
      pool.set(g, n - 1);
    }
  }
  return (2 * shared) / (x.length + y.length);
}

export interface RankedScopeItem extends ScopeQuery {
  id: string;
}

/**
 * The scope items closest to a line, best first (at most `limit`), each with a score in (0, 1]:
 * the standard weighs most (the same standard 0.6, another edition of it 0.3), the parameter's
 * wording the rest. Items sharing nothing with the line are left out.
 */
export function closestScopeItems<T extends RankedScopeItem>(
  line: ScopeQuery,
  items: readonly T[],
  limit = 5,
): (T & { score: number })[] {
  const hasStandard = normaliseStandard(line.standardCode) !== '';
  return items
    .map((item) => {
      const standard = !hasStandard
        ? 0
        : standardsMatch(line.standardCode, item.standardCode)
          ? 1
          : otherEdition(line.standardCode, item.standardCode)
            ? 0.5
            : 0;
      const score = 0.6 * standard + 0.4 * parameterSimilarity(line.parameterZh, item.parameterZh);
      return { ...item, score: Math.round(score * 1000) / 1000 };
    })
    .filter((r) => r.score > 0)
    .sort((a, b) => b.score - a.score || a.standardCode.localeCompare(b.standardCode) || a.id.localeCompare(b.id))
    .slice(0, limit);
}
