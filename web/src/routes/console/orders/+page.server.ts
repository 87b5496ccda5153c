import { groupQueue, isOverdue, OPEN_STATUSES, OPEN_TABS, parseQueueTab, QUEUE_TABS } from '$lib/order-console/queue';
import { labSites, requireLabMember } from '$lib/lab-console/console.server';
import { labOrdersIn } from '$lib/order-console/orders.server';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url }) => {
  const lab = requireLabMember(locals, url);
  const tab = parseQueueTab(url.searchParams.get('tab'));
  // Open orders are always read, so every tab shows its count; finished ones only on their tab.
  const [{ timeZone }, open, done] = await Promise.all([
    labSites(locals.api, lab.orgId),
    labOrdersIn(locals.api, lab.orgId, OPEN_STATUSES),
    tab === 'done' ? labOrdersIn(locals.api, lab.orgId, QUEUE_TABS.done) : null,
  ]);
  const now = new Date();
  const groups = groupQueue([...open.items, ...(done?.items ?? [])], now);
  return {
    lab,
    tab,
    timeZone,
    counts: Object.fromEntries(OPEN_TABS.map((t) => [t, groups[t].length])) as Record<string, number>,
    truncated: open.truncated || (done?.truncated ?? false),
    items: groups[tab].map((o) => ({
      id: o.id,
      number: o.number,
      status: o.status,
      customerNameZh: o.customerNameZh,
      titleZh: o.titleZh,
      dueAt: o.dueAt,
      overdue: isOverdue(o, now),
      expedite: o.expedite,
      total: o.total,
      quoted: o.quotedAt !== null,
      createdAt: o.createdAt,
    })),
  };
};
