/**
 * Money is integer minor units (fen for CNY) plus an ISO 4217 code — never floats.
 * Conversion from user-entered yuan happens once, at the edge, with string arithmetic.
 */
export interface Money {
  amount: number;
  currency: string;
}

export const CURRENCY = 'CNY';

export function money(amount: number, currency = CURRENCY): Money {
  if (!Number.isSafeInteger(amount)) throw new RangeError(`money amount must be an integer, got ${amount}`);
  return { amount, currency };
}

export function moneyOrNull(amount: number | null | undefined, currency = CURRENCY): Money | null {
  return amount === null || amount === undefined ? null : money(amount, currency);
}

/** "1234.5" or "1,234.50" yuan → 123450 fen. Rejects more than two decimals, signs and junk. */
export function parseYuan(text: string): number {
  const trimmed = text.trim();
  // Thousands separators are allowed only where they belong: "1,234,567.89".
  if (trimmed.includes(',') && !/^\d{1,3}(,\d{3})+(\.\d{1,2})?$/.test(trimmed)) {
    throw new RangeError(`not an amount in yuan: "${text}"`);
  }
  const cleaned = trimmed.replace(/,/g, '');
  const match = /^(\d{1,12})(?:\.(\d{1,2}))?$/.exec(cleaned);
  if (!match) throw new RangeError(`not an amount in yuan: "${text}"`);
  const whole = Number(match[1]);
  const fraction = Number((match[2] ?? '').padEnd(2, '0'));
  return whole * 100 + fraction;
}

/** 123450 → "1234.50" (no grouping; for forms and CSV). */
export function formatYuan(fen: number): string {
  if (!Number.isSafeInteger(fen)) throw new RangeError(`fen must be an integer, got ${fen}`);
  const sign = fen < 0 ? '-' : '';
  const abs = Math.abs(fen);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

/**
 * Multiplies an amount by a ratio given in basis points (1 % = 100 bp), rounding half away from
 * zero to the fen — the rounding Chinese invoices use.
 */
export function applyBasisPoints(fen: number, basisPoints: number): number {
  if (!Number.isSafeInteger(fen) || !Number.isSafeInteger(basisPoints)) {
    throw new RangeError('fen and basis points must be integers');
  }
  // BigInt: fen × bp can pass 2^53 for large amounts, where doubles would round wrongly.
  const product = BigInt(fen) * BigInt(basisPoints);
  const negative = product < 0n;
  const magnitude = negative ? -product : product;
  const rounded = Number((magnitude + 5_000n) / 10_000n);
  return negative && rounded !== 0 ? -rounded : rounded;
}

/** Splits an amount into parts proportional to weights; the parts always add up to the amount. */
export function allocate(fen: number, weights: number[]): number[] {
  if (!Number.isSafeInteger(fen)) throw new RangeError('fen must be an integer');
  if (weights.length === 0 || weights.some((w) => !Number.isFinite(w) || w < 0) || weights.every((w) => w === 0)) {
    throw new RangeError('weights must be finite, non-negative, with at least one positive');
  }
  const total = weights.reduce((a, b) => a + b, 0);
  if (!Number.isFinite(total) || !Number.isFinite(fen * total)) {
    throw new RangeError('weights are too large to allocate exactly');
  }
  const parts = weights.map((w) => Math.trunc((fen * w) / total));
  let remainder = fen - parts.reduce((a, b) => a + b, 0);
  const step = remainder >= 0 ? 1 : -1;
  // Largest-remainder: hand the leftover fen to the parts that lost most to truncation.
  const order = weights
    .map((w, i) => ({ i, frac: Math.abs((fen * w) / total - (parts[i] ?? 0)) }))
    .sort((a, b) => b.frac - a.frac || a.i - b.i);
  for (let k = 0; remainder !== 0; k = (k + 1) % order.length) {
    const idx = order[k]!.i;
    if (weights[idx] === 0) continue;
    parts[idx] = (parts[idx] ?? 0) + step;
    remainder -= step;
  }
  return parts;
}
