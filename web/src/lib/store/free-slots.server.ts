import type { Api } from '$lib/server/api';
import { searchProblemCode } from '$lib/catalogue/catalogue.server';
import type { CatalogueApiQuery } from '$lib/catalogue/query';
import { FREE_HOURS, FREE_WITHIN_DAYS } from './free-slots';

/**
 * "Free within … for … hours" on the instrument list: the instruments of the search (words,
 * category, region) that have such a slot, each with its earliest slots, soonest first
 * (GET /v1/availability/search). Absent (null) until the customer asks.
 */
export async function freeSlotSearch(api: Api, params: URLSearchParams, query: CatalogueApiQuery, now = new Date()) {
  const within = Number(params.get('within'));
  const hours = Number(params.get('hours'));
  const form = {
    within: FREE_WITHIN_DAYS.includes(within) ? within : 7,
    hours: FREE_HOURS.includes(hours) ? hours : 2,
  };
  if (!params.has('hours')) return { form, result: null };
  // Whole minutes from now: the API's slots start on the instrument's grid anyway.
  const from = new Date(Math.ceil(now.getTime() / 60_000) * 60_000);
  const to = new Date(from.getTime() + form.within * 86_400_000);
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
