import { labMemberships } from '$lib/lab-console/console.server';
import { PLATFORM_ZONE } from '$lib/store/free-slots';
import { todayIn } from '$lib/time';
import type { LayoutServerLoad } from './$types';

export const load: LayoutServerLoad = async ({ locals, depends }) => {
  // The bell: re-read whenever a page marks notices read (invalidate('app:inbox') or any action).
  depends('app:inbox');
  return {
    locale: locals.locale,
    // This year in China by the server's clock, not the browser's (the footer, the example report
    // number): the same before and after hydration, and right on a phone whose clock is wrong.
    year: Number(todayIn(PLATFORM_ZONE, new Date()).slice(0, 4)),
    user: locals.user,
    // Every lab member works in the console (operators on bookings and the schedule).
    canUseConsole: labMemberships(locals.user).length > 0,
    // null when signed out or when the API cannot say (the header then shows the bell without a figure).
    unread: locals.user
      ? await locals.api
          .GET('/v1/notifications/unread-count')
          .then((r) => r.data?.unread ?? null)
          .catch(() => null)
      : null,
  };
};
