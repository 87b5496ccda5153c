import { fail, redirect } from '@sveltejs/kit';
import type { Api } from '$lib/server/api';
import { formStatus, problemCode } from '$lib/booking/bookings.server';
import type { BookingMode } from '$lib/booking/types';
import { formText } from '$lib/server/problem';
import { formatHhmm, wallClock } from '$lib/time';
import type { Problem } from '$lib/types';
import { conflictFromError, parseSeriesForm, seriesRule } from './series';

/**
 * Hold a series from the booking form: the chosen slot is the first occurrence, repeated in the
 * site's wall-clock time (Tuesdays 09:00 stay 09:00). The holds come back to be looked over and
 * confirmed (or dropped) on the same page, with the occurrences that could not be had.
 */
export async function holdSeries(api: Api, form: FormData, instrumentId: string, timeZone: string) {
  const parsed = parseSeriesForm(form);
  if (!parsed.ok) return fail(400, { action: 'series' as const, code: 'validation_failed', field: parsed.field });
  const start = formText(form, 'start');
  const end = formText(form, 'end');
  const mode: BookingMode = formText(form, 'mode') === 'assisted' ? 'assisted' : 'self';
  const notes = formText(form, 'notes');
  const at = Date.parse(start);
  const minutes = Math.round((Date.parse(end) - at) / 60_000);
  if (Number.isNaN(at) || !(minutes > 0)) return fail(400, { action: 'series' as const, code: 'validation_failed' });
  const wall = wallClock(new Date(at), timeZone);
  const { data, error, response } = await api.POST('/v1/booking-series', {
    body: {
      instrumentId,
      localStart: `${wall.date}T${formatHhmm(wall.minutes)}`,
      durationMinutes: minutes,
      rule: seriesRule(parsed.choice),
      mode,
      onConflict: parsed.choice.onConflict,
      ...(notes ? { notes } : {}),
    },
  });
  if (!data) {
    const problem = error as Partial<Problem> | undefined;
    return fail(formStatus(response.status), {
      action: 'series' as const,
      code: problemCode(error, response.status),
      conflicts: (problem?.errors ?? []).map(conflictFromError),
    });
  }
  return {
    action: 'series' as const,
    created: {
      id: data.series.id,
      rule: data.series.rule,
      bookings: data.bookings.map((b) => ({
        id: b.id,
        start: b.start,
        end: b.end,
        status: b.status,
        holdExpiresAt: b.holdExpiresAt,
      })),
      conflicts: data.conflicts.map((c) => ({ start: c.start, end: c.end, code: c.code })),
    },
  };
}

/** Confirm every held occurrence: on to the lab's approval or confirmed, as the policy says. */
export async function confirmSeries(api: Api, form: FormData) {
  const id = formText(form, 'seriesId');
  const { data, error, response } = await api.POST('/v1/booking-series/{id}/confirm', {
    params: { path: { id } },
  });
  if (!data) {
    return fail(formStatus(response.status), {
      action: 'confirmSeries' as const,
      code: problemCode(error, response.status),
    });
  }
  redirect(303, `/bookings?flash=seriesConfirmed#series-${id}`);
}

/** Cancel the occurrences still ahead (a held series dropped, or a booked one given up). */
export async function cancelSeries(api: Api, form: FormData, back: string) {
  const id = formText(form, 'seriesId');
  const { data, error, response } = await api.POST('/v1/booking-series/{id}/cancel', {
    params: { path: { id } },
    body: {},
  });
  if (!data) {
    return fail(formStatus(response.status), {
      action: 'cancelSeries' as const,
      code: problemCode(error, response.status),
      seriesId: id,
    });
  }
  redirect(303, back);
}

/** The series the given bookings belong to, each with all its occurrences, in order of their first. */
export async function seriesOf(api: Api, bookings: { seriesId: string | null }[]) {
  const ids = [...new Set(bookings.flatMap((b) => (b.seriesId ? [b.seriesId] : [])))];
  const found = await Promise.all(
    ids.map(async (id) => (await api.GET('/v1/booking-series/{id}', { params: { path: { id } } })).data ?? null),
  );
  return found
    .filter((s) => s !== null)
    .map((s) => ({
      ...s,
      bookings: [...s.bookings].sort((a, b) => a.start.localeCompare(b.start)),
    }))
    .sort((a, b) => (a.bookings[0]?.start ?? '').localeCompare(b.bookings[0]?.start ?? ''));
}
