import { requirePlatformAdmin } from '$lib/finance/finance.server';
import { loadEfficiency } from '$lib/efficiency/efficiency.server';
import { efficiencyParams } from '$lib/efficiency/figures';
import type { PageServerLoad } from './$types';

/** 效能评价: the region's labs over a period (the last 90 days by default), grouped as asked. */
export const load: PageServerLoad = async ({ locals, url }) => {
  requirePlatformAdmin(locals, url);
  const params = efficiencyParams(url.searchParams, new Date());
  const answer = await loadEfficiency(locals.api, params);
  return { params, evaluation: answer.ok ? answer.data : null, code: answer.ok ? null : answer.code };
};
