import { need } from '$lib/server/api';
import { answer, sampleOf, withOrder, type OrderActionEvent } from '$lib/order-console/order-actions.server';
import { formInvalid } from '$lib/order-console/orders.server';
import { CUSTODY_FIELDS, parseCustodyForm } from './custody';

/** The order's custody log (the API decides who may read it). */
export function loadCustody(api: App.Locals['api'], orderId: string) {
  return need(api.GET('/v1/orders/{id}/custody', { params: { path: { id: orderId } } }));
}

/** The console's "record a handover" form action, on one sample. */
export async function recordCustody(ctx: OrderActionEvent) {
  const { detail, form, api, id } = await withOrder(ctx);
  const sample = sampleOf(detail, form);
  if (!sample) return formInvalid('custody', {}, {}, null);
  const parsed = parseCustodyForm(form);
  if (!parsed.body) return formInvalid('custody', parsed.values, parsed.fieldErrors, sample.id);
  const call = api.POST('/v1/orders/{id}/samples/{sampleId}/custody', {
    params: { path: { id, sampleId: sample.id } },
    body: parsed.body,
  });
  return answer('custody', call, { fields: CUSTODY_FIELDS, values: parsed.values, target: sample.id });
}
