import { fail } from '@sveltejs/kit';
import { need } from '$lib/server/api';
import { LAB_SETTINGS_FIELDS, parseLabSettings } from '$lib/lab-console/settings-forms';
import { labRights, refused, requireLabMember } from '$lib/lab-console/console.server';
import { fieldErrorsFromProblem } from '$lib/server/problem';
import type { Problem } from '$lib/types';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url }) => {
  const lab = requireLabMember(locals, url);
  const settings = await need(
    locals.api.GET('/v1/labs/{id}/booking-settings', { params: { path: { id: lab.orgId } } }),
  );
  return {
    lab,
    rights: labRights(lab),
    values: Object.fromEntries(LAB_SETTINGS_FIELDS.map((f) => [f, String(settings[f])])),
  };
};

export const actions: Actions = {
  save: async ({ locals, url, request }) => {
    const lab = requireLabMember(locals, url);
    const { values, input, fieldErrors } = parseLabSettings(await request.formData());
    if (!input) return fail(400, { action: 'save', code: null, values, fieldErrors });
    const { data, error, response } = await locals.api.PUT('/v1/labs/{id}/booking-settings', {
      params: { path: { id: lab.orgId } },
      body: input,
    });
    if (!data) {
      const placed = fieldErrorsFromProblem(error as Partial<Problem> | undefined, [...LAB_SETTINGS_FIELDS]);
      return refused('save', error, response.status, {
        values,
        fieldErrors: placed.fieldErrors,
        ...(placed.unplaced ? {} : { code: null }),
      });
    }
    return { action: 'save', ok: true as const };
  },
};
