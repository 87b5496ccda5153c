/**
 * Summary statistics of the evaluation. Quantiles interpolate between the closest ranks, as
 * PostgreSQL's `percentile_cont` does (the median of 2, 4 and 9 hours is 4; of 2 and 4 it is 3).
 */
export function quantile(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const pos = p * (sorted.length - 1);
  const lower = Math.floor(pos);
  const upper = Math.ceil(pos);
  return sorted[lower]! + (sorted[upper]! - sorted[lower]!) * (pos - lower);
}

export function mean(values: readonly number[]): number | null {
  return values.length === 0 ? null : values.reduce((s, v) => s + v, 0) / values.length;
}

/** A share of a whole (0..1), null when there is nothing to share: a rate of no orders is unknown, not 0. */
export function rate(part: number, whole: number): number | null {
  return whole === 0 ? null : part / whole;
}

export function round(value: number | null, digits: number): number | null {
  if (value === null) return null;
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
