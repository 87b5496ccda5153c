import { redirect } from '@sveltejs/kit';
import { invalidMoney, refusedMoney, requireFinance, send } from '$lib/finance/finance.server';
import { text, UUID } from '$lib/finance/forms';
import { claimableInvoices, invoiceNumbers, labClaims } from '$lib/vouchers/vouchers.server';
import type { Actions, PageServerLoad } from './$types';

/**
 * 创新券兑付: the lab's redemption claims (filed, approved, rejected with the reason, void, paid)
 * with their evidence packs, and the invoices with a voucher share it can claim now — the work done
 * and the customer's own part arrived — or is still waiting on.
 */
export const load: PageServerLoad = async ({ locals, url }) => {
  const lab = requireFinance(locals, url);
  const claims = await labClaims(locals.api, lab.orgId);
  const [claimable, numbers] = await Promise.all([
    claimableInvoices(locals.api, lab.orgId, claims),
    invoiceNumbers(
      locals.api,
      claims.map((c) => c.invoiceId),
    ),
  ]);
  return { claims, claimable, numbers, flash: url.searchParams.get('flash') };
};

export const actions: Actions = {
  file: async ({ locals, url, request }) => {
    const lab = requireFinance(locals, url);
    const invoiceId = text(await request.formData(), 'invoiceId');
    if (!UUID.test(invoiceId)) return invalidMoney('file', { invoiceId: 'required' }, {}, { id: invoiceId });
    const outcome = await send(
      locals.api,
      'POST',
      '/v1/labs/{labId}/voucher-claims',
      { labId: lab.orgId },
      { invoiceId },
    );
    if (!outcome.ok) return refusedMoney('file', outcome, { id: invoiceId });
    redirect(303, `${url.pathname}?lab=${encodeURIComponent(lab.orgId)}&flash=filed`);
  },
};
