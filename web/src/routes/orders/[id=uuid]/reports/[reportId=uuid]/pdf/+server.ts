import { error } from '@sveltejs/kit';
import { proxyFile } from '$lib/orders/orders.server';
import type { RequestHandler } from './$types';

/**
 * The report's PDF, fetched from the API with the visitor's session (the browser holds only the
 * session cookie, never an API token) and streamed on as a download. Only the customer and the lab get it.
 */
export const GET: RequestHandler = async ({ locals, params }) => {
  if (!locals.user) error(401, { message: 'Sign in to download', code: 'unauthorized' });
  const file = await proxyFile(
    locals.api,
    '/v1/reports/{id}/pdf',
    { id: params.reportId },
    `report-${params.reportId.slice(0, 8)}.pdf`,
  );
  if (!file.ok) {
    const status = [404, 403, 409].includes(file.status) ? file.status : 502;
    error(status, { message: 'Report PDF unavailable', code: file.code });
  }
  return file.response;
};
