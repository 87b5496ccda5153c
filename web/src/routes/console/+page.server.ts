import { error, redirect } from '@sveltejs/kit';
import { labBookingActions, requireLabMember } from '$lib/lab-console/console.server';
import { parseReason } from '$lib/lab-console/bookings';
import type { Actions, PageServerLoad } from './$types';

/**
 * The console's first page: what needs doing today at the lab (the layout read it for the
 * navigation's counts). A reviewer's console opens on the review queue instead; the navigation's
 * Today link (`view=today`) brings them here.
 */
export const load: PageServerLoad = async ({ parent, url, locals }) => {
  const lab = requireLabMember(locals, url);
  const { today } = await parent();
  if (!today) error(502, { message: 'The lab’s day could not be read', code: 'api_error' });
  if (today.landing === 'reviews' && url.searchParams.get('view') !== 'today') {
    redirect(303, `/console/orders?lab=${lab.orgId}&tab=report_review`);
  }
  return { lab, today };
};

// Bookings to approve are approved from here, as on the bookings list.
export const actions: Actions = labBookingActions(parseReason);
