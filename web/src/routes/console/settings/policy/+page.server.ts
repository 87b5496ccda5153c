import { fail } from '@sveltejs/kit';
import { need } from '$lib/server/api';
import { parsePolicy, policyValues, POLICY_FIELDS } from '$lib/lab-console/settings-forms';
import { labInstruments, labRights, refused, requireLabMember } from '$lib/lab-console/console.server';
import { fieldErrorsFromProblem } from '$lib/server/problem';
import type { Problem } from '$lib/types';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url }) => {
  const lab = requireLabMember(locals, url);
  const instruments = (await labInstruments(locals.api, lab.orgId)).filter((i) => i.status !== 'retired');
  const asked = url.searchParams.get('instrument');
  const instrument = instruments.find((i) => i.id === asked) ?? instruments[0] ?? null;
  const policy = instrument
    ? await need(locals.api.GET('/v1/instruments/{id}/booking-policy', { params: { path: { id: instrument.id } } }))
    : null;
  return {
    lab,
    rights: labRights(lab),
    instruments: instruments.map((i) => ({ id: i.id, nameZh: i.nameZh, nameEn: i.nameEn })),
    instrument: instrument ? { id: instrument.id, nameZh: instrument.nameZh, nameEn: instrument.nameEn } : null,
    isDefault: policy?.isDefault ?? true,
    values: policy ? policyValues(policy) : null,
  };
};

export const actions: Actions = {
  save: async ({ locals, url, request }) => {
    const lab = requireLabMember(locals, url);
    const form = await request.formData();
    const instrumentId = String(form.get('instrumentId') ?? '');
    const instruments = await labInstruments(locals.api, lab.orgId);
    if (!instruments.some((i) => i.id === instrumentId))
      return fail(400, { action: 'save', code: 'unknown_instrument' });
    const { values, input, fieldErrors } = parsePolicy(form);
    if (!input) return fail(400, { action: 'save', code: null, values, fieldErrors });
    const { data, error, response } = await locals.api.PUT('/v1/instruments/{id}/booking-policy', {
      params: { path: { id: instrumentId } },
      body: input,
    });
    if (!data) {
      // The fee travels as basis points; its box on the form is a percentage.
      const problem = error as Partial<Problem> | undefined;
      const renamed = problem?.errors
        ? {
            ...problem,
            errors: problem.errors.map((e) => ({
              ...e,
              path: e.path.replace('cancellationFeeBasisPoints', 'cancellationFeePercent'),
            })),
          }
        : problem;
      const placed = fieldErrorsFromProblem(renamed, POLICY_FIELDS);
      return refused('save', error, response.status, {
        values,
        fieldErrors: placed.fieldErrors,
        ...(placed.unplaced ? {} : { code: null }),
      });
    }
    return { action: 'save', ok: true as const };
  },
};
