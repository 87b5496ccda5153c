import { type Api } from '$lib/server/api';
import { formRefused } from '$lib/server/problem';
import { labInstruments } from './console.server';
import { SERVICE_FIELDS, type ServiceFormValues } from './service-form';

/** The instruments a service may name: the lab's own that are not retired (in service or in maintenance). */
export async function serviceInstrumentOptions(api: Api, labId: string) {
  return (await labInstruments(api, labId))
    .filter((i) => i.status !== 'retired')
    .map((i) => ({ id: i.id, nameZh: i.nameZh, nameEn: i.nameEn, model: i.model }));
}

/** An API refusal of the service form → the form comes back with the errors beside the fields. */
export function serviceProblem(values: ServiceFormValues, error: unknown, status: number) {
  return formRefused(values, error, status, SERVICE_FIELDS, {
    typed: { ...values, instrumentIds: values.instrumentIds.join(',') },
  });
}
