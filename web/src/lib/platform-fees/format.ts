/** "0.50 %" of basis points. */
export function percent(bp: number): string {
  return `${(bp / 100).toFixed(2)} %`;
}

/** A rate typed as a percentage ("0.5", "0,5 %") in basis points; null when it is none (0–100 %, 1/100 % steps). */
export function parsePercent(raw: string): number | null {
  const v = raw.normalize('NFKC').replace(/[%\s]/g, '').replace(',', '.');
  if (!/^\d{1,3}(\.\d{1,2})?$/.test(v)) return null;
  const bp = Math.round(Number(v) * 100);
  return bp >= 0 && bp <= 10_000 ? bp : null;
}
