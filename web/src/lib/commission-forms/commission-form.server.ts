import type { Api } from '$lib/server/api';
import type { paths } from '$lib/api/schema';
import type { Ok } from '$lib/api-response';
import { formInvalid } from '$lib/order-console/orders.server';
import { answer, withOrder, type OrderActionEvent } from '$lib/order-console/order-actions.server';

/** Where an order's commission form (委托单) stands: printable, and the signed scan if attached. */
export type CommissionFormState = Ok<paths['/v1/orders/{id}/commission-form']['get']>;

/**
 * The state of the order's commission form once the customer has filled it in (null before, or when
 * the API does not answer: the page then simply shows no form document).
 */
export async function loadCommissionForm(
  api: Api,
  order: { id: string; commission: unknown },
): Promise<CommissionFormState | null> {
  if (!order.commission) return null;
  const { data } = await api.GET('/v1/orders/{id}/commission-form', { params: { path: { id: order.id } } });
  return data ?? null;
}

/** The lab console's form action: the scan of the signed and stamped form, passed on as multipart. */
export async function attachCommissionScan(ctx: OrderActionEvent) {
  const { form, api, id } = await withOrder(ctx);
  const file = form.get('scan');
  if (!(file instanceof File) || file.size === 0 || file.name === '') {
    return formInvalid('commissionScan', {}, { scan: { code: 'required', message: '' } });
  }
  const upload = new FormData();
  upload.append('file', file, file.name);
  const call = api.POST('/v1/orders/{id}/commission-form/scan', {
    params: { path: { id } },
    body: upload as never,
    bodySerializer: (body: unknown) => body as FormData,
  });
  return answer('commissionScan', call);
}
