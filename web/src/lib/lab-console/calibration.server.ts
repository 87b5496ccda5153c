import { need, type Api } from '$lib/server/api';

/**
 * The enterprises a lab may record a certificate for: its own customers, read from its orders
 * (the API refuses any other with `not_a_customer`). The latest 1,000 orders name them.
 */
export async function labCustomers(api: Api, labId: string) {
  const byId = new Map<string, { id: string; nameZh: string }>();
  let cursor: string | undefined;
  for (let page = 0; page < 10; page++) {
    const list = await need(
      api.GET('/v1/orders', { params: { query: { as: 'lab', labId, limit: 100, ...(cursor ? { cursor } : {}) } } }),
    );
    for (const o of list.items) byId.set(o.customerOrgId, { id: o.customerOrgId, nameZh: o.customerNameZh });
    if (!list.nextCursor) break;
    cursor = list.nextCursor;
  }
  return [...byId.values()].sort((a, b) => a.nameZh.localeCompare(b.nameZh, 'zh-CN'));
}

export const CALIBRATION_FIELDS = [
  'customerOrgId',
  'instrumentName',
  'model',
  'serialNumber',
  'measuringRange',
  'accuracyClass',
  'method',
  'calibratedOn',
  'nextDueOn',
] as const;
export type CalibrationFormValues = Record<(typeof CALIBRATION_FIELDS)[number], string>;
