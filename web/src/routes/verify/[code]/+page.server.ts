import { error } from '@sveltejs/kit';
import { verifyReport } from '$lib/orders/orders.server';
import type { PageServerLoad } from './$types';

/** Public: anyone holding a report (or its QR code) checks it here. Nothing confidential is shown. */
export const load: PageServerLoad = async ({ locals, params, setHeaders }) => {
  const verification = await verifyReport(locals.api, params.code);
  if (!verification) error(404, { message: 'Unknown verification code', code: 'report_not_found' });
  setHeaders({ 'cache-control': 'no-store' });
  return { verification, code: params.code };
};
