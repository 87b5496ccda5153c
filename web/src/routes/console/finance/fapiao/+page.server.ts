import { redirect } from '@sveltejs/kit';
import { invalidMoney, refusedMoney, requireFinance, send } from '$lib/finance/finance.server';
import { MONEY_ZONE } from '$lib/finance/forms';
import { isFapiaoStatus, parseIssued, parseReject } from '$lib/fapiao/desk';
import { deskRequests } from '$lib/fapiao/desk.server';
import { todayIn } from '$lib/time';
import type { Actions, PageServerLoad } from './$types';

/** 发票: the customers' fapiao requests, pending first; the lab records what it issued in the tax system. */
export const load: PageServerLoad = async ({ locals, url }) => {
  const lab = requireFinance(locals, url);
  const asked = url.searchParams.get('status');
  const status = isFapiaoStatus(asked) ? asked : null;
  const { items, code } = await deskRequests(locals.api, lab.orgId, status);
  return {
    status,
    requests: items,
    code,
    today: todayIn(MONEY_ZONE, new Date()),
    flash: url.searchParams.get('flash'),
  };
};

function back(url: URL, flash: string): never {
  const to = new URL(url.pathname, url);
  to.searchParams.set('lab', url.searchParams.get('lab') ?? '');
  const status = url.searchParams.get('status');
  if (status) to.searchParams.set('status', status);
  to.searchParams.set('flash', flash);
  redirect(303, to.pathname + to.search);
}

export const actions: Actions = {
  issued: async ({ locals, url, request }) => {
    const lab = requireFinance(locals, url);
    const { id, body, errors, values } = parseIssued(await request.formData());
    if (!id || !body) return invalidMoney('issued', errors, values, { id: values.id });
    const outcome = await send(
      locals.api,
      'POST',
      '/v1/labs/{labId}/fapiao-requests/{id}/issued',
      { labId: lab.orgId, id },
      body,
    );
    if (!outcome.ok) return refusedMoney('issued', outcome, { id, values, errors: {} });
    back(url, 'issued');
  },
  reject: async ({ locals, url, request }) => {
    const lab = requireFinance(locals, url);
    const { id, reason, errors, values } = parseReject(await request.formData());
    if (!id || !reason) return invalidMoney('reject', errors, values, { id: values.id });
    const outcome = await send(
      locals.api,
      'POST',
      '/v1/labs/{labId}/fapiao-requests/{id}/reject',
      { labId: lab.orgId, id },
      { reason },
    );
    if (!outcome.ok) return refusedMoney('reject', outcome, { id, values, errors: {} });
    back(url, 'rejected');
  },
};
