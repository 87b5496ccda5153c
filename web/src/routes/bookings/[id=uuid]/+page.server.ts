import { need } from '$lib/server/api';
import { bookingFeatures } from '$lib/booking/features.server';
import { loadPolicy, requireUser, transitionAction } from '$lib/booking/bookings.server';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, params, url }) => {
  requireUser(locals, url);
  const booking = await need(locals.api.GET('/v1/bookings/{id}', { params: { path: { id: params.id } } }));
  const [instrument, policy] = await Promise.all([
    locals.api.GET('/v1/instruments/{id}', { params: { path: { id: booking.instrumentId } } }),
    loadPolicy(locals.api, booking.instrumentId),
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
  };
};

export const actions: Actions = {
  confirm: (event) => transitionAction(event, 'confirm', (b) => `/bookings/${b.id}`),
  cancel: (event) => transitionAction(event, 'cancel', (b) => `/bookings/${b.id}`),
};
