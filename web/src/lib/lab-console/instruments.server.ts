import { need, type Api } from '$lib/server/api';
import { formRefused } from '$lib/server/problem';
import { labSites } from './console.server';
import { INSTRUMENT_FIELDS, type InstrumentFormValues } from './instrument-form';

/** What the instrument form offers: the lab's sites and the catalogue's categories. */
export async function instrumentFormOptions(api: Api, labId: string) {
  const [{ sites }, categories] = await Promise.all([labSites(api, labId), need(api.GET('/v1/categories'))]);
  return {
    sites: sites.map((s) => ({ id: s.id, nameZh: s.nameZh, nameEn: s.nameEn })),
    categories: categories.items.map((c) => ({ code: c.code, nameZh: c.nameZh, nameEn: c.nameEn })),
  };
}

/** An API refusal of the instrument form → the form comes back with errors beside the fields. */
export function instrumentProblem(values: InstrumentFormValues, error: unknown, status: number) {
  return formRefused(values, error, status, INSTRUMENT_FIELDS, {
    codeFields: { unknown_site: 'siteId', unknown_category: 'categoryCode' },
  });
}
