import { requireFinance } from '$lib/finance/finance.server';
import { isFapiaoStatus } from '$lib/fapiao/desk';
import { proxyFapiaoExport } from '$lib/fapiao/desk.server';
import type { RequestHandler } from './$types';

/** The fapiao requests as XLSX for the tax software (`?status=`; pending unless told, as the API does). */
export const GET: RequestHandler = async ({ locals, url }) => {
  const lab = requireFinance(locals, url);
  const status = url.searchParams.get('status');
  return proxyFapiaoExport(locals.api, lab.orgId, isFapiaoStatus(status) ? status : null);
};
