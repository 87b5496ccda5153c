import { requirePlatformAdmin } from '$lib/finance/finance.server';
import { loadFigureOrders } from '$lib/efficiency/efficiency.server';
import { ordersParams } from '$lib/efficiency/figures';
import type { PageServerLoad } from './$types';

/** The orders behind one figure of the evaluation, the worst first. */
export const load: PageServerLoad = async ({ locals, url }) => {
  requirePlatformAdmin(locals, url);
  const params = ordersParams(url.searchParams, new Date());
  const answer = await loadFigureOrders(locals.api, params);
  return { params, orders: answer.ok ? answer.data : null, code: answer.ok ? null : answer.code };
};
