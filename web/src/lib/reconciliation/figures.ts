import type { components } from '$lib/api/schema';
import { MONEY_ZONE } from '$lib/finance/forms';
import { addDays, todayIn } from '$lib/time';

export type Reconciliation = components['schemas']['Reconciliation'];
export type LabFigures = Reconciliation['labs'][number];
export type Discrepancy = components['schemas']['Discrepancy'];

/** The kinds the daily job finds, in the order the filter offers them (a kind new to the web still shows). */
export const KINDS = [
  'invoice_overdue',
  'bank_line_unmatched',
  'booking_not_invoiced',
  'booking_overrun',
  'voucher_claim_waiting',
  'voucher_claim_unpaid',
] as const;

export const STATES = ['open', 'resolved', 'all'] as const;
export type QueueState = (typeof STATES)[number];

/** The ageing buckets, oldest last, as the API names them. */
export const BUCKETS = ['notDue', 'days0to30', 'days31to60', 'days61to90', 'over90'] as const;
export type Bucket = (typeof BUCKETS)[number];

/** The preset periods (China dates): this month so far, and the whole of last month. */
export function presets(now: Date): {
  thisMonth: { from: string; to: string };
  lastMonth: { from: string; to: string };
} {
  const today = todayIn(MONEY_ZONE, now);
  const first = `${today.slice(0, 8)}01`;
  const lastOfPrevious = addDays(first, -1);
  return {
    thisMonth: { from: first, to: today },
    lastMonth: { from: `${lastOfPrevious.slice(0, 8)}01`, to: lastOfPrevious },
  };
}

/** The queue's filters from the address: a kind (any text the API may use) and open / resolved / all. */
export function queueFilter(params: URLSearchParams): { kind: string | null; state: QueueState } {
  const kind = params.get('kind');
  const state = params.get('state');
  return {
    kind: kind && /^[a-z_]{2,40}$/.test(kind) ? kind : null,
    state: (STATES as readonly string[]).includes(state ?? '') ? (state as QueueState) : 'open',
  };
}

export function filterQueue(items: readonly Discrepancy[], f: { kind: string | null; state: QueueState }) {
  return items.filter(
    (d) =>
      (f.kind === null || d.kind === f.kind) &&
      (f.state === 'all' || (f.state === 'open' ? d.resolvedAt === null : d.resolvedAt !== null)),
  );
}

/** The kinds to offer in the filter: the known ones, then any other the queue holds. */
export function kindsOffered(items: readonly Discrepancy[]): string[] {
  const extra = [...new Set(items.map((d) => d.kind))].filter((k) => !(KINDS as readonly string[]).includes(k));
  return [...KINDS, ...extra.sort()];
}

export interface Totals {
  bookedMinutes: number;
  usedMinutes: number;
  billed: number;
  invoiced: number;
  paid: number;
  claimed: number;
  approved: number;
  voucherPaid: number;
  outstanding: Record<Bucket | 'total', number>;
  openDiscrepancies: number;
}

/** The region's totals: the column sums of the per-lab figures (fen, minutes). */
export function totalsOf(labs: readonly LabFigures[]): Totals {
  const t: Totals = {
    bookedMinutes: 0,
    usedMinutes: 0,
    billed: 0,
    invoiced: 0,
    paid: 0,
    claimed: 0,
    approved: 0,
    voucherPaid: 0,
    outstanding: { total: 0, notDue: 0, days0to30: 0, days31to60: 0, days61to90: 0, over90: 0 },
    openDiscrepancies: 0,
  };
  for (const l of labs) {
    t.bookedMinutes += l.bookedMinutes;
    t.usedMinutes += l.usedMinutes;
    t.billed += l.billed.amount;
    t.invoiced += l.invoiced.amount;
    t.paid += l.paid.total.amount;
    t.claimed += l.vouchers.claimed?.amount ?? 0;
    t.approved += l.vouchers.approved?.amount ?? 0;
    t.voucherPaid += l.vouchers.paid?.amount ?? 0;
    t.outstanding.total += l.outstanding.total.amount;
    for (const b of BUCKETS) t.outstanding[b] += l.outstanding[b].amount;
    t.openDiscrepancies += l.openDiscrepancies;
  }
  return t;
}

/** Minutes as hours with one decimal (90 → 1.5), as the figures read them. */
export function hours(minutes: number): number {
  return Math.round(minutes / 6) / 10;
}

/**
 * The ageing bar of one row: each bucket's share of the widest row, in per cent (so rows compare),
 * every non-zero bucket at least a sliver wide enough to see.
 */
export function barSegments(
  row: Record<Bucket, number>,
  widest: number,
): { bucket: Bucket; amount: number; percent: number }[] {
  if (widest <= 0) return [];
  return BUCKETS.filter((b) => row[b] > 0).map((b) => ({
    bucket: b,
    amount: row[b],
    percent: Math.max(0.5, Math.round((row[b] / widest) * 1000) / 10),
  }));
}
