import { redirect } from '@sveltejs/kit';
import { invalidMoney, refusedMoney, requirePlatformAdmin, send } from '$lib/finance/finance.server';
import { parseProgramme } from '$lib/vouchers/forms';
import { adminProgrammes } from '$lib/vouchers/vouchers.server';
import type { Actions, PageServerLoad } from './$types';

/** 创新券项目: the programmes the admin's platform runs, and a new one. */
export const load: PageServerLoad = async ({ locals, url }) => {
  requirePlatformAdmin(locals, url);
  return { programmes: await adminProgrammes(locals.api), flash: url.searchParams.get('flash') };
};

export const actions: Actions = {
  create: async ({ locals, url, request }) => {
    requirePlatformAdmin(locals, url);
    const { body, errors, values } = parseProgramme(await request.formData());
    if (!body) return invalidMoney('create', errors, values);
    const outcome = await send(locals.api, 'POST', '/v1/admin/voucher-programmes', {}, body);
    if (!outcome.ok) return refusedMoney('create', outcome, { values, errors: {} });
    redirect(303, '/admin/vouchers?flash=created');
  },
};
