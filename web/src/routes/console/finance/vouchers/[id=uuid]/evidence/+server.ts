import { requireFinance } from '$lib/finance/finance.server';
import { proxyEvidence } from '$lib/vouchers/vouchers.server';
import type { RequestHandler } from './$types';

/** A claim's evidence pack (ZIP) for the lab's managers and staff, fetched with their session. */
export const GET: RequestHandler = async ({ locals, url, params }) => {
  const lab = requireFinance(locals, url);
  return proxyEvidence(locals.api, lab.orgId, params.id);
};
