/** The rules and helpers of the demo's past instrument time (bookings-history.ts). */
import { createHash } from 'node:crypto';
import type { bookings, invoiceLines, invoices, payments, BookingPolicySnapshot } from '../schema/index.ts';

export const MINUTE = 60_000;
export const TAX_BP = 600;
export const ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
export const FIRST_DAY = '2026-03-02';
export const LAST_DAY = '2026-11-13';
export const MONTHLY_LAST_DAY = '2026-10-30';
/** 2026 public holidays of the State Council schedule in the span (no bookings then). */
export const HOLIDAYS = new Set([
  '2026-04-06',
  '2026-05-01',
  '2026-05-04',
  '2026-05-05',
  '2026-06-19',
  '2026-09-25',
  '2026-10-01',
  '2026-10-02',
  '2026-10-05',
  '2026-10-06',
  '2026-10-07',
]);
/** Default working week of a site without opening hours: 08:30–17:30 China time (UTC+8). */
export const OPEN_MIN = 8 * 60 + 30;
export const CLOSE_MIN = 17 * 60 + 30;
/** The snapshot every seeded booking carries: the instruments have no policy row (the defaults). */
export const POLICY: BookingPolicySnapshot = {
  slotMinutes: 30,
  minMinutes: 30,
  maxMinutes: 480,
  leadMinutes: 24 * 60,
  horizonDays: 60,
  setupMinutes: 0,
  cleanupMinutes: 0,
  modes: ['self', 'assisted'],
  requiresApproval: true,
  holdMinutes: 15,
  cancellationCutoffMinutes: 24 * 60,
  cancellationFeeBasisPoints: 5000,
  qualificationRequired: false,
  noShowGraceMinutes: 15,
  lateVoidMinutes: 60,
  quotaMinutesPerWeek: null,
};
/** Instruments nobody booked in the period (besides those under maintenance or without an hourly rate). */
export const IDLE = new Set(['sqi-impact', 'njut-uvvis', 'wxmat-metallo', 'njut-psd']);
/** Who books at each lab: weight per customer (internal = the lab's own staff, at the internal rate). */
export const CUSTOMERS: Record<string, { who: string; weight: number }[]> = {
  sqi: [
    { who: 'sme', weight: 40 },
    { who: 'sme2', weight: 25 },
    { who: 'internal', weight: 35 },
  ],
  njut: [
    { who: 'sme', weight: 35 },
    { who: 'sme2', weight: 25 },
    { who: 'internal', weight: 40 },
  ],
  wxmat: [
    { who: 'sme', weight: 55 },
    { who: 'sme2', weight: 45 },
  ],
};
export const STAFF: Record<string, string[]> = {
  sqi: ['lab@demo.qihub.test', 'operator@demo.qihub.test', 'reviewer@demo.qihub.test'],
  njut: ['lab2@demo.qihub.test'],
  wxmat: [],
};
export const ENTERPRISE = {
  sme: { org: 'enterprise:hengrui', email: 'sme@demo.qihub.test' },
  sme2: { org: 'enterprise:chengrui', email: 'sme2@demo.qihub.test' },
} as const;
export const OPERATOR: Record<string, string | undefined> = { sqi: 'operator@demo.qihub.test' };

/** mulberry32: a small deterministic PRNG. */
export function prng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  return {
    next,
    int: (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1)),
    pick: <T>(xs: readonly T[]) => xs[Math.floor(next() * xs.length)]!,
    weighted: <T extends { weight: number }>(xs: readonly T[]) => {
      let r = next() * xs.reduce((s, x) => s + x.weight, 0);
      for (const x of xs) if ((r -= x.weight) < 0) return x;
      return xs[xs.length - 1]!;
    },
  };
}

/** A China wall-clock minute of a day as an instant (UTC+8, no DST). */
export const china = (day: string, minuteOfDay: number) =>
  new Date(Date.parse(`${day}T00:00:00+08:00`) + minuteOfDay * MINUTE);
export const chinaDay = (d: Date) => new Date(d.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
export const chinaTime = (d: Date) => new Date(d.getTime() + 8 * 3_600_000).toISOString().slice(11, 16);
export const addDays = (day: string, n: number) => {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
};
export const isWorkingDay = (day: string) => {
  const wd = new Date(`${day}T00:00:00Z`).getUTCDay();
  return wd !== 0 && wd !== 6 && !HOLIDAYS.has(day);
};
/** The working day `n` working days after (n > 0) or before (n < 0) `day`. */
export function workingDaysFrom(day: string, n: number): string {
  let d = day;
  let left = Math.abs(n);
  while (left > 0) {
    d = addDays(d, Math.sign(n));
    if (isWorkingDay(d)) left--;
  }
  return d;
}

export function reference(key: string): string {
  const digest = createHash('sha256').update(`payment-reference:${key}`).digest();
  let ref = 'QH';
  for (let i = 0; i < 8; i++) ref += ALPHABET[digest[i]! % ALPHABET.length];
  return ref;
}
export const vat = (amount: number) => Math.round((amount * TAX_BP) / (10_000 + TAX_BP));
export const priceForMinutes = (rate: number, minutes: number) => Math.floor((rate * minutes + 30) / 60);
export function billable(booked: number, actual: number): number {
  if (actual <= booked + 10) return booked;
  return Math.max(booked, Math.ceil(actual / POLICY.slotMinutes) * POLICY.slotMinutes);
}

export type BookingRow = typeof bookings.$inferInsert;
export type LineRow = typeof invoiceLines.$inferInsert;
export type InvoiceRow = typeof invoices.$inferInsert;
export type PaymentRow = typeof payments.$inferInsert;
export interface Journal {
  id: string;
  book: string;
  kind: string;
  sourceKind: string;
  sourceId: string;
  memo: string;
  at: Date;
  entries: { code: string; counterparty: string | null; amount: number; invoiceId?: string }[];
}

export interface BookingHistoryCounts {
  bookings: number;
  completed: number;
  cancelled: number;
  noShows: number;
  invoices: number;
  payments: number;
}

/** Planned booking with what the seed needs to bill it. */
export interface Planned {
  key: string;
  row: BookingRow;
  name: { zh: string; en: string };
}
