import { requirePlatformAdmin, trialBalance } from '$lib/finance/finance.server';
import { periodFrom } from '$lib/finance/forms';
import type { PageServerLoad } from './$types';

/** The region's trial balance: every lab's book and the platform's, over a period. */
export const load: PageServerLoad = async ({ locals, url }) => {
  requirePlatformAdmin(locals, url);
  const { adjusted, ...period } = periodFrom(url.searchParams, new Date());
  const answer = await trialBalance(locals.api, 'admin', period);
  return { period, adjusted, balance: answer.ok ? answer.data : null, code: answer.ok ? null : answer.code };
};
