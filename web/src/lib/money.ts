import { plainYuan } from '$lib/plain-format';
import type { Money } from '$lib/types';

const formatters = new Map<string, Intl.NumberFormat>();

function formatter(locale: string, currency: string): Intl.NumberFormat {
  const key = `${locale}|${currency}`;
  let f = formatters.get(key);
  if (!f) {
    // narrowSymbol: "¥1,234.00" in both languages (en would otherwise print "CN¥").
    f = new Intl.NumberFormat(locale, { style: 'currency', currency, currencyDisplay: 'narrowSymbol' });
    formatters.set(key, f);
  }
  return f;
}

/** `{ amount: 123400, currency: 'CNY' }` → `¥1,234.00`. Amounts are integer minor units (fen). */
export function formatMoney(money: Money, locale: string): string {
  // Yuan without Intl (lib/plain-format.ts), as Intl writes them; other currencies through Intl.
  const plain = plainYuan(money.amount, money.currency);
  if (plain !== null) return plain;
  return formatter(locale, money.currency).format(money.amount / 100);
}

export type YuanParse = { ok: true; fen: number | null } | { ok: false };

const YUAN = /^(\d{1,9})(?:\.(\d{1,2}))?$/;

/**
 * What a person types in a price box ("1,234.5", "￥200", "") → integer fen, or null when empty.
 * Done on the digits rather than with floating point so 0.29 yuan is 29 fen, not 28.999….
 */
export function parseYuan(text: string | null | undefined): YuanParse {
  const cleaned = (text ?? '')
    .trim()
    .replace(/[,，\s]/g, '')
    .replace(/^[¥￥]/, '');
  if (cleaned === '') return { ok: true, fen: null };
  const m = YUAN.exec(cleaned);
  if (!m) return { ok: false };
  const fen = Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
  return { ok: true, fen };
}

/** Integer fen → the text a price box is pre-filled with: 20000 → "200", 12345 → "123.45". */
export function fenToYuanText(fen: number | null | undefined): string {
  if (fen === null || fen === undefined) return '';
  const yuan = Math.trunc(fen / 100);
  const rest = fen % 100;
  return rest === 0 ? String(yuan) : `${yuan}.${String(rest).padStart(2, '0')}`;
}
