import { redirect } from '@sveltejs/kit';
import { invalidMoney, refusedMoney, requirePlatformAdmin, send } from '$lib/finance/finance.server';
import { MONEY_ZONE, parseReason, text, UUID } from '$lib/finance/forms';
import { todayIn } from '$lib/time';
import { parseClaimPayment } from '$lib/vouchers/forms';
import { CLAIM_STATUSES, type ClaimStatus } from '$lib/vouchers/types';
import { adminClaims, labNames } from '$lib/vouchers/vouchers.server';
import type { Actions, PageServerLoad } from './$types';

const isStatus = (v: string | null): v is ClaimStatus => (CLAIM_STATUSES as readonly (string | null)[]).includes(v);

/**
 * 兑付审核: the labs' redemption claims on the admin's programmes — open the evidence pack, approve,
 * reject or void with a reason, and record the programme's payment to the lab.
 */
export const load: PageServerLoad = async ({ locals, url }) => {
  requirePlatformAdmin(locals, url);
  const asked = url.searchParams.get('status');
  const status = isStatus(asked) ? asked : null;
  // A link from elsewhere (the reconciliation queue) names one claim: show that one alone.
  const focus = url.searchParams.get('claim');
  const listed = await adminClaims(locals.api, status ?? undefined);
  const claims = focus && UUID.test(focus) ? listed.filter((c) => c.id === focus) : listed;
  return {
    claims,
    status,
    focused: claims.length !== listed.length,
    labs: await labNames(
      locals.api,
      claims.map((c) => c.labId),
    ),
    today: todayIn(MONEY_ZONE, new Date()),
    flash: url.searchParams.get('flash'),
  };
};

function back(url: URL, flash: string): never {
  const keep = ['status', 'claim']
    .map((k) => [k, url.searchParams.get(k)] as const)
    .filter(([, v]) => v)
    .map(([k, v]) => `${k}=${encodeURIComponent(v!)}&`)
    .join('');
  redirect(303, `/admin/vouchers/claims?${keep}flash=${flash}`);
}

export const actions: Actions = {
  approve: async ({ locals, url, request }) => {
    requirePlatformAdmin(locals, url);
    const id = text(await request.formData(), 'id');
    if (!UUID.test(id)) return invalidMoney('approve', {}, {}, { id });
    const outcome = await send(locals.api, 'POST', '/v1/admin/voucher-claims/{id}/approve', { id });
    if (!outcome.ok) return refusedMoney('approve', outcome, { id });
    back(url, 'claimApproved');
  },
  refuse: async ({ locals, url, request }) => {
    requirePlatformAdmin(locals, url);
    const form = await request.formData();
    const id = text(form, 'id');
    const how = text(form, 'how') === 'void' ? 'void' : 'reject';
    const reason = parseReason(form, 'reason');
    if (!UUID.test(id)) return invalidMoney('refuse', { reason: 'invalid_value' }, {}, { id });
    if (reason.error) return invalidMoney('refuse', { reason: reason.error }, { reason: reason.value }, { id });
    const outcome = await send(
      locals.api,
      'POST',
      `/v1/admin/voucher-claims/{id}/${how}`,
      { id },
      { reason: reason.value },
    );
    if (!outcome.ok) return refusedMoney('refuse', outcome, { id, values: { reason: reason.value }, errors: {} });
    back(url, how === 'void' ? 'claimVoided' : 'claimRejected');
  },
  pay: async ({ locals, url, request }) => {
    requirePlatformAdmin(locals, url);
    const form = await request.formData();
    const id = text(form, 'id');
    if (!UUID.test(id)) return invalidMoney('pay', { amount: 'invalid_value' }, {}, { id });
    const claim = (await adminClaims(locals.api)).find((c) => c.id === id);
    const owed = claim ? claim.amount.amount - claim.paid.amount : null;
    const { body, errors, values } = parseClaimPayment(form, owed, todayIn(MONEY_ZONE, new Date()));
    if (!body) return invalidMoney('pay', errors, values, { id });
    const outcome = await send(locals.api, 'POST', '/v1/admin/voucher-claims/{id}/payments', { id }, body);
    if (!outcome.ok) return refusedMoney('pay', outcome, { id, values, errors: {} });
    back(url, 'claimPaid');
  },
};
