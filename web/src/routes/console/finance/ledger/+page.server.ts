import { requireFinance, trialBalance } from '$lib/finance/finance.server';
import { periodFrom } from '$lib/finance/forms';
import type { PageServerLoad } from './$types';

/** 试算平衡: the lab's own book over a period (this month so far unless another is asked for). */
export const load: PageServerLoad = async ({ locals, url }) => {
  const lab = requireFinance(locals, url);
  const { adjusted, ...period } = periodFrom(url.searchParams, new Date());
  const answer = await trialBalance(locals.api, { labId: lab.orgId }, period);
  return {
    period,
    adjusted,
    balance: answer.ok ? answer.data : null,
    code: answer.ok ? null : answer.code,
  };
};
