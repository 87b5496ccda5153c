import type { BookingPolicySnapshot } from '@qihub/db';
import { IANAZone } from 'luxon';
import type { Window } from './calendar.ts';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

/** A free span of one resource (a unit, or a qualified operator), in epoch milliseconds. */
export interface Span {
  ref: string;
  start: number;
  end: number;
}

export interface Slot {
  start: string;
  end: string;
  unitsFree: number;
}

/** Local minute of the day of an instant in a zone (same reading as the booking rules' grid check). */
/**
 * UTC offsets per zone and quarter hour: every zone's transitions fall on a quarter hour of UTC,
 * so one lookup serves the whole quarter (Intl is slow enough to matter over many instruments).
 */
const offsets = new Map<string, Map<number, number>>();
const QUARTER = 15 * MINUTE;
function offsetMinutes(ms: number, zone: string): number {
  let byQuarter = offsets.get(zone);
  if (!byQuarter || byQuarter.size > 50_000) offsets.set(zone, (byQuarter = new Map()));
  const q = Math.floor(ms / QUARTER);
  let offset = byQuarter.get(q);
  if (offset === undefined) byQuarter.set(q, (offset = IANAZone.create(zone).offset(ms)));
  return offset;
}

function localMinute(ms: number, zone: string): number {
  const offset = offsetMinutes(ms, zone);
  const local = Math.floor((ms + offset * MINUTE) / MINUTE);
  return ((local % 1440) + 1440) % 1440;
}

/**
 * The first instant at or after `ms` that lies on the policy's wall-clock grid (local minute of
 * day divisible by the slot length; the grid restarts at local midnight and follows DST shifts).
 */
export function nextOnGrid(ms: number, zone: string, slotMinutes: number): number {
  let t = Math.ceil(ms / MINUTE) * MINUTE;
  for (let i = 0; i < 1000; i++) {
    const local = localMinute(t, zone);
    const r = local % slotMinutes;
    if (r === 0) return t;
    t += Math.min(slotMinutes - r, 1440 - local) * MINUTE;
  }
  return Number.POSITIVE_INFINITY;
}

/** Windows sorted by start and disjoint: is [start, end) inside one of them? (binary search) */
export function insideOneWindow(start: number, end: number, windows: Window[]): boolean {
  let lo = 0;
  let hi = windows.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (windows[mid]!.start.getTime() <= start) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found >= 0 && end <= windows[found]!.end.getTime();
}

export interface SlotSearch {
  /** Free spans per unit: opening hours minus closures minus bookings widened by this policy's buffers. */
  units: Span[];
  /** Assisted mode: free spans per qualified operator (training valid, not busy); undefined for self mode. */
  operators?: Span[];
  windows: Window[];
  policy: BookingPolicySnapshot;
  mode: 'self' | 'assisted';
  timeZone: string;
  durationMinutes: number;
  now: Date;
  from: Date;
  to: Date;
  /** Stop after this many slots (earliest first); all when omitted. */
  limit?: number;
}

/**
 * Bookable slots, earliest first: on the policy's grid, of an allowed duration and mode, inside the
 * lead time and horizon, inside one opening window, held by at least one unit's free span and (in
 * assisted mode) one operator's free span. The same checks as `checkBookingRules` and the
 * opening-hours rule of booking, computed arithmetically so that no slot is probed in SQL.
 */
export function slotsFrom(input: SlotSearch): Slot[] {
  const { policy, mode, timeZone, now } = input;
  const duration = input.durationMinutes * MINUTE;
  const minutes = input.durationMinutes;
  if (!policy.modes.includes(mode)) return [];
  if (minutes < policy.minMinutes || minutes > policy.maxMinutes || minutes % policy.slotMinutes !== 0) return [];
  const earliest = Math.max(input.from.getTime(), now.getTime() + policy.leadMinutes * MINUTE, now.getTime() + 1);
  const latestStart = Math.min(now.getTime() + policy.horizonDays * DAY, input.to.getTime() - duration);
  if (earliest > latestStart) return [];
  const units = [...input.units].sort((a, b) => a.start - b.start);
  const starts = new Set<number>();
  const limit = input.limit ?? Number.POSITIVE_INFINITY;
  // With a limit, the k-th earliest start found so far: spans starting after it cannot improve.
  let kth = Number.POSITIVE_INFINITY;
  for (const span of units) {
    if (span.start > kth) break;
    let found = 0;
    let t = nextOnGrid(Math.max(span.start, earliest), timeZone, policy.slotMinutes);
    while (t <= latestStart && t + duration <= span.end && found < limit && t <= kth) {
      if (starts.has(t)) found++;
      else if (insideOneWindow(t, t + duration, input.windows) && operatorFree(input.operators, t, duration)) {
        starts.add(t);
        found++;
      }
      t = nextOnGrid(t + MINUTE, timeZone, policy.slotMinutes);
    }
    if (input.limit !== undefined && starts.size >= limit) {
      kth = [...starts].sort((a, b) => a - b)[limit - 1]!;
    }
  }
  const ordered = [...starts].sort((a, b) => a - b);
  const chosen = input.limit === undefined ? ordered : ordered.slice(0, input.limit);
  return chosen.map((t) => {
    const unitsFree = new Set(units.filter((s) => s.start <= t && t + duration <= s.end).map((s) => s.ref)).size;
    return { start: new Date(t).toISOString(), end: new Date(t + duration).toISOString(), unitsFree };
  });
}

function operatorFree(operators: Span[] | undefined, start: number, duration: number): boolean {
  if (!operators) return true;
  return operators.some((o) => o.start <= start && start + duration <= o.end);
}
