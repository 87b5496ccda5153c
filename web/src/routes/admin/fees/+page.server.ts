import { redirect } from '@sveltejs/kit';
import { bankStatementActions } from '$lib/finance/bank-actions.server';
import { invalidMoney, refusedMoney, requirePlatformAdmin } from '$lib/finance/finance.server';
import { text } from '$lib/finance/forms';
import { isInvoiceStatus } from '$lib/finance/types';
import { parsePercent } from '$lib/platform-fees/format';
import { feeRates, platformBankLines, regionFees, setFeeRate } from '$lib/platform-fees/fees.server';
import type { Actions, PageServerLoad } from './$types';

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

/**
 * 平台服务费 (the platform console): the rates per region, the fee invoices to the labs of the
 * admin's regions with their status, and the platform's own bank statement with its queue.
 */
export const load: PageServerLoad = async ({ locals, url }) => {
  const admin = requirePlatformAdmin(locals, url);
  const status = url.searchParams.get('status');
  const month = url.searchParams.get('month');
  const filter = { status: isInvoiceStatus(status) ? status : null, month: month && MONTH.test(month) ? month : null };
  const [rates, fees, queue, open, partly] = await Promise.all([
    feeRates(locals.api),
    regionFees(locals.api, filter),
    platformBankLines(locals.api, admin.orgId),
    regionFees(locals.api, { status: 'open' }),
    regionFees(locals.api, { status: 'partially_paid' }),
  ]);
  // Only the platform's own invoices can be paid into its account.
  const openInvoices = [...(open?.items ?? []), ...(partly?.items ?? [])]
    .map((f) => f.invoice)
    .filter((i) => i.labId === admin.orgId)
    .map((i) => ({ id: i.id, number: i.number, customer: i.customer, amountDue: i.amountDue }));
  return {
    platformId: admin.orgId,
    filter,
    rates,
    fees: fees?.items ?? [],
    queue,
    openInvoices,
    flash: url.searchParams.get('flash'),
  };
};

function back(url: URL, flash: string): never {
  redirect(303, `${url.pathname}?flash=${flash}`);
}

export const actions: Actions = {
  rate: async ({ locals, url, request }) => {
    requirePlatformAdmin(locals, url);
    const form = await request.formData();
    const regionCode = text(form, 'regionCode');
    const raw = text(form, 'rate');
    const values = { regionCode, rate: raw };
    if (!/^\d{6}$/.test(regionCode)) return invalidMoney('rate', { regionCode: 'invalid_value' }, values);
    const rateBp = parsePercent(raw);
    if (rateBp === null) return invalidMoney('rate', { rate: 'invalid_value' }, values);
    const outcome = await setFeeRate(locals.api, regionCode, rateBp);
    if (!outcome.ok) return refusedMoney('rate', outcome, { values });
    back(url, 'rate');
  },
  ...bankStatementActions({
    owner: ({ locals, url }) => requirePlatformAdmin(locals, url).orgId,
    base: '/v1/admin/platforms/{platformId}',
    param: 'platformId',
    back,
  }),
};
