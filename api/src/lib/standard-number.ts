// Every dash a Chinese or Western keyboard produces, folded to "-" (NFKC leaves these alone).
const DASHES = /[\u2010-\u2015\u2212\u2e3a\u2e3b\ufe58]/g;

/**
 * The standard-number part of a query as a regular expression over the stored code without spaces:
 * "GB/T 10125", "gb/t10125" and "10125" all find "GB/T 10125-2021", but "10125" does not find
 * "GB/T 101250" nor "25" find "GB/T 10125". Null when the query has no digit (a parameter only).
 */
export function standardPattern(query: string): string | null {
  const compact = query.normalize('NFKC').toUpperCase().replace(DASHES, '-').replace(/\s+/g, '');
  if (!/[0-9]/.test(compact)) return null;
  const escaped = compact.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&');
  const head = /^[0-9]/.test(compact) ? '(^|[^0-9.])' : '';
  const tail = /[0-9]$/.test(compact) ? '([^0-9]|$)' : '';
  return `${head}${escaped}${tail}`;
}
