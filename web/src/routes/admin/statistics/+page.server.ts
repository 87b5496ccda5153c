import { requirePlatformAdmin } from '$lib/finance/finance.server';
import { loadStatistics, periodOf, regionOptions } from '$lib/statistics/statistics.server';
import type { PageServerLoad } from './$types';

/** The programme's statistics for the admin's region or one below it, over a period (year to date by default). */
export const load: PageServerLoad = async ({ locals, url }) => {
  const admin = requirePlatformAdmin(locals, url);
  const { adjusted, ...period } = periodOf(url.searchParams, new Date());
  const regions = await regionOptions(locals.api, admin.regionCode);
  const asked = url.searchParams.get('region');
  const region = asked && regions.some((r) => r.code === asked) ? asked : admin.regionCode;
  const answer = await loadStatistics(locals.api, { region, ...period });
  return {
    region,
    regions,
    period,
    adjusted,
    statistics: answer.ok ? answer.statistics : null,
    code: answer.ok ? null : answer.code,
  };
};
