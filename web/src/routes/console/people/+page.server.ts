import { error, fail } from '@sveltejs/kit';
import { need } from '$lib/server/api';
import { parseReason } from '$lib/lab-console/bookings';
import { parseTrainingRecord, TRAINING_FIELDS } from '$lib/lab-console/settings-forms';
import { todayIn } from '$lib/time';
import { labInstruments, labRights, labSites, refused, requireLabMember } from '$lib/lab-console/console.server';
import { fieldErrorsFromProblem } from '$lib/server/problem';
import type { Problem } from '$lib/types';
import type { Actions, PageServerLoad } from './$types';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Training records and violations are for the lab's managers and staff (the API's rule). */
function requirePeopleRights(locals: App.Locals, url: URL) {
  const lab = requireLabMember(locals, url);
  if (!labRights(lab).people) error(403, { message: 'Lab managers and staff only', code: 'not_lab_staff' });
  return lab;
}

export const load: PageServerLoad = async ({ locals, url }) => {
  const lab = requirePeopleRights(locals, url);
  const instrumentParam = url.searchParams.get('instrument') ?? '';
  const [{ timeZone }, instruments, violations] = await Promise.all([
    labSites(locals.api, lab.orgId),
    labInstruments(locals.api, lab.orgId),
    need(locals.api.GET('/v1/labs/{id}/violations', { params: { path: { id: lab.orgId } } })),
  ]);
  const instrumentId = instruments.some((i) => i.id === instrumentParam) ? instrumentParam : '';
  const records = await need(
    locals.api.GET('/v1/labs/{id}/training-records', {
      params: { path: { id: lab.orgId }, query: instrumentId ? { instrumentId } : {} },
    }),
  );
  return {
    lab,
    rights: labRights(lab),
    timeZone,
    today: todayIn(timeZone, new Date()),
    instruments: instruments
      .filter((i) => i.status !== 'retired')
      .map((i) => ({ id: i.id, nameZh: i.nameZh, nameEn: i.nameEn })),
    instrumentId,
    records: records.items,
    violations,
  };
};

export const actions: Actions = {
  addTraining: async ({ locals, url, request }) => {
    const lab = requirePeopleRights(locals, url);
    const [{ timeZone }, instruments] = await Promise.all([
      labSites(locals.api, lab.orgId),
      labInstruments(locals.api, lab.orgId),
    ]);
    const parsed = parseTrainingRecord(
      await request.formData(),
      timeZone,
      instruments.map((i) => i.id),
    );
    if (!parsed.input) return fail(400, { action: 'addTraining', code: null, ...parsed });
    const {
      data,
      error: problem,
      response,
    } = await locals.api.POST('/v1/labs/{id}/training-records', {
      params: { path: { id: lab.orgId } },
      body: parsed.input,
    });
    if (!data) {
      const placed = fieldErrorsFromProblem(problem as Partial<Problem> | undefined, TRAINING_FIELDS, {
        unknown_instrument: 'instrumentId',
        invalid_expiry: 'expiresAt',
      });
      return refused('addTraining', problem, response.status, {
        values: parsed.values,
        fieldErrors: placed.fieldErrors,
        ...(placed.unplaced ? {} : { code: null }),
      });
    }
    return { action: 'addTraining', ok: true as const, name: data.user.name || data.user.email };
  },
  revoke: async ({ locals, url, request }) => {
    requirePeopleRights(locals, url);
    const id = String((await request.formData()).get('recordId') ?? '');
    if (!UUID.test(id)) return fail(400, { action: 'revoke', code: 'not_found' });
    const {
      data,
      error: problem,
      response,
    } = await locals.api.POST('/v1/training-records/{id}/revoke', {
      params: { path: { id } },
    });
    if (!data) return refused('revoke', problem, response.status);
    return { action: 'revoke', ok: true as const, name: data.user.name || data.user.email };
  },
  lift: async ({ locals, url, request }) => {
    const lab = requirePeopleRights(locals, url);
    const form = await request.formData();
    const userId = String(form.get('userId') ?? '');
    if (!UUID.test(userId)) return fail(400, { action: 'lift', code: 'not_found' });
    const reason = parseReason(form.get('reason'));
    if (!reason.ok) {
      return fail(400, {
        action: 'lift',
        code: null,
        userId,
        reason: String(form.get('reason') ?? ''),
        reasonError: reason.code,
      });
    }
    const {
      data,
      error: problem,
      response,
    } = await locals.api.POST('/v1/labs/{id}/standings/{userId}/lift', {
      params: { path: { id: lab.orgId, userId } },
      body: { reason: reason.reason },
    });
    if (!data) return refused('lift', problem, response.status, { userId });
    return { action: 'lift', ok: true as const, name: data.user.name || data.user.email };
  },
};
