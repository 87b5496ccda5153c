import { requirePlatformAdmin } from '$lib/finance/finance.server';
import { auditFilters, loadAudit } from '$lib/audit/audit.server';
import type { PageServerLoad } from './$types';

/** 审计日志: the region's audit trail, filtered by who, organisation, entity, action and period (China dates). */
export const load: PageServerLoad = async ({ locals, url }) => {
  requirePlatformAdmin(locals, url);
  const filters = auditFilters(url.searchParams);
  const answer = await loadAudit(locals.api, filters, url.searchParams.get('cursor'));
  return {
    filters,
    items: answer.ok ? answer.items : [],
    nextCursor: answer.ok ? answer.nextCursor : null,
    code: answer.ok ? null : answer.code,
  };
};
