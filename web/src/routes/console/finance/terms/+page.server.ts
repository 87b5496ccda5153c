import { redirect } from '@sveltejs/kit';
import {
  invalidMoney,
  listInvoices,
  loadBillingSettings,
  loadCustomerTerms,
  refusedMoney,
  requireFinance,
  send,
} from '$lib/finance/finance.server';
import { bpToPercent, parseCustomerTerms, parseSettings, text, UUID } from '$lib/finance/forms';
import type { Actions, PageServerLoad } from './$types';

/** 结算条款: the lab's default terms and payee account, and the customers with terms of their own. */
export const load: PageServerLoad = async ({ locals, url }) => {
  const lab = requireFinance(locals, url);
  const [settings, overrides, recent] = await Promise.all([
    loadBillingSettings(locals.api, lab.orgId),
    loadCustomerTerms(locals.api, lab.orgId),
    listInvoices(locals.api, { labId: lab.orgId, limit: 100 }),
  ]);
  // The customers to choose from: those the lab has billed (the API has no customer list of a lab).
  const customers = new Map<string, { id: string; nameZh: string; nameEn: string }>();
  for (const i of recent.items) customers.set(i.customer.id, i.customer);
  for (const o of overrides ?? []) {
    if (!customers.has(o.customer.id)) customers.set(o.customer.id, o.customer);
  }
  return {
    available: settings !== null,
    values: settings
      ? {
          terms: settings.terms,
          dueDays: String(settings.dueDays),
          monthlyDueDays: String(settings.monthlyDueDays),
          taxRate: bpToPercent(settings.taxRateBp),
          accountName: settings.payee.accountName,
          bankName: settings.payee.bankName,
          accountNumber: settings.payee.accountNumber,
        }
      : null,
    overrides: overrides ?? [],
    customers: [...customers.values()],
    flash: url.searchParams.get('flash'),
  };
};

function back(url: URL, flash: string): never {
  redirect(303, `${url.pathname}?lab=${encodeURIComponent(url.searchParams.get('lab') ?? '')}&flash=${flash}`);
}

export const actions: Actions = {
  settings: async ({ locals, url, request }) => {
    const lab = requireFinance(locals, url);
    const { body, errors, values } = parseSettings(await request.formData());
    if (!body) return invalidMoney('settings', errors, values);
    const outcome = await send(locals.api, 'PUT', '/v1/labs/{labId}/billing-settings', { labId: lab.orgId }, body);
    if (!outcome.ok) return refusedMoney('settings', outcome, { values, errors: {} });
    back(url, 'settings');
  },
  customer: async ({ locals, url, request }) => {
    const lab = requireFinance(locals, url);
    const { body, errors, values } = parseCustomerTerms(await request.formData());
    if (!body) return invalidMoney('customer', errors, values);
    const outcome = await send(
      locals.api,
      'PUT',
      '/v1/labs/{labId}/customer-terms/{customerOrgId}',
      { labId: lab.orgId, customerOrgId: values.customerOrgId! },
      body,
    );
    if (!outcome.ok) return refusedMoney('customer', outcome, { values, errors: {} });
    back(url, 'customerTerms');
  },
  removeCustomer: async ({ locals, url, request }) => {
    const lab = requireFinance(locals, url);
    const customerOrgId = text(await request.formData(), 'customerOrgId');
    if (!UUID.test(customerOrgId)) return invalidMoney('removeCustomer', {}, {});
    const outcome = await send(locals.api, 'DELETE', '/v1/labs/{labId}/customer-terms/{customerOrgId}', {
      labId: lab.orgId,
      customerOrgId,
    });
    if (!outcome.ok) return refusedMoney('removeCustomer', outcome, { customerOrgId });
    back(url, 'customerTermsRemoved');
  },
};
