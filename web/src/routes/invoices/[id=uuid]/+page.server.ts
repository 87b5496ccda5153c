import { loadInvoice, relatedDocuments } from '$lib/finance/finance.server';
import { requireSignedIn } from '$lib/server/actions';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url, params }) => {
  requireSignedIn(locals, url);
  const invoice = await loadInvoice(locals.api, params.id);
  const related = await relatedDocuments(locals.api, invoice);
  return { invoice, related };
};
