import { error, redirect } from '@sveltejs/kit';
import { refusedMoney, requireFinance, send } from '$lib/finance/finance.server';
import type { Actions, PageServerLoad } from './$types';

/**
 * 银行卡: whether this deployment offers card payments, the lab's merchant account at the processor
 * as the processor shows it now, and the platform's fee rate. The onboarding link sends the manager
 * to the processor's page, which comes back here with `return=1` (done or left) or `refresh=1`
 * (the link expired or was used already: start again).
 */
export const load: PageServerLoad = async ({ locals, url }) => {
  const lab = requireFinance(locals, url);
  const { data, response } = await locals.api.GET('/v1/labs/{labId}/stripe', {
    params: { path: { labId: lab.orgId } },
  });
  if (!data) error(response.status >= 500 ? 503 : response.status, { message: 'card status', code: 'api' });
  const back =
    url.searchParams.get('return') === '1' ? 'returned' : url.searchParams.get('refresh') === '1' ? 'refresh' : null;
  return { status: data, back };
};

export const actions: Actions = {
  /** A fresh single-use onboarding link (the account is created once); the browser follows it. */
  onboard: async ({ locals, url }) => {
    const lab = requireFinance(locals, url);
    const outcome = await send<{ url: string }>(locals.api, 'POST', '/v1/labs/{labId}/stripe/onboarding', {
      labId: lab.orgId,
    });
    if (!outcome.ok) return refusedMoney('onboard', outcome);
    redirect(303, outcome.data.url);
  },
};
