import { redirect } from '@sveltejs/kit';
import {
  invalidMoney,
  listInvoices,
  loadBankLines,
  refusedMoney,
  requireFinance,
  send,
  uploadStatement,
} from '$lib/finance/finance.server';
import { parseReason, text, UUID } from '$lib/finance/forms';
import type { BankLine, Invoice } from '$lib/finance/types';
import type { Actions, PageServerLoad } from './$types';

/** A bank export is small (a month of a lab's transfers); anything far larger is not one. */
const MAX_STATEMENT_BYTES = 5 * 1024 * 1024;

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

export const actions: Actions = {
  upload: async ({ locals, url, request }) => {
    const lab = requireFinance(locals, url);
    const file = (await request.formData()).get('file');
    if (!(file instanceof File) || file.size === 0) return invalidMoney('upload', { file: 'required' }, {});
    if (file.size > MAX_STATEMENT_BYTES) return invalidMoney('upload', { file: 'too_large' }, {});
    const bytes = new Uint8Array(await file.arrayBuffer());
    const outcome = await uploadStatement(locals.api, lab.orgId, bytes);
    if (!outcome.ok) return refusedMoney('upload', outcome);
    return { action: 'upload', ok: true as const, counts: outcome.data };
  },
  match: async ({ locals, url, request }) => {
    const lab = requireFinance(locals, url);
    const form = await request.formData();
    const lineId = text(form, 'lineId');
    const invoiceId = text(form, 'invoiceId');
    if (!UUID.test(lineId)) return invalidMoney('match', { invoiceId: 'invalid_value' }, {}, { lineId });
    if (!UUID.test(invoiceId)) return invalidMoney('match', { invoiceId: 'required' }, {}, { lineId });
    const outcome = await send(
      locals.api,
      'POST',
      '/v1/labs/{labId}/bank-lines/{lineId}/match',
      { labId: lab.orgId, lineId },
      { invoiceId },
    );
    if (!outcome.ok) return refusedMoney('match', outcome, { lineId });
    back(url, 'matched');
  },
  dismiss: async ({ locals, url, request }) => {
    const lab = requireFinance(locals, url);
    const form = await request.formData();
    const lineId = text(form, 'lineId');
    const note = parseReason(form, 'note');
    if (!UUID.test(lineId)) return invalidMoney('dismiss', { note: 'invalid_value' }, {}, { lineId });
    if (note.error) return invalidMoney('dismiss', { note: note.error }, { note: note.value }, { lineId });
    const outcome = await send(
      locals.api,
      'POST',
      '/v1/labs/{labId}/bank-lines/{lineId}/dismiss',
      { labId: lab.orgId, lineId },
      { note: note.value },
    );
    if (!outcome.ok) return refusedMoney('dismiss', outcome, { lineId });
    back(url, 'dismissed');
  },
};
