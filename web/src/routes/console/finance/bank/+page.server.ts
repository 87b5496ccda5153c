import { redirect } from '@sveltejs/kit';
import { bankStatementActions } from '$lib/finance/bank-actions.server';
import { listInvoices, loadBankLines, requireFinance } from '$lib/finance/finance.server';
import type { BankLine, Invoice } from '$lib/finance/types';
import type { Actions, PageServerLoad } from './$types';

/**
 * 银行流水: upload the bank's statement export, see what it matched, and work the queue of lines
 * that paid no invoice by themselves (a suggestion to confirm, or an invoice to pick, or dismiss).
 */
export const load: PageServerLoad = async ({ locals, url }) => {
  const lab = requireFinance(locals, url);
  const [queue, open, partly] = await Promise.all([
    loadBankLines(locals.api, lab.orgId),
    listInvoices(locals.api, { labId: lab.orgId, status: 'open', limit: 100 }),
    listInvoices(locals.api, { labId: lab.orgId, status: 'partially_paid', limit: 100 }),
  ]);
  const available = queue !== null;
  const openInvoices = [...open.items, ...partly.items]
    .filter((i: Invoice) => i.kind === 'invoice')
    .map((i) => ({ id: i.id, number: i.number, customer: i.customer, amountDue: i.amountDue }));
  return { available, queue: queue?.items ?? ([] as BankLine[]), openInvoices, flash: url.searchParams.get('flash') };
};

function back(url: URL, flash: string): never {
  redirect(303, `${url.pathname}?lab=${encodeURIComponent(url.searchParams.get('lab') ?? '')}&flash=${flash}`);
}

export const actions: Actions = bankStatementActions({
  owner: ({ locals, url }) => requireFinance(locals, url).orgId,
  base: '/v1/labs/{labId}',
  param: 'labId',
  back,
});
