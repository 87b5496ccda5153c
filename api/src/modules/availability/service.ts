import type { BookingPolicySnapshot, Db } from '@qihub/db';
import { canSeeCatalogueEntry, type Actor } from '../../lib/actor.ts';
import { placePrefixes } from '../../lib/catalogue-query.ts';
import { readQuery } from '../../lib/catalogue-search.ts';
import { notFound, unprocessable } from '../../lib/errors.ts';
import { localDate } from '../../lib/time.ts';
import { moneyOrNull } from '../../lib/money.ts';
import { DEFAULT_POLICY } from './booking-policy.ts';
import { openingWindows, toMultirange, type Window } from './calendar.ts';
import { refreshHolidayCalendar } from './holiday-years.ts';
import * as repo from './repository.ts';
import { slotsFrom, type Slot } from './slots.ts';

export interface AvailabilityDeps {
  db: Db;
  clock: () => Date;
}

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
/** At most this long a span per request, so one call stays cheap. */
export const MAX_SPAN_DAYS = 31;
/** A search looks at no more than this many matching instruments (catalogue order: name). */
export const MAX_SEARCH_CANDIDATES = 250;
/** Earliest slots listed per instrument in a search. */
const SLOTS_PER_RESULT = 3;
/** Unit spans fetched per instrument in a search before falling back to all of them. */
const SPANS_PER_INSTRUMENT = 12;

type Mode = 'self' | 'assisted';

/** from < to and at most MAX_SPAN_DAYS apart, else 422 invalid_span. */
export function parseSpan(fromIso: string, toIso: string): { from: Date; to: Date } {
  const from = new Date(fromIso);
  const to = new Date(toIso);
  if (!(to > from) || to.getTime() - from.getTime() > MAX_SPAN_DAYS * 24 * 60 * MINUTE) {
    throw unprocessable('invalid_span', `Ask for a span after from of at most ${MAX_SPAN_DAYS} days.`, [
      { path: '/to', code: 'invalid_span', message: `to must be after from and at most ${MAX_SPAN_DAYS} days later.` },
    ]);
  }
  return { from, to };
}

/** A stored policy row over the defaults (columns added later keep their defaults). */
function policyOf(row: repo.CandidateRow): BookingPolicySnapshot {
  return row.policy ? { ...DEFAULT_POLICY, ...row.policy } : DEFAULT_POLICY;
}

/**
 * Free slots for many instruments at once: opening windows expanded once per distinct
 * (weekly hours, zone) with Luxon, free time of every unit (and qualified operator) in one SQL
 * statement, then the slot grid, lead time and horizon of each instrument's policy.
 */
async function slotsFor(
  deps: AvailabilityDeps,
  rows: repo.CandidateRow[],
  q: { from: Date; to: Date; durationMinutes: number; mode: Mode; limit?: number },
): Promise<Map<string, Slot[]>> {
  await refreshHolidayCalendar(deps.db);
  const now = deps.clock();
  const windowsByKey = new Map<string, { index: number; windows: Window[] }>();
  const openings: string[] = [];
  const targets: repo.FreeTimeTarget[] = [];
  const plans = new Map<string, { row: repo.CandidateRow; policy: BookingPolicySnapshot; windows: Window[] }>();
  for (const row of rows) {
    if (row.status !== 'active') continue;
    const policy = policyOf(row);
    // Skip instruments that cannot offer this request at all before any SQL is spent on them.
    const d = q.durationMinutes;
    if (!policy.modes.includes(q.mode) || d < policy.minMinutes || d > policy.maxMinutes || d % policy.slotMinutes)
      continue;
    const earliest = Math.max(q.from.getTime(), now.getTime() + policy.leadMinutes * MINUTE);
    const latest = Math.min(q.to.getTime(), now.getTime() + policy.horizonDays * 24 * 60 * MINUTE + d * MINUTE);
    if (earliest + d * MINUTE > latest) continue;
    const key = `${row.timeZone}|${JSON.stringify(row.hours)}`;
    let entry = windowsByKey.get(key);
    if (!entry) {
      const windows = openingWindows(q.from, q.to, row.timeZone, row.hours);
      entry = { index: openings.length, windows };
      openings.push(toMultirange(windows));
      windowsByKey.set(key, entry);
    }
    if (entry.windows.length === 0) continue;
    plans.set(row.id, { row, policy, windows: entry.windows });
    targets.push({
      instrumentId: row.id,
      labId: row.labId,
      opening: entry.index,
      setupMinutes: policy.setupMinutes,
      cleanupMinutes: policy.cleanupMinutes,
      earliest: new Date(earliest),
      latest: new Date(latest),
    });
  }
  const out = new Map<string, Slot[]>();
  const compute = async (batch: repo.FreeTimeTarget[], spansPerInstrument?: number) => {
    const free = await repo.freeTime(deps.db, {
      targets: batch,
      openings,
      from: q.from,
      to: q.to,
      now,
      minMinutes: q.durationMinutes,
      assisted: q.mode === 'assisted',
      spansPerInstrument,
    });
    for (const target of batch) {
      const plan = plans.get(target.instrumentId)!;
      out.set(
        target.instrumentId,
        slotsFrom({
          units: free.units.get(target.instrumentId) ?? [],
          operators: q.mode === 'assisted' ? (free.operators.get(target.instrumentId) ?? []) : undefined,
          windows: plan.windows,
          policy: plan.policy,
          mode: q.mode,
          timeZone: plan.row.timeZone,
          durationMinutes: q.durationMinutes,
          now,
          from: q.from,
          to: q.to,
          limit: q.limit,
        }),
      );
    }
    return free.capped;
  };
  if (q.limit === undefined) {
    await compute(targets);
    return out;
  }
  // Earliest slots: the first spans of each instrument almost always hold them. An instrument
  // whose spans were cut is computed again in full (one more query) unless all its slots start
  // before the last span kept — then no span left out could hold an earlier slot or another unit.
  const capped = await compute(targets, SPANS_PER_INSTRUMENT);
  const again = targets.filter((x) => {
    const cutAt = capped.get(x.instrumentId);
    if (cutAt === undefined) return false;
    const found = out.get(x.instrumentId)!;
    return found.length < q.limit! || Date.parse(found[q.limit! - 1]!.start) >= cutAt;
  });
  if (again.length > 0) await compute(again);
  return out;
}

/**
 * Free slots of `durationMinutes` on the instrument's grid between two instants, with how many
 * units are free for each. Every slot offered passes the booking rules of the instrument's policy;
 * in assisted mode a qualified operator is also free for the whole slot.
 */
export async function instrumentAvailability(
  deps: AvailabilityDeps,
  actor: Actor | null,
  input: { instrumentId: string; from: string; to: string; durationMinutes: number; mode: Mode },
) {
  const { from, to } = parseSpan(input.from, input.to);
  const row = await repo.candidateById(deps.db, input.instrumentId);
  // What the catalogue does not show has no public calendar (its own lab still sees it).
  if (!row || row.status === 'retired' || !canSeeCatalogueEntry(actor, row)) throw notFound('instrument');
  const slots = await slotsFor(deps, [row], { from, to, durationMinutes: input.durationMinutes, mode: input.mode });
  return { timeZone: row.timeZone, slots: slots.get(row.id) ?? [] };
}

export interface SearchInput {
  category?: string;
  region?: string;
  q?: string;
  from: string;
  to: string;
  durationMinutes: number;
  mode?: Mode;
  limit?: number;
  /** Only these instruments (the cards of a catalogue page, for their next free slot). */
  ids?: string[];
}

/**
 * "Any SEM in Suzhou free for 2 hours next week" ("SEM 苏州" reads the same: place words narrow the
 * region, standard numbers find instruments used for them): instruments of admitted labs matching the
 * catalogue filters and rented by the hour, each with its earliest free slots, soonest first.
 */
export async function searchAvailability(deps: AvailabilityDeps, input: SearchInput) {
  const { from, to } = parseSpan(input.from, input.to);
  const mode = input.mode ?? 'self';
  const limit = input.limit ?? 20;
  if (input.ids && input.ids.length === 0) return { items: [], considered: 0, truncated: false };
  const parsed = await readQuery(deps.db, input.q);
  const rows = await repo.searchCandidates(
    deps.db,
    {
      terms: parsed.terms,
      standards: parsed.standards,
      placePrefixes: placePrefixes(parsed),
      today: localDate(deps.clock()),
      category: input.category,
      region: input.region,
      ids: input.ids,
      mode,
      from,
      to,
    },
    MAX_SEARCH_CANDIDATES + 1,
  );
  const considered = rows.slice(0, MAX_SEARCH_CANDIDATES);
  const ask = { from, durationMinutes: input.durationMinutes, mode, limit: SLOTS_PER_RESULT };
  // Most instruments have their earliest slots within days: look at the first week first, then
  // at the whole span only for instruments that did not fill up. Exact: a slot missed in the
  // first pass ends after that week, so it starts after every slot the first pass found.
  const firstWeekEnd = new Date(Math.min(to.getTime(), Math.max(from.getTime(), deps.clock().getTime()) + 7 * DAY));
  const slots = await slotsFor(deps, considered, { ...ask, to: firstWeekEnd });
  const unfilled = considered.filter((r) => (slots.get(r.id)?.length ?? 0) < SLOTS_PER_RESULT);
  if (firstWeekEnd < to && unfilled.length > 0) {
    for (const [id, s] of await slotsFor(deps, unfilled, { ...ask, to })) slots.set(id, s);
  }
  const items = considered
    .map((row) => ({ row, slots: slots.get(row.id) ?? [] }))
    .filter((x) => x.slots.length > 0)
    .sort((a, b) => a.slots[0]!.start.localeCompare(b.slots[0]!.start) || a.row.id.localeCompare(b.row.id))
    .slice(0, limit)
    .map(({ row, slots: s }) => ({
      id: row.id,
      nameZh: row.nameZh,
      nameEn: row.nameEn,
      lab: { id: row.labId, nameZh: row.labZh, nameEn: row.labEn },
      site: {
        id: row.siteId,
        nameZh: row.siteZh,
        nameEn: row.siteEn,
        cityZh: row.cityZh,
        cityEn: row.cityEn,
        timeZone: row.timeZone,
      },
      externalHourlyRate: moneyOrNull(row.externalRateHour, row.currency),
      slots: s,
    }));
  return { items, considered: considered.length, truncated: rows.length > MAX_SEARCH_CANDIDATES };
}
