import { requirePlatformAdmin } from '$lib/finance/finance.server';
import { auditFilters, proxyAuditCsv } from '$lib/audit/audit.server';
import type { RequestHandler } from './$types';

/** The audit log as CSV (UTF-8 with a BOM, for Excel), with the page's filters. */
export const GET: RequestHandler = async ({ locals, url }) => {
  requirePlatformAdmin(locals, url);
  return proxyAuditCsv(locals.api, auditFilters(url.searchParams));
};
