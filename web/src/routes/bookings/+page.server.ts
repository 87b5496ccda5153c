import { fail, redirect } from '@sveltejs/kit';
import {
  calendarFeed,
  formStatus,
  instrumentBriefs,
  myBookings,
  myWaitlist,
  policiesOf,
  problemCode,
  requireUser,
  transitionAction,
} from '$lib/booking/bookings.server';
import { bookingFeatures } from '$lib/booking/features.server';
import { splitBookings } from '$lib/booking/status';
import { cancelSeries, seriesOf } from '$lib/store/series.server';
import { outsideSeries } from '$lib/store/series';
import type { Actions, PageServerLoad } from './$types';

const TABS = ['upcoming', 'past', 'waitlist'] as const;
type Tab = (typeof TABS)[number];

export const load: PageServerLoad = async ({ locals, url }) => {
  const user = requireUser(locals, url);
  const now = new Date();
  const [bookings, waitlist, feed] = await Promise.all([
    myBookings(locals.api, user),
    myWaitlist(locals.api),
    calendarFeed(locals.api),
  ]);
  const { upcoming, past } = splitBookings(bookings, now);
  const asked = url.searchParams.get('tab');
  const tab: Tab = TABS.find((t) => t === asked) ?? 'upcoming';
  const instrumentIds = [...bookings.map((b) => b.instrumentId), ...(waitlist ?? []).map((w) => w.instrumentId)];
  const [instruments, policies, series] = await Promise.all([
    instrumentBriefs(locals.api, instrumentIds),
    policiesOf(
      locals.api,
      upcoming.map((b) => b.instrumentId),
    ),
    // Series with an occurrence still ahead, each with all its occurrences.
    seriesOf(locals.api, upcoming),
  ]);
  return {
    tab,
    upcoming,
    // The upcoming bookings not shown in a series' group: each booking appears once on the page.
    singles: outsideSeries(upcoming, series),
    past,
    waitlist,
    instruments,
    policies,
    series,
    feed,
    features: bookingFeatures,
    now: now.toISOString(),
    flash: url.searchParams.get('flash'),
  };
};

export const actions: Actions = {
  confirm: (event) => transitionAction(event, 'confirm', () => '/bookings'),
  cancel: (event) => transitionAction(event, 'cancel', () => '/bookings'),
  cancelSeries: async ({ request, locals, url }) => {
    requireUser(locals, url);
    return cancelSeries(locals.api, await request.formData(), '/bookings?flash=seriesCancelled');
  },

  leaveWaitlist: async ({ request, locals, url }) => {
    requireUser(locals, url);
    const id = (await request.formData()).get('id');
    if (typeof id !== 'string' || !id)
      return fail(400, { action: 'leaveWaitlist', code: 'validation_failed', id: null });
    const { response, error } = await locals.api.POST('/v1/waitlist/{id}/cancel', {
      params: { path: { id } },
    });
    if (!response.ok) {
      return fail(formStatus(response.status), {
        action: 'leaveWaitlist',
        code: problemCode(error, response.status),
        id,
      });
    }
    redirect(303, '/bookings?tab=waitlist&flash=waitlistCancelled');
  },

  // Only the link's hash is kept: the new link is in this answer and nowhere else, so the page
  // shows it from the action's result rather than after a redirect.
  rotateFeed: async ({ locals, url }) => {
    requireUser(locals, url);
    const { data, response, error } = await locals.api.POST('/v1/calendar/feed');
    if (!data) {
      return fail(formStatus(response.status), {
        action: 'rotateFeed',
        code: problemCode(error, response.status),
        id: null,
      });
    }
    return { action: 'rotateFeed', feedUrl: data.url };
  },

  revokeFeed: async ({ locals, url }) => {
    requireUser(locals, url);
    const { response, error } = await locals.api.POST('/v1/calendar/feed/revoke');
    if (!response.ok) {
      return fail(formStatus(response.status), {
        action: 'revokeFeed',
        code: problemCode(error, response.status),
        id: null,
      });
    }
    redirect(303, '/bookings?flash=feedRevoked#calendar-feed');
  },
};
