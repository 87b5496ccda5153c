import { fail } from '@sveltejs/kit';
import { need } from '$lib/server/api';
import { labActions, parseReason, policySnapshotOf } from '$lib/lab-console/bookings';
import {
  bookingPeople,
  fetchBooking,
  labSites,
  requireLabMember,
  labBookingActions,
  labRights,
  refused,
} from '$lib/lab-console/console.server';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url, params }) => {
  requireLabMember(locals, url);
  const booking = await fetchBooking(locals.api, params.id);
  // The customer sees its bookings elsewhere; here only members of the booking's lab.
  const lab = requireLabMember(locals, url, booking.labId);
  const [{ timeZone }, instrument, people, contact, members] = await Promise.all([
    labSites(locals.api, lab.orgId),
    need(locals.api.GET('/v1/instruments/{id}', { params: { path: { id: booking.instrumentId } } })),
    bookingPeople(locals.api, lab.orgId, [booking], 1),
    locals.api.GET('/v1/bookings/{id}/contact', { params: { path: { id: booking.id } } }),
    locals.api.GET('/v1/labs/{id}/members', { params: { path: { id: lab.orgId } } }),
  ]);
  // An assisted booking not yet started may go to another of the lab's operators (managers and staff decide).
  const reassignable =
    booking.mode === 'assisted' &&
    ['held', 'pending_approval', 'confirmed'].includes(booking.status) &&
    labRights(lab).settings;
  return {
    lab,
    booking,
    timeZone: instrument.site.timeZone || timeZone,
    instrument: { id: instrument.id, nameZh: instrument.nameZh, nameEn: instrument.nameEn },
    people: people[booking.id] ?? null,
    contact: contact.data ?? null,
    operators: reassignable
      ? (members.data?.items ?? []).filter((m) => m.role === 'operator').map((m) => ({ id: m.id, name: m.name }))
      : null,
    actions: labActions(booking, new Date()),
    // The snapshot appears once the API sends `policy` on a booking.
    policy: policySnapshotOf(booking),
  };
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const actions: Actions = {
  ...labBookingActions(parseReason),
  operator: async ({ locals, url, params, request }) => {
    requireLabMember(locals, url);
    const operatorId = String((await request.formData()).get('operatorId') ?? '');
    if (!UUID.test(operatorId)) return fail(400, { action: 'operator', code: 'validation_failed' });
    const {
      data,
      error: problem,
      response,
    } = await locals.api.PUT('/v1/bookings/{id}/operator', {
      params: { path: { id: params.id } },
      body: { operatorId },
    });
    if (!data) return refused('operator', problem, response.status);
    return { action: 'operator', operatorChanged: true as const };
  },
};
