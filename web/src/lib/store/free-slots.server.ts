import type { Api } from '$lib/server/api';
import { searchProblemCode } from '$lib/catalogue/catalogue.server';
import type { CatalogueApiQuery } from '$lib/catalogue/query';
import { addDays, isIsoDate, todayIn, zonedInstant } from '$lib/time';
import { FREE_HOURS, FREE_WITHIN_DAYS, NEXT_FREE_DAYS, PLATFORM_ZONE } from './free-slots';

/**
 * "Free within … for … hours" on the instrument list: the instruments of the search (words,
 * category, region) that have such a slot, each with its earliest slots, soonest first
 * (GET /v1/availability/search). Absent (null) until the customer asks.
 */
export async function freeSlotSearch(api: Api, params: URLSearchParams, query: CatalogueApiQuery, now = new Date()) {
  const within = Number(params.get('within'));
  const hours = Number(params.get('hours'));
  const on = params.get('on') ?? '';
  const today = todayIn(PLATFORM_ZONE, now);
  const form = {
    within: FREE_WITHIN_DAYS.includes(within) ? within : 7,
    hours: FREE_HOURS.includes(hours) ? hours : 2,
    // "Free on a date" (China time) instead of "within n days"; past dates read as none.
    on: isIsoDate(on) && on >= today ? on : '',
  };
  if (!params.has('hours')) return { form, result: null };
  // Whole minutes from now: the API's slots start on the instrument's grid anyway.
  const start = new Date(Math.ceil(now.getTime() / 60_000) * 60_000);
  const from = form.on ? new Date(Math.max(start.getTime(), zonedInstant(form.on, 0, PLATFORM_ZONE).getTime())) : start;
  const to = form.on
    ? zonedInstant(addDays(form.on, 1), 0, PLATFORM_ZONE)
    : new Date(from.getTime() + form.within * 86_400_000);
  const answer = await api.GET('/v1/availability/search', {
    params: {
      query: {
        from: from.toISOString(),
        to: to.toISOString(),
        durationMinutes: Math.round(form.hours * 60),
        ...(query.q ? { q: query.q } : {}),
        ...(query.category ? { category: query.category } : {}),
        ...(query.region ? { region: query.region } : {}),
      },
    },
  });
  return {
    form,
    result: {
      items: answer.data?.items ?? [],
      truncated: answer.data?.truncated ?? false,
      problem: answer.data ? null : searchProblemCode(answer.error, answer.response.status),
    },
  };
}

/**
 * The next free hour of each instrument on a catalogue page (by id), from the same cross-instrument
 * search; instruments not rented by the hour, or full for NEXT_FREE_DAYS, have none. A failed
 * lookup shows no slots rather than failing the page.
 */
export async function nextFreeSlots(api: Api, ids: string[], now = new Date()): Promise<Record<string, string>> {
  if (ids.length === 0) return {};
  const from = new Date(Math.ceil(now.getTime() / 60_000) * 60_000);
  const to = new Date(from.getTime() + NEXT_FREE_DAYS * 86_400_000);
  const answer = await api.GET('/v1/availability/search', {
    params: {
      query: { from: from.toISOString(), to: to.toISOString(), durationMinutes: 60, ids, limit: 50 },
    },
  });
  return Object.fromEntries((answer.data?.items ?? []).map((hit) => [hit.id, hit.slots[0]!.start]));
}
