import { myRequests } from '$lib/fapiao/desk.server';
import { billedOrgs, listInvoices } from '$lib/finance/finance.server';
import { isInvoiceStatus } from '$lib/finance/types';
import { requireSignedIn } from '$lib/server/actions';
import type { PageServerLoad } from './$types';

/** 我的账单: the bills of one of the person's organisations (the first enterprise unless another is chosen). */
export const load: PageServerLoad = async ({ locals, url }) => {
  const user = requireSignedIn(locals, url);
  const orgs = billedOrgs(user);
  const asked = url.searchParams.get('org');
  const org = orgs.find((m) => m.orgId === asked) ?? orgs[0] ?? null;
  const statusParam = url.searchParams.get('status');
  const status = isInvoiceStatus(statusParam) ? statusParam : null;
  const cursor = url.searchParams.get('cursor');
  const [page, fapiaoRequests] = await Promise.all([
    org
      ? listInvoices(locals.api, { customerOrgId: org.orgId, status, cursor, limit: 20 })
      : { items: [], nextCursor: null },
    org ? myRequests(locals.api, org.orgId) : [],
  ]);
  return {
    orgs: orgs.map((m) => ({ orgId: m.orgId, orgNameZh: m.orgNameZh, orgNameEn: m.orgNameEn })),
    orgId: org?.orgId ?? null,
    status,
    invoices: page.items,
    nextCursor: page.nextCursor,
    onFirstPage: !cursor,
    fapiaoRequests,
  };
};
