import { error } from '@sveltejs/kit';
import { proxyFile } from '$lib/orders/orders.server';
import type { RequestHandler } from './$types';

/**
 * The scan of a certificate on a lab's admission application, streamed from the API with the
 * visitor's session (as the application: the lab's managers, the platform admins and service officers
 * of its region; 404 to anyone else).
 */
export const GET: RequestHandler = async ({ locals, params }) => {
  if (!locals.user) error(401, { message: 'Sign in to download', code: 'unauthorized' });
  const file = await proxyFile(
    locals.api,
    '/v1/labs/{id}/application/files/{fileId}',
    { id: params.labId, fileId: params.fileId },
    'attachment',
  );
  if (!file.ok) {
    const status = file.status === 404 || file.status === 403 ? file.status : 502;
    error(status, { message: 'File unavailable', code: file.code });
  }
  return file.response;
};
