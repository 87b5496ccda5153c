import { billedOrgs, listInvoices } from '$lib/finance/finance.server';
import { myOrders } from '$lib/orders/orders.server';
import { requireSignedIn } from '$lib/server/actions';
import { chosenMonth, customerLabs, monthOf, statementMonths } from '$lib/statements/months';
import { readStatement } from '$lib/statements/statements.server';
import type { PageServerLoad } from './$types';

/**
 * 对账单 from 我的账单: the customer's month with one lab (a monthly account's statement, 月结), the
 * running month so far; chosen by organisation, lab and month.
 */
export const load: PageServerLoad = async ({ locals, url }) => {
  const user = requireSignedIn(locals, url);
  const orgs = billedOrgs(user);
  const org = orgs.find((m) => m.orgId === url.searchParams.get('org')) ?? orgs[0] ?? null;
  const now = new Date();
  const months = statementMonths(now, []);
  const month = chosenMonth(url.searchParams.get('month'), months, now);
  const base = {
    orgs: orgs.map((m) => ({ orgId: m.orgId, orgNameZh: m.orgNameZh, orgNameEn: m.orgNameEn })),
    orgId: org?.orgId ?? null,
    months,
    month,
    running: monthOf(now),
  };
  if (!org) return { ...base, labs: [], labId: null, statement: null, code: null };
  const [invoices, orders] = await Promise.all([
    listInvoices(locals.api, { customerOrgId: org.orgId, limit: 100 }),
    myOrders(locals.api, { limit: 100 }),
  ]);
  const labs = customerLabs(
    invoices.items,
    orders.items.filter((o) => o.customerOrgId === org.orgId),
  );
  const lab = labs.find((l) => l.id === url.searchParams.get('lab')) ?? labs[0] ?? null;
  if (!lab) return { ...base, labs, labId: null, statement: null, code: null };
  const answer = await readStatement(locals.api, { customerOrgId: org.orgId, labId: lab.id }, month);
  return {
    ...base,
    labs,
    labId: lab.id,
    statement: answer.ok ? answer.statement : null,
    code: answer.ok ? null : answer.code,
  };
};
