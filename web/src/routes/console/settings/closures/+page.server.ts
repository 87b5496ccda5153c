import { fail } from '@sveltejs/kit';
import { need } from '$lib/server/api';
import { closureTarget, parseClosure } from '$lib/lab-console/settings-forms';
import { todayIn, zonedInstant } from '$lib/time';
import { labRights, labSites, refused, requireLabMember } from '$lib/lab-console/console.server';
import { fieldErrorsFromProblem } from '$lib/server/problem';
import type { Problem } from '$lib/types';
import type { Actions, PageServerLoad } from './$types';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The lab's instruments with their units (from today's schedule, which lists both). */
async function instrumentsWithUnits(api: App.Locals['api'], labId: string, timeZone: string) {
  const today = todayIn(timeZone, new Date());
  const from = zonedInstant(today, 0, timeZone);
  const schedule = await need(
    api.GET('/v1/labs/{id}/schedule', {
      params: {
        path: { id: labId },
        query: { from: from.toISOString(), to: new Date(from.getTime() + 86_400_000).toISOString() },
      },
    }),
  );
  return schedule.instruments.map((i) => ({
    id: i.id,
    nameZh: i.nameZh,
    nameEn: i.nameEn,
    units: i.units.map((u) => ({ id: u.id, label: u.label })),
  }));
}

function targetsOf(instruments: Awaited<ReturnType<typeof instrumentsWithUnits>>): string[] {
  return [
    'lab',
    ...instruments.flatMap((i) => [closureTarget(i.id), ...i.units.map((u) => closureTarget(i.id, u.id))]),
  ];
}

export const load: PageServerLoad = async ({ locals, url }) => {
  const lab = requireLabMember(locals, url);
  const { timeZone } = await labSites(locals.api, lab.orgId);
  // Closures from a month back (so a finished maintenance is still on record) to a year ahead.
  const from = new Date(Date.now() - 31 * 86_400_000);
  const to = new Date(Date.now() + 366 * 86_400_000);
  const [instruments, closures] = await Promise.all([
    instrumentsWithUnits(locals.api, lab.orgId, timeZone),
    need(
      locals.api.GET('/v1/labs/{id}/closures', {
        params: { path: { id: lab.orgId }, query: { from: from.toISOString(), to: to.toISOString() } },
      }),
    ),
  ]);
  return {
    lab,
    rights: labRights(lab),
    timeZone,
    instruments,
    closures: closures.items.sort((a, b) => Date.parse(a.start) - Date.parse(b.start)),
    now: new Date().toISOString(),
  };
};

export const actions: Actions = {
  create: async ({ locals, url, request }) => {
    const lab = requireLabMember(locals, url);
    const { timeZone } = await labSites(locals.api, lab.orgId);
    const instruments = await instrumentsWithUnits(locals.api, lab.orgId, timeZone);
    const { values, input, fieldErrors } = parseClosure(await request.formData(), timeZone, targetsOf(instruments));
    if (!input) return fail(400, { action: 'create', code: null, values, fieldErrors });
    const { data, error, response } = await locals.api.POST('/v1/labs/{id}/closures', {
      params: { path: { id: lab.orgId } },
      body: input,
    });
    if (!data) {
      const placed = fieldErrorsFromProblem(error as Partial<Problem> | undefined, ['start', 'end', 'reason'], {
        unknown_instrument: 'target',
        unknown_unit: 'target',
      });
      return refused('create', error, response.status, {
        values,
        fieldErrors: placed.fieldErrors,
        ...(placed.unplaced ? {} : { code: null }),
      });
    }
    return { action: 'create', ok: true as const, closure: data.closure, affected: data.affectedBookings };
  },
  delete: async ({ locals, url, request }) => {
    requireLabMember(locals, url);
    const id = String((await request.formData()).get('closureId') ?? '');
    if (!UUID.test(id)) return fail(400, { action: 'delete', code: 'not_found' });
    const { error, response } = await locals.api.DELETE('/v1/closures/{id}', { params: { path: { id } } });
    if (!response.ok) return refused('delete', error, response.status);
    return { action: 'delete', ok: true as const };
  },
};
