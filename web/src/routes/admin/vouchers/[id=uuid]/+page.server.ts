import { error, redirect } from '@sveltejs/kit';
import { invalidMoney, refusedMoney, requirePlatformAdmin } from '$lib/finance/finance.server';
import { parseProgramme } from '$lib/vouchers/forms';
import { adminProgrammes, patchProgramme } from '$lib/vouchers/vouchers.server';
import type { Actions, PageServerLoad } from './$types';

/** One programme of the admin's platform, to change or close (uses already made keep their share). */
export const load: PageServerLoad = async ({ locals, url, params }) => {
  requirePlatformAdmin(locals, url);
  const programme = (await adminProgrammes(locals.api)).find((p) => p.id === params.id);
  if (!programme) error(404, { message: 'No such voucher programme', code: 'not_found' });
  return { programme, flash: url.searchParams.get('flash') };
};

export const actions: Actions = {
  save: async ({ locals, url, params, request }) => {
    requirePlatformAdmin(locals, url);
    const { body, errors, values } = parseProgramme(await request.formData(), true);
    if (!body) return invalidMoney('save', errors, values);
    const outcome = await patchProgramme(locals.api, params.id, { ...body });
    if (!outcome.ok) return refusedMoney('save', outcome, { values, errors: {} });
    redirect(303, `/admin/vouchers/${params.id}?flash=saved`);
  },
};
