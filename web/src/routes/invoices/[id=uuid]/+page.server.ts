import { redirect } from '@sveltejs/kit';
import {
  invalidMoney,
  loadInvoice,
  paymentMethods,
  refusedMoney,
  relatedDocuments,
  send,
} from '$lib/finance/finance.server';
import { loadFapiao, parseFapiaoTitle } from '$lib/finance/fapiao.server';
import { MONEY_ZONE, text, UUID } from '$lib/finance/forms';
import { requireSignedIn } from '$lib/server/actions';
import { todayIn } from '$lib/time';
import { voucherOptions } from '$lib/vouchers/split';
import { kindsOfInvoice, myQuotas } from '$lib/vouchers/vouchers.server';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url, params }) => {
  requireSignedIn(locals, url);
  const invoice = await loadInvoice(locals.api, params.id);
  const payable = invoice.kind === 'invoice' && (invoice.status === 'open' || invoice.status === 'partially_paid');
  const paid = invoice.kind === 'invoice' && invoice.status === 'paid';
  const [related, methods, fapiao, quotas] = await Promise.all([
    relatedDocuments(locals.api, invoice),
    payable ? paymentMethods(locals.api, invoice.id) : Promise.resolve([]),
    paid ? loadFapiao(locals.api, invoice) : Promise.resolve(null),
    payable ? myQuotas(locals.api) : Promise.resolve([]),
  ]);
  // 创新券: the split each of the customer's quotas would give, read before anything is paid.
  const own = quotas.filter((q) => q.enterprise.id === invoice.customerOrgId);
  const kinds = own.length > 0 && invoice.voucherShare.amount === 0 ? await kindsOfInvoice(locals.api, invoice) : null;
  const vouchers = voucherOptions(invoice, own, kinds, todayIn(MONEY_ZONE, new Date()));
  return {
    invoice,
    vouchers,
    related,
    card: methods.includes('card'),
    fapiao,
    flash: url.searchParams.get('flash'),
    // Back from the card processor's page (its success_url): the invoice turns paid only when the
    // processor's webhook has been processed, never from this return; until then "being confirmed".
    cardReturn: url.searchParams.get('paid') === '1' ? (paid ? ('confirmed' as const) : ('confirming' as const)) : null,
  };
};

export const actions: Actions = {
  /** Use an innovation voucher on the invoice: the programme pays its share, the rest stays due. */
  voucher: async ({ locals, url, params, request }) => {
    requireSignedIn(locals, url);
    const applicationId = text(await request.formData(), 'applicationId');
    if (!UUID.test(applicationId)) return invalidMoney('voucher', { applicationId: 'required' }, {});
    const outcome = await send(locals.api, 'POST', '/v1/invoices/{id}/voucher', { id: params.id }, { applicationId });
    if (!outcome.ok) return refusedMoney('voucher', outcome);
    redirect(303, `/invoices/${params.id}?flash=voucher`);
  },
  /** Card payment: the processor's hosted page on the lab's own merchant account (no card data here). */
  checkout: async ({ locals, url, params }) => {
    requireSignedIn(locals, url);
    const outcome = await send<{ url: string }>(locals.api, 'POST', '/v1/invoices/{id}/checkout', { id: params.id });
    if (!outcome.ok) return refusedMoney('checkout', outcome);
    redirect(303, outcome.data.url);
  },
  /** The organisation's invoice title (发票抬头), kept once for every fapiao. */
  fapiaoTitle: async ({ locals, url, params, request }) => {
    requireSignedIn(locals, url);
    const invoice = await loadInvoice(locals.api, params.id);
    const { body, errors, values } = parseFapiaoTitle(await request.formData());
    if (!body) return invalidMoney('fapiaoTitle', errors, values);
    const outcome = await send(
      locals.api,
      'PUT',
      '/v1/orgs/{orgId}/fapiao-title',
      { orgId: invoice.customerOrgId },
      body,
    );
    if (!outcome.ok) return refusedMoney('fapiaoTitle', outcome, { values, errors: {} });
    redirect(303, `/invoices/${params.id}?flash=fapiaoTitle`);
  },
  fapiaoRequest: async ({ locals, url, params, request }) => {
    requireSignedIn(locals, url);
    const form = await request.formData();
    const type = text(form, 'type');
    const note = text(form, 'note');
    const body = { ...(type === 'normal' || type === 'special' ? { type } : {}), ...(note ? { note } : {}) };
    const outcome = await send(locals.api, 'POST', '/v1/invoices/{id}/fapiao-request', { id: params.id }, body);
    if (!outcome.ok) return refusedMoney('fapiaoRequest', outcome);
    redirect(303, `/invoices/${params.id}?flash=fapiaoRequest`);
  },
};
