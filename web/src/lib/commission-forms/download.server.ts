import { error } from '@sveltejs/kit';
import { proxyFile } from '$lib/orders/orders.server';

/**
 * The commission form's PDF or its signed scan, fetched from the API with the visitor's session and
 * streamed on as a download (the API lets only the order's customer and lab read them).
 */
export async function commissionFile(locals: App.Locals, orderId: string, which: 'pdf' | 'scan') {
  if (!locals.user) error(401, { message: 'Sign in to download', code: 'unauthorized' });
  const file = await proxyFile(
    locals.api,
    which === 'pdf' ? '/v1/orders/{id}/commission-form/pdf' : '/v1/orders/{id}/commission-form/scan',
    { id: orderId },
    which === 'pdf' ? `commission-${orderId.slice(0, 8)}.pdf` : `commission-scan-${orderId.slice(0, 8)}`,
  );
  if (!file.ok) {
    const status = [403, 404, 409].includes(file.status) ? file.status : 502;
    error(status, { message: 'Commission form unavailable', code: file.code });
  }
  return file.response;
}
