import type { FapiaoRateShare } from '@qihub/db';
import { vatOf } from '../invoices/index.ts';

/**
 * What a fapiao is for, by VAT rate: the invoice's lines grouped by their rate, and, when credit
 * notes took part of the invoice back, the net amount shared out over the rates in proportion
 * (the remainder on the largest share, so the shares add up to the net exactly). Prices are
 * VAT-inclusive (含税), so each share's tax is taken out of it, as the invoice does.
 */
export function rateShares(
  lines: readonly { amountFen: number; taxRateBp: number }[],
  netFen: number,
): FapiaoRateShare[] {
  const byRate = new Map<number, number>();
  for (const l of lines) byRate.set(l.taxRateBp, (byRate.get(l.taxRateBp) ?? 0) + l.amountFen);
  const gross = [...byRate.entries()].filter(([, amount]) => amount > 0).sort(([a], [b]) => a - b);
  const total = gross.reduce((s, [, amount]) => s + amount, 0);
  if (total <= 0 || netFen <= 0) return [];
  const shares = gross.map(([rateBp, amount]) => ({
    rateBp,
    amountFen: total === netFen ? amount : Number((BigInt(amount) * BigInt(netFen)) / BigInt(total)),
  }));
  const rest = netFen - shares.reduce((s, x) => s + x.amountFen, 0);
  if (rest !== 0) {
    const largest = shares.reduce((m, x) => (x.amountFen > m.amountFen ? x : m), shares[0]!);
    largest.amountFen += rest;
  }
  return shares
    .filter((x) => x.amountFen > 0)
    .map((x) => ({ rateBp: x.rateBp, amountFen: x.amountFen, taxFen: vatOf(x.amountFen, x.rateBp) }));
}

/** "6%", "6%/13%": the rates of a request as the tax software reads them. */
export function ratesLabel(shares: readonly FapiaoRateShare[]): string {
  return shares.map((s) => `${s.rateBp / 100}%`).join('/');
}
