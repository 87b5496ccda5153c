import { redirect } from '@sveltejs/kit';
import { invalidMoney, refusedMoney, send } from '$lib/finance/finance.server';
import { MONEY_ZONE } from '$lib/finance/forms';
import { enterpriseMemberships, requireSignedIn } from '$lib/server/actions';
import { todayIn } from '$lib/time';
import { parseApplication } from '$lib/vouchers/forms';
import { applications, myQuotas, openProgrammes } from '$lib/vouchers/vouchers.server';
import type { Actions, PageServerLoad } from './$types';

/**
 * 创新券: the enterprise's quotas (granted, used, left, valid until), its applications, and the
 * programmes open today that it may apply to.
 */
export const load: PageServerLoad = async ({ locals, url }) => {
  const user = requireSignedIn(locals, url);
  const enterprises = enterpriseMemberships(user).map((m) => ({
    orgId: m.orgId,
    nameZh: m.orgNameZh,
    nameEn: m.orgNameEn,
  }));
  if (enterprises.length === 0) {
    return { enterprises, quotas: [], applications: [], programmes: [], today: '', flash: null };
  }
  const [quotas, apps, programmes] = await Promise.all([
    myQuotas(locals.api),
    applications(locals.api),
    openProgrammes(locals.api),
  ]);
  return {
    enterprises,
    quotas,
    applications: apps,
    programmes,
    today: todayIn(MONEY_ZONE, new Date()),
    flash: url.searchParams.get('flash'),
  };
};

export const actions: Actions = {
  apply: async ({ locals, url, request }) => {
    requireSignedIn(locals, url);
    const programmes = await openProgrammes(locals.api);
    const caps = new Map(programmes.map((p) => [p.id, p.cap.amount]));
    const { body, errors, values } = parseApplication(await request.formData(), caps);
    if (!body) return invalidMoney('apply', errors, values);
    const outcome = await send(locals.api, 'POST', '/v1/voucher-applications', {}, body);
    if (!outcome.ok) return refusedMoney('apply', outcome, { values, errors: {} });
    redirect(303, '/vouchers?flash=applied');
  },
};
