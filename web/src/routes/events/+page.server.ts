import { loadCityGroups } from '$lib/server/regions';
import { activeRegistrations, isEventKind, nextSession } from '$lib/events/events';
import { need } from '$lib/server/api';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url }) => {
  const kindParam = url.searchParams.get('kind');
  const kind = isEventKind(kindParam) ? kindParam : null;
  const regionParam = url.searchParams.get('region') ?? '';
  const region = /^\d{6}$/.test(regionParam) ? regionParam : null;
  const now = new Date();
  const [list, regions, mine] = await Promise.all([
    need(
      locals.api.GET('/v1/events', { params: { query: { ...(kind ? { kind } : {}), ...(region ? { region } : {}) } } }),
    ),
    loadCityGroups(locals.api),
    locals.user ? locals.api.GET('/v1/me/registrations').then((r) => r.data?.items ?? []) : Promise.resolve(null),
  ]);
  const events = list.items.map((e) => ({ ...e, next: nextSession(e.sessions, now) }));
  return {
    kind,
    region: region ?? '',
    regions,
    events,
    mine: mine ? activeRegistrations(mine, now) : null,
    now: now.toISOString(),
  };
};
