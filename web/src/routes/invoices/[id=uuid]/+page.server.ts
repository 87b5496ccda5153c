import { redirect } from '@sveltejs/kit';
import { loadInvoice, paymentMethods, refusedMoney, relatedDocuments, send } from '$lib/finance/finance.server';
import { requireSignedIn } from '$lib/server/actions';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url, params }) => {
  requireSignedIn(locals, url);
  const invoice = await loadInvoice(locals.api, params.id);
  const payable = invoice.kind === 'invoice' && (invoice.status === 'open' || invoice.status === 'partially_paid');
  const [related, methods] = await Promise.all([
    relatedDocuments(locals.api, invoice),
    payable ? paymentMethods(locals.api, invoice.id) : Promise.resolve([]),
  ]);
  return {
    invoice,
    related,
    card: methods.includes('card'),
    // Back from the card processor's page: the invoice turns paid only when the processor confirms it.
    returnedFromCard: url.searchParams.get('paid') === '1' && invoice.status !== 'paid',
  };
};

export const actions: Actions = {
  /** Card payment: the processor's hosted page on the lab's own merchant account (no card data here). */
  checkout: async ({ locals, url, params }) => {
    requireSignedIn(locals, url);
    const outcome = await send<{ url: string }>(locals.api, 'POST', '/v1/invoices/{id}/checkout', { id: params.id });
    if (!outcome.ok) return refusedMoney('checkout', outcome);
    redirect(303, outcome.data.url);
  },
};
