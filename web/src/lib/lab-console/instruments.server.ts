import { fail } from '@sveltejs/kit';
import { need, type Api } from '$lib/server/api';
import { INSTRUMENT_FIELDS, type InstrumentFormValues } from './instrument-form';
import { fieldErrorsFromProblem, preferRequired } from '$lib/server/problem';
import type { Problem } from '$lib/types';

/** What the instrument form offers: the lab's sites and the catalogue's categories. */
export async function instrumentFormOptions(api: Api, labId: string) {
  const [lab, categories] = await Promise.all([
    need(api.GET('/v1/labs/{id}', { params: { path: { id: labId } } })),
    need(api.GET('/v1/categories')),
  ]);
  return {
    sites: lab.sites.map((s) => ({ id: s.id, nameZh: s.nameZh, nameEn: s.nameEn })),
    categories: categories.items.map((c) => ({ code: c.code, nameZh: c.nameZh, nameEn: c.nameEn })),
  };
}

/** An API refusal of the instrument form → the form comes back with errors beside the fields. */
export function instrumentProblem(values: InstrumentFormValues, error: unknown, status: number) {
  const problem = error as Partial<Problem> | undefined;
  const { fieldErrors, unplaced } = fieldErrorsFromProblem(problem, INSTRUMENT_FIELDS, {
    unknown_site: 'siteId',
    unknown_category: 'categoryCode',
  });
  return fail(status >= 500 ? 502 : status, {
    values,
    fieldErrors: preferRequired(fieldErrors, values),
    code: unplaced ? (problem?.code ?? 'unknown') : null,
  });
}
