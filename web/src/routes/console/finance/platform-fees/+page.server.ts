import { requireFinance } from '$lib/finance/finance.server';
import { labFees } from '$lib/platform-fees/fees.server';
import type { PageServerLoad } from './$types';

/** 平台服务费: the platform's monthly service fee invoices to this lab, newest first (four years' worth). */
export const load: PageServerLoad = async ({ locals, url }) => {
  const lab = requireFinance(locals, url);
  const answer = await labFees(locals.api, lab.orgId);
  return { fees: answer?.items ?? [] };
};
