import { need } from '$lib/server/api';
import { labActions, parseReason, policySnapshotOf } from '$lib/lab-console/bookings';
import {
  bookingPeople,
  fetchBooking,
  labSites,
  requireLabMember,
  labBookingActions,
} from '$lib/lab-console/console.server';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url, params }) => {
  requireLabMember(locals, url);
  const booking = await fetchBooking(locals.api, params.id);
  // The customer sees its bookings elsewhere; here only members of the booking's lab.
  const lab = requireLabMember(locals, url, booking.labId);
  const [{ timeZone }, instrument, people] = await Promise.all([
    labSites(locals.api, lab.orgId),
    need(locals.api.GET('/v1/instruments/{id}', { params: { path: { id: booking.instrumentId } } })),
    bookingPeople(locals.api, lab.orgId, [booking], 1),
  ]);
  return {
    lab,
    booking,
    timeZone: instrument.site.timeZone || timeZone,
    instrument: { id: instrument.id, nameZh: instrument.nameZh, nameEn: instrument.nameEn },
    people: people[booking.id] ?? null,
    actions: labActions(booking, new Date()),
    // The snapshot appears once the API sends `policy` on a booking.
    policy: policySnapshotOf(booking),
  };
};

export const actions: Actions = labBookingActions(parseReason);
