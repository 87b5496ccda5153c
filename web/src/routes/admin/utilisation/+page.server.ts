import { requirePlatformAdmin } from '$lib/finance/finance.server';
import { loadUtilisation } from '$lib/efficiency/efficiency.server';
import { yearParam } from '$lib/efficiency/figures';
import type { PageServerLoad } from './$types';

/** Instrument utilisation of the region in a year (this year by default). */
export const load: PageServerLoad = async ({ locals, url }) => {
  requirePlatformAdmin(locals, url);
  const params = yearParam(url.searchParams, new Date());
  const answer = await loadUtilisation(locals.api, params);
  return { params, use: answer.ok ? answer.data : null, code: answer.ok ? null : answer.code };
};
