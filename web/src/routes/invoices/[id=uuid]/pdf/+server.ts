import { error } from '@sveltejs/kit';
import { proxyInvoicePdf } from '$lib/finance/finance.server';
import type { RequestHandler } from './$types';

/**
 * The payment notice (付款通知书) PDF, fetched from the API with the visitor's session (the browser
 * holds only the session cookie) and streamed on. Only the customer and the lab get it.
 */
export const GET: RequestHandler = async ({ locals, params }) => {
  if (!locals.user) error(401, { message: 'Sign in to download', code: 'unauthorized' });
  return proxyInvoicePdf(locals.api, params.id, `invoice-${params.id.slice(0, 8)}`);
};
