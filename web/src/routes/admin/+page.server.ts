import { requirePlatformAdmin } from '$lib/finance/finance.server';
import { attention, dashPeriods } from '$lib/dash/dash.server';
import { loadStatistics } from '$lib/statistics/statistics.server';
import type { PageServerLoad } from './$types';

/** 平台控制台: the region's month at a glance — this month's figures, the last twelve months, what waits. */
export const load: PageServerLoad = async ({ locals, url }) => {
  const admin = requirePlatformAdmin(locals, url);
  // The web server's clock, as the reconciliation page: this month in China dates.
  const { month, year } = dashPeriods(new Date());
  const [monthAnswer, yearAnswer, waiting] = await Promise.all([
    loadStatistics(locals.api, { region: admin.regionCode, ...month }),
    loadStatistics(locals.api, { region: admin.regionCode, ...year }),
    attention(locals.api, month),
  ]);
  return {
    month,
    year,
    statistics: monthAnswer.ok ? monthAnswer.statistics : null,
    history: yearAnswer.ok ? yearAnswer.statistics : null,
    code: monthAnswer.ok ? (yearAnswer.ok ? null : yearAnswer.code) : monthAnswer.code,
    attention: waiting,
  };
};
