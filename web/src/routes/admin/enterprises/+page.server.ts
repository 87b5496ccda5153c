import { fail, redirect } from '@sveltejs/kit';
import { requirePlatformAdmin, send } from '$lib/finance/finance.server';
import { text, UUID } from '$lib/finance/forms';
import { regionOptions } from '$lib/statistics/statistics.server';
import type { Actions, PageServerLoad } from './$types';

/** The region's enterprises: size, industry, region and their service officer, who is named or removed here. */
export const load: PageServerLoad = async ({ locals, url }) => {
  const admin = requirePlatformAdmin(locals, url);
  const regions = await regionOptions(locals.api, admin.regionCode);
  const asked = url.searchParams.get('region');
  const region = asked && regions.some((r) => r.code === asked) ? asked : admin.regionCode;
  const cursor = url.searchParams.get('cursor');
  const [list, officers] = await Promise.all([
    locals.api.GET('/v1/admin/enterprises', {
      params: { query: { region, limit: 50, ...(cursor ? { cursor } : {}) } },
    }),
    locals.api.GET('/v1/admin/service-officers'),
  ]);
  return {
    region,
    regions,
    enterprises: list.data?.items ?? [],
    nextCursor: list.data?.nextCursor ?? null,
    onFirstPage: !cursor,
    officers: officers.data?.items ?? [],
    code: list.data ? null : 'unknown',
    flash: url.searchParams.get('flash'),
  };
};

/** Back to the list the admin was reading (its region travels with the form). */
function back(form: FormData, flash: string): string {
  const region = /^[0-9]{6}$/.test(text(form, 'region')) ? text(form, 'region') : null;
  return `/admin/enterprises?${new URLSearchParams({ ...(region ? { region } : {}), flash })}`;
}

export const actions: Actions = {
  assign: async ({ locals, url, request }) => {
    requirePlatformAdmin(locals, url);
    const form = await request.formData();
    const id = text(form, 'id');
    const officerUserId = text(form, 'officerUserId');
    if (!UUID.test(id)) return fail(400, { id, code: 'not_found' });
    if (!UUID.test(officerUserId)) return fail(400, { id, code: 'required' });
    const outcome = await send(locals.api, 'PUT', '/v1/enterprises/{id}/officer', { id }, { officerUserId });
    if (!outcome.ok) return fail(outcome.status, { id, code: outcome.code });
    redirect(303, back(form, 'assigned'));
  },
  remove: async ({ locals, url, request }) => {
    requirePlatformAdmin(locals, url);
    const form = await request.formData();
    const id = text(form, 'id');
    if (!UUID.test(id)) return fail(400, { id, code: 'not_found' });
    const outcome = await send(locals.api, 'DELETE', '/v1/enterprises/{id}/officer', { id });
    if (!outcome.ok) return fail(outcome.status, { id, code: outcome.code });
    redirect(303, back(form, 'removed'));
  },
};
