import { redirect } from '@sveltejs/kit';
import { requireLabMember } from '$lib/lab-console/console.server';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals, url }) => {
  const lab = requireLabMember(locals, url);
  redirect(303, `/console/settings/hours?lab=${lab.orgId}`);
};
