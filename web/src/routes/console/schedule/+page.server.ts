import { need } from '$lib/server/api';
import { calendarRange, hourTicks, hourWindow, nowPct, parseView, placeSpans } from '$lib/lab-console/calendar';
import { todayIn } from '$lib/time';
import { labSites, requireLabMember } from '$lib/lab-console/console.server';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url }) => {
  const lab = requireLabMember(locals, url);
  const { timeZone } = await labSites(locals.api, lab.orgId);
  const now = new Date();
  const today = todayIn(timeZone, now);
  const view = parseView(url.searchParams.get('view'));
  const range = calendarRange(view, url.searchParams.get('date'), today, timeZone);
  const schedule = await need(
    locals.api.GET('/v1/labs/{id}/schedule', {
      params: { path: { id: lab.orgId }, query: { from: range.from.toISOString(), to: range.to.toISOString() } },
    }),
  );
  // Long closures would always stretch the day; bookings and opening hours decide the hours shown.
  const window = hourWindow(
    schedule.instruments.flatMap((i) => [...i.bookings, ...i.openingWindows]),
    range,
    timeZone,
  );
  const rows = schedule.instruments.map((i) => {
    const { placed, laneCount } = placeSpans(i.bookings, range, window, timeZone, { lanes: true });
    const closures = placeSpans([...i.closures, ...schedule.labClosures], range, window, timeZone);
    const open = placeSpans(i.openingWindows, range, window, timeZone);
    const unitLabel = Object.fromEntries(i.units.map((u) => [u.id, u.label]));
    return {
      id: i.id,
      nameZh: i.nameZh,
      nameEn: i.nameEn,
      status: i.status,
      unitCount: i.units.length,
      laneCount,
      bookings: placed.map((p) => ({ ...p, unitLabel: unitLabel[p.item.unitId] ?? '' })),
      closures: closures.placed,
      open: open.placed,
    };
  });
  return {
    lab,
    timeZone,
    today,
    range: { view: range.view, date: range.date, days: range.days, prev: range.prev, next: range.next },
    window,
    ticks: hourTicks(window, view === 'day' ? 1 : window.endMin - window.startMin > 12 * 60 ? 6 : 4),
    nowPct: nowPct(range, window, timeZone, now),
    rows,
  };
};
