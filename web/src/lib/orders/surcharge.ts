import type { ExpediteRates, ExpediteTier } from './types';

export const DEADLINE_TIERS = [5, 15, 25, 30] as const;
export type DeadlineTier = (typeof DEADLINE_TIERS)[number];
export const EXPEDITE_TIERS = ['h72', 'h24', 'h8'] as const;
export type ExpediteChoice = (typeof EXPEDITE_TIERS)[number];

/** The turnaround a customer picks: a tier of working days, or an expedite tier. */
export type Turnaround = { kind: 'days'; days: DeadlineTier } | { kind: 'expedite'; tier: ExpediteChoice };

/** The form's single "turnaround" value: "d5", "d15", "d25", "d30", "h72", "h24", "h8". */
export function parseTurnaround(value: unknown): Turnaround | null {
  if (typeof value !== 'string') return null;
  const d = /^d(\d+)$/.exec(value);
  if (d) {
    const days = Number(d[1]);
    return (DEADLINE_TIERS as readonly number[]).includes(days) ? { kind: 'days', days: days as DeadlineTier } : null;
  }
  return (EXPEDITE_TIERS as readonly string[]).includes(value)
    ? { kind: 'expedite', tier: value as ExpediteChoice }
    : null;
}

export function turnaroundValue(t: Turnaround): string {
  return t.kind === 'days' ? `d${t.days}` : t.tier;
}

export function expeditePct(tier: ExpediteTier, rates: ExpediteRates): number {
  return tier === 'none' ? 0 : rates[tier];
}

export interface SurchargePreview {
  pct: number;
  surchargeFen: number;
  totalFen: number;
}

/** What the customer would pay with this turnaround: the lines' subtotal plus the expedite surcharge. */
export function surchargePreview(
  subtotalFen: number,
  turnaround: Turnaround | null,
  rates: ExpediteRates,
): SurchargePreview {
  const pct = turnaround?.kind === 'expedite' ? expeditePct(turnaround.tier, rates) : 0;
  const surchargeFen = Math.round((subtotalFen * pct) / 100);
  return { pct, surchargeFen, totalFen: subtotalFen + surchargeFen };
}
