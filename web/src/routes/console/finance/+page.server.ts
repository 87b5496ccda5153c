import { listInvoices, requireFinance } from '$lib/finance/finance.server';
import { isInvoiceStatus } from '$lib/finance/types';
import type { PageServerLoad } from './$types';

/** 账单: the lab's invoices and credit notes, newest first, filtered by status. */
export const load: PageServerLoad = async ({ locals, url }) => {
  const lab = requireFinance(locals, url);
  const asked = url.searchParams.get('status');
  const status = isInvoiceStatus(asked) ? asked : null;
  const cursor = url.searchParams.get('cursor');
  const page = await listInvoices(locals.api, { labId: lab.orgId, status, cursor, limit: 25 });
  return { status, invoices: page.items, nextCursor: page.nextCursor, onFirstPage: !cursor };
};
