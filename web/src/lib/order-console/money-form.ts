import { fenToYuanText, parseYuan } from '$lib/money';

export { fenToYuanText };

export type PriceParse = { ok: true; fen: number } | { ok: false; code: 'required' | 'invalid_price' | 'too_large' };

/** The API's ceiling for one unit price (10 million yuan). */
export const MAX_UNIT_PRICE_FEN = 1_000_000_000;

/**
 * A unit price box of the quote form ("1,200.5", "￥80", "0") → integer fen. An empty box is
 * "required": a quote prices every line it keeps (0 is a valid, free price).
 */
export function parsePrice(text: string | null | undefined): PriceParse {
  const p = parseYuan(text);
  if (!p.ok) return { ok: false, code: 'invalid_price' };
  if (p.fen === null) return { ok: false, code: 'required' };
  if (p.fen > MAX_UNIT_PRICE_FEN) return { ok: false, code: 'too_large' };
  return { ok: true, fen: p.fen };
}

/** Percent boxes of the settings form ("30", "30%") → an integer within bounds, or null. */
export function parsePercent(text: string | null | undefined, max = 500): number | null {
  const cleaned = (text ?? '').trim().replace(/\s*[%％]$/, '');
  if (!/^\d{1,4}$/.test(cleaned)) return null;
  const n = Number(cleaned);
  return n <= max ? n : null;
}
