import { fail } from '@sveltejs/kit';
import { need, type Api } from '$lib/server/api';
import { fieldErrorsFromProblem, preferRequired } from '$lib/server/problem';
import type { Problem } from '$lib/types';
import { SERVICE_FIELDS, type ServiceFormValues } from './service-form';

/** The instruments a service may name: the lab's own that are not retired (in service or in maintenance). */
export async function serviceInstrumentOptions(api: Api, labId: string) {
  const options: { id: string; nameZh: string; nameEn: string; model: string }[] = [];
  let cursor: string | undefined;
  do {
    const page = await need(
      api.GET('/v1/labs/{labId}/instruments', {
        params: { path: { labId }, query: { limit: 100, ...(cursor ? { cursor } : {}) } },
      }),
    );
    for (const i of page.items) {
      if (i.status !== 'retired') options.push({ id: i.id, nameZh: i.nameZh, nameEn: i.nameEn, model: i.model });
    }
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return options;
}

/** An API refusal of the service form → the form comes back with the errors beside the fields. */
export function serviceProblem(values: ServiceFormValues, error: unknown, status: number) {
  const problem = error as Partial<Problem> | undefined;
  const { fieldErrors, unplaced } = fieldErrorsFromProblem(problem, SERVICE_FIELDS);
  const flat = { ...values, instrumentIds: values.instrumentIds.join(',') };
  return fail(status >= 500 ? 502 : status, {
    values,
    fieldErrors: preferRequired(fieldErrors, flat),
    code: unplaced ? (problem?.code ?? 'unknown') : null,
  });
}
