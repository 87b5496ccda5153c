import {
  bookingsForTab,
  isBookingStatus,
  labActions,
  parseReason,
  parseTab,
  upcomingWindow,
} from '$lib/lab-console/bookings';
import { todayIn } from '$lib/time';
import {
  bookingPeople,
  labBookingsPage,
  labInstruments,
  labSites,
  requireLabMember,
  labBookingActions,
  scanLabBookings,
} from '$lib/lab-console/console.server';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url }) => {
  const lab = requireLabMember(locals, url);
  const tab = parseTab(url.searchParams.get('tab'));
  const statusParam = url.searchParams.get('status');
  const status = isBookingStatus(statusParam) ? statusParam : undefined;
  const cursor = url.searchParams.get('cursor') ?? undefined;
  const [{ timeZone }, instruments] = await Promise.all([
    labSites(locals.api, lab.orgId),
    labInstruments(locals.api, lab.orgId),
  ]);
  const now = new Date();
  const today = todayIn(timeZone, now);
  const window = upcomingWindow(today, timeZone);
  // Pending and upcoming bookings start in the future; anything in use started at most a day ago.
  const scan = await scanLabBookings(locals.api, lab.orgId, new Date(window.from.getTime() - 2 * 86_400_000));
  const page = tab === 'all' ? await labBookingsPage(locals.api, lab.orgId, cursor) : null;
  const items = page ? bookingsForTab(page.items, 'all', window, status) : bookingsForTab(scan.items, tab, window);
  const people = await bookingPeople(locals.api, lab.orgId, items);
  return {
    lab,
    tab,
    status: status ?? '',
    timeZone,
    today,
    instruments: Object.fromEntries(instruments.map((i) => [i.id, { nameZh: i.nameZh, nameEn: i.nameEn }])),
    items: items.map((b) => ({ ...b, actions: labActions(b, now), people: people[b.id] ?? null })),
    pendingCount: bookingsForTab(scan.items, 'pending', window).length,
    nextCursor: page?.nextCursor ?? null,
    scanComplete: scan.complete,
  };
};

export const actions: Actions = labBookingActions(parseReason);
