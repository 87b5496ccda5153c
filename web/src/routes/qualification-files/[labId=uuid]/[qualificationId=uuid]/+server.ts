import { error } from '@sveltejs/kit';
import { proxyFile } from '$lib/orders/orders.server';
import type { RequestHandler } from './$types';

/**
 * The scan of a certificate a lab keeps in its console, streamed from the API with the visitor's
 * session (the lab's members and the platform staff of its region; 404 to anyone else).
 */
export const GET: RequestHandler = async ({ locals, params }) => {
  if (!locals.user) error(401, { message: 'Sign in to download', code: 'unauthorized' });
  const file = await proxyFile(
    locals.api,
    '/v1/labs/{id}/qualifications/{qualificationId}/file',
    { id: params.labId, qualificationId: params.qualificationId },
    'attachment',
  );
  if (!file.ok) {
    const status = file.status === 404 || file.status === 403 ? file.status : 502;
    error(status, { message: 'File unavailable', code: file.code });
  }
  return file.response;
};
