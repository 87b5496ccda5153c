import { labMemberships } from '$lib/lab-console/console.server';
import type { LayoutServerLoad } from './$types';

export const load: LayoutServerLoad = ({ locals }) => ({
  locale: locals.locale,
  user: locals.user,
  // Every lab member works in the console (operators on bookings and the schedule).
  canUseConsole: labMemberships(locals.user).length > 0,
});
