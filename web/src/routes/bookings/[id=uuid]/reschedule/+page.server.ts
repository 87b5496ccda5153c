import { error, fail, redirect } from '@sveltejs/kit';
import { need } from '$lib/server/api';
import { bookingFeatures } from '$lib/booking/features.server';
import { formStatus, loadPolicy, problemCode, requireUser } from '$lib/booking/bookings.server';
import { slotAt, weekAvailability, weekForPage } from '$lib/booking/week.server';
import { formText } from '$lib/server/problem';
import { actionsFor } from '$lib/booking/status';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, params, url }) => {
  requireUser(locals, url);
  if (!bookingFeatures.reschedule) error(404, { message: 'Rescheduling is not available', code: 'not_found' });
  const booking = await need(locals.api.GET('/v1/bookings/{id}', { params: { path: { id: params.id } } }));
  const [instrument, policy] = await Promise.all([
    need(locals.api.GET('/v1/instruments/{id}', { params: { path: { id: booking.instrumentId } } })),
    loadPolicy(locals.api, booking.instrumentId),
  ]);
  const now = new Date();
  const allowed = actionsFor(booking, now).reschedule;
  const duration = Math.round((Date.parse(booking.end) - Date.parse(booking.start)) / 60_000);
  const week = allowed
    ? await weekAvailability(locals.api, {
        instrumentId: instrument.id,
        timeZone: instrument.site.timeZone,
        url,
        policy,
        fixed: { duration, mode: booking.mode },
        now,
      })
    : null;
  const askedStart = url.searchParams.get('start');
  const selection = week ? slotAt(week.slots, askedStart) : null;
  return {
    booking,
    allowed,
    instrument: {
      id: instrument.id,
      nameZh: instrument.nameZh,
      nameEn: instrument.nameEn,
      labNameZh: instrument.lab.nameZh,
      labNameEn: instrument.lab.nameEn,
      timeZone: instrument.site.timeZone,
    },
    week: week ? weekForPage(week) : null,
    selection,
    selectionGone: !!askedStart && !selection,
  };
};

export const actions: Actions = {
  reschedule: async ({ request, locals, params, url }) => {
    requireUser(locals, url);
    const form = await request.formData();
    const start = formText(form, 'start');
    const end = formText(form, 'end');
    const {
      data,
      error: problem,
      response,
    } = await locals.api.POST('/v1/bookings/{id}/reschedule', {
      params: { path: { id: params.id } },
      body: { start, end },
    });
    if (!data) return fail(formStatus(response.status), { code: problemCode(problem, response.status) });
    redirect(303, `/bookings/${data.booking.id}?flash=rescheduled`);
  },
};
