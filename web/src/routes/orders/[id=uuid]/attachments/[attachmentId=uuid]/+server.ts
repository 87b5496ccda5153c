import { error } from '@sveltejs/kit';
import { proxyFile } from '$lib/orders/orders.server';
import type { RequestHandler } from './$types';

/** An attachment of the order's conversation, streamed from the API with the visitor's session. */
export const GET: RequestHandler = async ({ locals, params }) => {
  if (!locals.user) error(401, { message: 'Sign in to download', code: 'unauthorized' });
  const file = await proxyFile(
    locals.api,
    '/v1/orders/{id}/attachments/{attachmentId}',
    { id: params.id, attachmentId: params.attachmentId },
    'attachment',
  );
  if (!file.ok) {
    const status = file.status === 404 || file.status === 403 ? file.status : 502;
    error(status, { message: 'Attachment unavailable', code: file.code });
  }
  return file.response;
};
