import { myRequests } from '$lib/fapiao/desk.server';
import { billedOrgs, listInvoices } from '$lib/finance/finance.server';
import { isInvoiceStatus } from '$lib/finance/types';
import { requireSignedIn } from '$lib/server/actions';
import { loadCardOnFile, loadCards, removeCardAction, saveCardAction } from '$lib/cardfile/cards.server';
import type { Actions, PageServerLoad } from './$types';

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
  // Cards on file: the ones saved, and the labs billing this organisation with which one could be.
  const cards = org ? await loadCards(locals.api, org.orgId) : [];
  const labs = [...new Map(page.items.map((i) => [i.labId, i])).values()]
    .filter((i) => i.labId !== org?.orgId && !cards.some((c) => c.labId === i.labId))
    .slice(0, 5);
  const offers = org
    ? (
        await Promise.all(
          labs.map(async (i) => ({ lab: i.lab, state: await loadCardOnFile(locals.api, i.labId, org.orgId) })),
        )
      ).filter((o) => o.state?.available)
    : [];
  return {
    cards,
    cardOffers: offers.map((o) => o.lab),
    cardFlash: url.searchParams.get('card'),
    orgs: orgs.map((m) => ({ orgId: m.orgId, orgNameZh: m.orgNameZh, orgNameEn: m.orgNameEn })),
    orgId: org?.orgId ?? null,
    status,
    invoices: page.items,
    nextCursor: page.nextCursor,
    onFirstPage: !cursor,
    fapiaoRequests,
  };
};

export const actions: Actions = {
  saveCard: (event) => saveCardAction(event, '/invoices'),
  removeCard: (event) => removeCardAction(event, '/invoices'),
};
