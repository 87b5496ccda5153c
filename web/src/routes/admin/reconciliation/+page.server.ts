import { redirect } from '@sveltejs/kit';
import { invalidMoney, refusedMoney, requirePlatformAdmin } from '$lib/finance/finance.server';
import { parseReason, periodFrom, text, UUID } from '$lib/finance/forms';
import { filterQueue, kindsOffered, presets, queueFilter } from '$lib/reconciliation/figures';
import { loadReconciliation, resolveDiscrepancy } from '$lib/reconciliation/reconciliation.server';
import type { Actions, PageServerLoad } from './$types';

/**
 * 对账: the region's labs over a period (this month by default, China dates), their ageing, and the
 * discrepancy queue filtered by kind and by open / resolved — every filter in the address.
 */
export const load: PageServerLoad = async ({ locals, url }) => {
  requirePlatformAdmin(locals, url);
  const now = new Date();
  const { adjusted, ...period } = periodFrom(url.searchParams, now);
  const filter = queueFilter(url.searchParams);
  const answer = await loadReconciliation(locals.api, period);
  const all = answer.ok ? answer.data.discrepancies : [];
  return {
    period,
    adjusted,
    presets: presets(now),
    filter,
    recon: answer.ok ? answer.data : null,
    code: answer.ok ? null : answer.code,
    kinds: kindsOffered(all),
    queue: filterQueue(all, filter),
    flash: url.searchParams.get('flash'),
  };
};

const KEPT = ['from', 'to', 'kind', 'state'] as const;

export const actions: Actions = {
  /** Resolve with a note (required: it goes to the audit log); back to the same filters. */
  resolve: async ({ locals, url, request }) => {
    requirePlatformAdmin(locals, url);
    const form = await request.formData();
    const id = text(form, 'id');
    const note = parseReason(form, 'note');
    if (!UUID.test(id)) return invalidMoney('resolve', { note: 'invalid_value' }, {}, { id });
    if (note.error) return invalidMoney('resolve', { note: note.error }, { note: note.value }, { id });
    const outcome = await resolveDiscrepancy(locals.api, id, note.value);
    if (!outcome.ok) return refusedMoney('resolve', outcome, { id });
    // Back to the period and filters the form was sent from (only those: no redirect elsewhere).
    const from = new URLSearchParams(text(form, 'back'));
    const back = new URLSearchParams();
    for (const k of KEPT) if (from.get(k)) back.set(k, from.get(k)!);
    back.set('flash', 'resolved');
    redirect(303, `${url.pathname}?${back.toString()}`);
  },
};
