import { need } from '$lib/server/api';
import { bookingFeatures } from '$lib/booking/features.server';
import { loadPolicy, requireUser, transitionAction } from '$lib/booking/bookings.server';
import { loadCardOnFile, removeCardAction, saveCardAction } from '$lib/cardfile/cards.server';
import type { Actions, PageServerLoad } from './$types';

/** Bookings still ahead of their check-out: the card on file is what their charges go to. */
const CHARGEABLE_AHEAD = ['held', 'pending_approval', 'confirmed', 'in_use'];

export const load: PageServerLoad = async ({ locals, params, url }) => {
  const user = requireUser(locals, url);
  const booking = await need(locals.api.GET('/v1/bookings/{id}', { params: { path: { id: params.id } } }));
  // The customer's own booking of another lab's instrument (not an order's work) is billed to a card on file.
  const customer =
    booking.customerOrgId !== booking.labId &&
    CHARGEABLE_AHEAD.includes(booking.status) &&
    user.memberships.some((m) => m.orgId === booking.customerOrgId);
  const [instrument, policy, cardOnFile] = await Promise.all([
    locals.api.GET('/v1/instruments/{id}', { params: { path: { id: booking.instrumentId } } }),
    loadPolicy(locals.api, booking.instrumentId),
    customer ? loadCardOnFile(locals.api, booking.labId, booking.customerOrgId) : Promise.resolve(null),
  ]);
  const i = instrument.data;
  return {
    booking,
    instrument: i
      ? {
          id: i.id,
          nameZh: i.nameZh,
          nameEn: i.nameEn,
          labId: i.lab.id,
          labNameZh: i.lab.nameZh,
          labNameEn: i.lab.nameEn,
          siteNameZh: i.site.nameZh,
          siteNameEn: i.site.nameEn,
          timeZone: i.site.timeZone,
        }
      : null,
    policy,
    features: bookingFeatures,
    now: new Date().toISOString(),
    flash: url.searchParams.get('flash'),
    cardOnFile,
    cardFlash: url.searchParams.get('card'),
  };
};

export const actions: Actions = {
  confirm: (event) => transitionAction(event, 'confirm', (b) => `/bookings/${b.id}`),
  cancel: (event) => transitionAction(event, 'cancel', (b) => `/bookings/${b.id}`),
  saveCard: (event) => saveCardAction(event, `/bookings/${event.params.id}`),
  removeCard: (event) => removeCardAction(event, `/bookings/${event.params.id}`),
};
