import type { Api } from '$lib/server/api';
import { problemCode } from './bookings.server';
import { addDays, localDateOf, mondayOf } from '$lib/time';
import {
  buildWeekGrid,
  durationOptions,
  inferStepMinutes,
  pickDuration,
  resolveWeek,
  weekSpan,
  type FreeSlot,
  type WeekGrid,
} from '$lib/booking/week';
import type { BookingMode, BookingPolicy } from '$lib/booking/types';

/** How far ahead one may page when the policy (and so the horizon) is not known. */
const DEFAULT_WEEKS_AHEAD = 26;

export interface WeekAvailability {
  timeZone: string;
  week: string;
  prevWeek: string | null;
  nextWeek: string | null;
  durations: number[];
  duration: number;
  modes: BookingMode[];
  mode: BookingMode;
  slots: FreeSlot[];
  /** Busy ranges when the availability answer names them; null otherwise. */
  busy: { start: string; end: string }[] | null;
  stepMinutes: number;
  /** Earliest bookable instant (now + lead time) when the policy is known. */
  notBefore: string | null;
  now: string;
  /** The calendar, drawn here: the browser shows it without redoing the time-zone arithmetic. */
  grid: WeekGrid;
  /** Today's date at the site. */
  today: string;
  problem: string | null;
}

/**
 * One week of free slots for the week calendar, read from the URL (`week`, `duration`, `mode`),
 * the same way for the instrument page and for rescheduling (which fixes duration and mode).
 */
export async function weekAvailability(
  api: Api,
  input: {
    instrumentId: string;
    timeZone: string;
    url: URL;
    policy: BookingPolicy | null;
    fixed?: { duration: number; mode: BookingMode };
    now?: Date;
  },
): Promise<WeekAvailability> {
  const { instrumentId, timeZone, url, policy } = input;
  const now = input.now ?? new Date();
  const thisWeek = mondayOf(localDateOf(now, timeZone));
  const asked = url.searchParams.get('week');
  let week = resolveWeek(asked, policy ? new Date(now.getTime() + policy.leadMinutes * 60_000) : now, timeZone);
  if (week < thisWeek) week = thisWeek;
  const lastDay = policy
    ? localDateOf(new Date(now.getTime() + policy.horizonDays * 86_400_000), timeZone)
    : addDays(thisWeek, DEFAULT_WEEKS_AHEAD * 7);

  const durations = input.fixed ? [input.fixed.duration] : durationOptions(policy);
  const duration = input.fixed ? input.fixed.duration : pickDuration(url.searchParams.get('duration'), durations);
  const modes: BookingMode[] = policy?.modes.length ? policy.modes : ['self', 'assisted'];
  const askedMode = url.searchParams.get('mode');
  const mode: BookingMode = input.fixed ? input.fixed.mode : (modes.find((m) => m === askedMode) ?? modes[0] ?? 'self');

  const fetchWeek = (w: string) =>
    api.GET('/v1/instruments/{id}/availability', {
      params: { path: { id: instrumentId }, query: { ...weekSpan(w, timeZone), durationMinutes: duration, mode } },
    });
  let answer = await fetchWeek(week);
  // Without a week in the URL, open on the first week with something to book (this one is often
  // used up by the lead time by Friday).
  if (!asked && answer.data && answer.data.slots.length === 0 && addDays(week, 7) <= lastDay) {
    const next = await fetchWeek(addDays(week, 7));
    if (next.data && next.data.slots.length > 0) {
      week = addDays(week, 7);
      answer = next;
    }
  }
  const { data, error, response } = answer;
  const slots = data?.slots ?? [];
  const busyRaw = (data as { busy?: unknown } | undefined)?.busy;
  const siteZone = data?.timeZone ?? timeZone;
  const busy = Array.isArray(busyRaw) ? (busyRaw as { start: string; end: string }[]) : null;
  const stepMinutes = policy?.slotMinutes ?? inferStepMinutes(slots, timeZone);
  const notBefore = policy ? new Date(now.getTime() + policy.leadMinutes * 60_000) : null;
  return {
    timeZone: siteZone,
    week,
    prevWeek: week > thisWeek ? addDays(week, -7) : null,
    nextWeek: addDays(week, 7) <= lastDay ? addDays(week, 7) : null,
    durations,
    duration,
    modes,
    mode,
    slots,
    busy,
    stepMinutes,
    notBefore: notBefore?.toISOString() ?? null,
    now: now.toISOString(),
    grid: buildWeekGrid({
      weekStart: week,
      timeZone: siteZone,
      slots,
      durationMinutes: duration,
      stepMinutes,
      busy,
      notBefore,
      now,
    }),
    today: localDateOf(now, siteZone),
    problem: data ? null : problemCode(error, response.status),
  };
}

/**
 * The week as a page sends it to the browser: the drawn grid, without the free slots and busy
 * ranges it was drawn from (the grid's cells carry them), so the page's data holds them once.
 */
export function weekForPage(week: WeekAvailability): Omit<WeekAvailability, 'slots' | 'busy'> {
  const shown: Partial<WeekAvailability> = { ...week };
  delete shown.slots;
  delete shown.busy;
  return shown as Omit<WeekAvailability, 'slots' | 'busy'>;
}

/** The free slot a `?start=` names (its instant compared, not its spelling), or null. */
export function slotAt(slots: FreeSlot[], start: string | null): FreeSlot | null {
  if (!start) return null;
  const at = Date.parse(start);
  if (Number.isNaN(at)) return null;
  return slots.find((s) => Date.parse(s.start) === at) ?? null;
}
