import { redirect } from '@sveltejs/kit';
import { invalidMoney, refusedMoney, requirePlatformAdmin, send } from '$lib/finance/finance.server';
import { parseReason, text, UUID } from '$lib/finance/forms';
import { parseQuota } from '$lib/vouchers/forms';
import { adminProgrammes, applications } from '$lib/vouchers/vouchers.server';
import type { Actions, PageServerLoad } from './$types';

/** 创新券申请: the enterprises' applications to the admin's programmes; pending ones first. */
export const load: PageServerLoad = async ({ locals, url }) => {
  requirePlatformAdmin(locals, url);
  const [apps, programmes] = await Promise.all([applications(locals.api), adminProgrammes(locals.api)]);
  const caps = Object.fromEntries(programmes.map((p) => [p.id, p.cap]));
  const ordered = [...apps.filter((a) => a.status === 'pending'), ...apps.filter((a) => a.status !== 'pending')];
  return { applications: ordered, caps, flash: url.searchParams.get('flash') };
};

export const actions: Actions = {
  approve: async ({ locals, url, request }) => {
    requirePlatformAdmin(locals, url);
    const form = await request.formData();
    const id = text(form, 'id');
    if (!UUID.test(id)) return invalidMoney('approve', { quota: 'invalid_value' }, {}, { id });
    const programme = (await adminProgrammes(locals.api)).find((p) => p.id === text(form, 'programmeId'));
    const { body, errors, values } = parseQuota(form, programme?.cap.amount ?? null);
    if (!body) return invalidMoney('approve', errors, values, { id });
    const outcome = await send(locals.api, 'POST', '/v1/admin/voucher-applications/{id}/approve', { id }, body);
    if (!outcome.ok) return refusedMoney('approve', outcome, { id, values, errors: {} });
    redirect(303, '/admin/vouchers/applications?flash=approved');
  },
  reject: async ({ locals, url, request }) => {
    requirePlatformAdmin(locals, url);
    const form = await request.formData();
    const id = text(form, 'id');
    const reason = parseReason(form, 'reason');
    if (!UUID.test(id)) return invalidMoney('reject', { reason: 'invalid_value' }, {}, { id });
    if (reason.error) return invalidMoney('reject', { reason: reason.error }, { reason: reason.value }, { id });
    const outcome = await send(
      locals.api,
      'POST',
      '/v1/admin/voucher-applications/{id}/reject',
      { id },
      {
        reason: reason.value,
      },
    );
    if (!outcome.ok) return refusedMoney('reject', outcome, { id, values: { reason: reason.value }, errors: {} });
    redirect(303, '/admin/vouchers/applications?flash=rejected');
  },
};
