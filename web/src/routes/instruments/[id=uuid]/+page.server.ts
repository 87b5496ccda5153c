import { fail, redirect } from '@sveltejs/kit';
import { randomUUID } from 'node:crypto';
import { need } from '$lib/server/api';
import { labContact } from '$lib/catalogue/catalogue.server';
import { formText } from '$lib/server/problem';
import { formStatus, loadPolicy, loadTrainingRecords, problemCode } from '$lib/booking/bookings.server';
import { slotAt, weekAvailability, weekForPage } from '$lib/booking/week.server';
import { safeRedirect } from '$lib/redirect';
import { slotPrice, tierFor } from '$lib/booking/price';
import type { BookingMode } from '$lib/booking/types';
import { cancelSeries, confirmSeries, holdSeries } from '$lib/store/series.server';
import type { Actions, PageServerLoad } from './$types';

const MINUTE = 60_000;

export const load: PageServerLoad = async ({ locals, params, url }) => {
  const instrument = await need(locals.api.GET('/v1/instruments/{id}', { params: { path: { id: params.id } } }));
  const timeZone = instrument.site.timeZone;
  const [lab, policy, records] = await Promise.all([
    // The lab's own page carries how to reach it; the instrument only names the lab.
    labContact(locals.api, instrument.lab.id),
    loadPolicy(locals.api, instrument.id),
    locals.user ? loadTrainingRecords(locals.api) : Promise.resolve(null),
  ]);
  const bookable = instrument.status === 'active';
  const week = bookable
    ? await weekAvailability(locals.api, { instrumentId: instrument.id, timeZone, url, policy })
    : null;

  const askedStart = url.searchParams.get('start');
  const selection = week ? slotAt(week.slots, askedStart) : null;
  const askedWait = url.searchParams.get('wait');
  const waitAt = askedWait ? Date.parse(askedWait) : NaN;
  const waitTarget =
    week && !selection && !Number.isNaN(waitAt)
      ? {
          start: new Date(waitAt).toISOString(),
          end: new Date(waitAt + week.duration * MINUTE).toISOString(),
        }
      : null;

  const tier = tierFor(locals.user, instrument.lab.id);
  const record = records?.find((r) => r.instrument.id === instrument.id && r.valid) ?? null;
  return {
    instrument,
    lab,
    booking: {
      bookable,
      policy,
      week: week ? weekForPage(week) : null,
      tier,
      price: week ? slotPrice(instrument.rates, tier, week.duration) : null,
      selection,
      selectionGone: !!askedStart && !selection,
      waitTarget,
      // A fresh key per rendered form: a double submit or a retry after a timeout books once.
      idempotencyKey: randomUUID(),
      qualification: records === null ? null : { valid: !!record, validUntil: record?.expiresAt ?? null },
    },
  };
};

function slotFromForm(form: FormData) {
  const start = formText(form, 'start');
  const end = formText(form, 'end');
  const mode: BookingMode = formText(form, 'mode') === 'assisted' ? 'assisted' : 'self';
  return { start, end, mode };
}

function toLogin(form: FormData, url: URL, fallback: string): never {
  const back = safeRedirect(formText(form, 'back'), url, fallback);
  redirect(303, `/login?redirect=${encodeURIComponent(back)}`);
}

export const actions: Actions = {
  book: async ({ request, locals, params, url }) => {
    const form = await request.formData();
    if (!locals.user) toLogin(form, url, `/instruments/${params.id}`);
    const { start, end, mode } = slotFromForm(form);
    const notes = formText(form, 'notes');
    const key = formText(form, 'idempotencyKey') || randomUUID();
    const created = await locals.api.POST('/v1/bookings', {
      params: { header: { 'idempotency-key': key } },
      body: { instrumentId: params.id, start, end, mode, ...(notes ? { notes } : {}) },
    });
    if (!created.data) {
      const status = created.response.status;
      return fail(formStatus(status), { action: 'book', code: problemCode(created.error, status), notes });
    }
    const booking = created.data;
    // The form is the customer's confirmation: the hold goes straight on to the lab (or to confirmed).
    if (booking.status === 'held') {
      const confirmed = await locals.api.POST('/v1/bookings/{id}/confirm', { params: { path: { id: booking.id } } });
      // A replayed submission answers with the first hold, which may be confirmed already: say
      // what the booking is now.
      const now =
        confirmed.data ??
        (await locals.api.GET('/v1/bookings/{id}', { params: { path: { id: booking.id } } })).data ??
        booking;
      const flash = now.status === 'confirmed' ? 'confirmed' : now.status === 'pending_approval' ? 'pending' : 'held';
      redirect(303, `/bookings/${booking.id}?flash=${flash}`);
    }
    redirect(303, `/bookings/${booking.id}?flash=booked`);
  },

  // Recurring bookings: hold the series (shown here to look over), then confirm or drop it.
  series: async ({ request, locals, params, url }) => {
    const form = await request.formData();
    if (!locals.user) toLogin(form, url, `/instruments/${params.id}`);
    const instrument = await need(locals.api.GET('/v1/instruments/{id}', { params: { path: { id: params.id } } }));
    return holdSeries(locals.api, form, params.id, instrument.site.timeZone);
  },

  confirmSeries: async ({ request, locals, params, url }) => {
    const form = await request.formData();
    if (!locals.user) toLogin(form, url, `/instruments/${params.id}`);
    return confirmSeries(locals.api, form);
  },

  dropSeries: async ({ request, locals, params, url }) => {
    const form = await request.formData();
    if (!locals.user) toLogin(form, url, `/instruments/${params.id}`);
    return cancelSeries(locals.api, form, safeRedirect(formText(form, 'back'), url, `/instruments/${params.id}`));
  },

  waitlist: async ({ request, locals, params, url }) => {
    const form = await request.formData();
    if (!locals.user) toLogin(form, url, `/instruments/${params.id}`);
    const { start, end, mode } = slotFromForm(form);
    const { data, error, response } = await locals.api.POST('/v1/waitlist', {
      body: { instrumentId: params.id, start, end, mode },
    });
    if (!data) {
      return fail(formStatus(response.status), { action: 'waitlist', code: problemCode(error, response.status) });
    }
    redirect(303, '/bookings?tab=waitlist&flash=waitlisted');
  },
};
