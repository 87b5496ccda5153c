import { redirect } from '@sveltejs/kit';
import {
  invalidMoney,
  loadInvoice,
  refusedMoney,
  relatedDocuments,
  requireFinance,
  send,
} from '$lib/finance/finance.server';
import { MONEY_ZONE, parsePayment, parseReason } from '$lib/finance/forms';
import { todayIn } from '$lib/time';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url, params }) => {
  requireFinance(locals, url);
  const invoice = await loadInvoice(locals.api, params.id);
  const related = await relatedDocuments(locals.api, invoice);
  return { invoice, related, today: todayIn(MONEY_ZONE, new Date()), flash: url.searchParams.get('flash') };
};

function back(url: URL, flash: string): never {
  const to = new URL(url.pathname, url);
  to.searchParams.set('lab', url.searchParams.get('lab') ?? '');
  to.searchParams.set('flash', flash);
  redirect(303, to.pathname + to.search);
}

export const actions: Actions = {
  /** A payment that arrived outside the bank statements (cash at the counter, a transfer matched by hand). */
  payment: async ({ locals, url, params, request }) => {
    requireFinance(locals, url);
    const { body, errors, values } = parsePayment(await request.formData());
    if (!body) return invalidMoney('payment', errors, values);
    const outcome = await send(locals.api, 'POST', '/v1/invoices/{id}/payments', { id: params.id }, body);
    if (!outcome.ok) return refusedMoney('payment', outcome, { values, errors: {} });
    back(url, 'payment');
  },
  /** An issued invoice is never edited: it is voided with a reason (kept in the audit log). */
  void: async ({ locals, url, params, request }) => {
    requireFinance(locals, url);
    const form = await request.formData();
    const reason = parseReason(form, 'reason');
    // What becomes of the charges: re-issued, released from prepayment, or (left empty) forgiven.
    const then = form.get('then');
    const choice = then === 'reissue' || then === 'release' ? then : undefined;
    const values = { reason: reason.value, then: choice ?? '' };
    if (reason.error) return invalidMoney('void', { reason: reason.error }, values);
    const outcome = await send(
      locals.api,
      'POST',
      '/v1/invoices/{id}/void',
      { id: params.id },
      { reason: reason.value, ...(choice ? { then: choice } : {}) },
    );
    if (!outcome.ok) return refusedMoney('void', outcome, { values, errors: {} });
    back(url, 'void');
  },
};
