import { formatMoney } from '$lib/money';
import type { components } from '$lib/api/schema';
import type { Me, Money } from '$lib/types';

export type RateTier = components['schemas']['RateTier'];

/** A lab's own members book at its internal rate; everyone else (an SME) at the external rate. */
export function tierFor(user: Me | null, labId: string): RateTier {
  return user?.memberships.some((m) => m.orgId === labId) ? 'internal' : 'external';
}

/** Price in fen for booked minutes at an hourly rate, rounded half up to the fen (as the API does). */
export function priceForMinutes(hourlyRateFen: number, minutes: number): number {
  return Math.floor((hourlyRateFen * minutes + 30) / 60);
}

/** The price of a slot at the tier's hourly rate; null when the instrument is not rented by the hour. */
export function slotPrice(
  rates: { internalHour: Money | null; externalHour: Money | null },
  tier: RateTier,
  minutes: number,
): { price: Money; hourly: Money } | null {
  const hourly = tier === 'internal' ? rates.internalHour : rates.externalHour;
  if (!hourly) return null;
  return { price: { amount: priceForMinutes(hourly.amount, minutes), currency: hourly.currency }, hourly };
}

/** A share of an amount given in basis points (5000 = 50 %), rounded half away from zero to the fen. */
export function applyBasisPoints(fen: number, basisPoints: number): number {
  const product = fen * basisPoints;
  const rounded = Math.floor((Math.abs(product) + 5000) / 10000);
  return product < 0 ? -rounded : rounded;
}

/** 5000 basis points → "50", 1250 → "12.5" (for "收取 50% 费用"). */
export function percentText(basisPoints: number): string {
  return String(basisPoints / 100);
}

/** Always with fen: ¥1,200.00. */
export function priceText(money: Money, locale: string): string {
  return formatMoney(money, locale);
}
