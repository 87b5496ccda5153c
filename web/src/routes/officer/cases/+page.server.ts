import { error } from '@sveltejs/kit';
import { casesOf, createCase } from '$lib/cases/cases.server';
import { requireSignedIn } from '$lib/server/actions';
import type { Actions, PageServerLoad } from './$types';

/** The service officer's platform: typical cases are written for it. */
function officerPlatform(locals: App.Locals, url: URL) {
  const user = requireSignedIn(locals, url);
  const m = user.memberships.find(
    (x) => x.orgKind === 'platform' && x.role === 'service_officer' && x.orgStatus === 'active',
  );
  if (!m) error(403, { message: 'Service officers only', code: 'not_officer' });
  return m;
}

/** 典型案例 on the officer desk: the cases the officer wrote, and a new one. */
export const load: PageServerLoad = async ({ locals, url }) => {
  const platform = officerPlatform(locals, url);
  return { cases: await casesOf(locals.api, platform.orgId) };
};

export const actions: Actions = {
  create: async ({ locals, url, request }) => {
    const platform = officerPlatform(locals, url);
    return createCase(locals.api, platform.orgId, await request.formData(), '/officer/cases');
  },
};
