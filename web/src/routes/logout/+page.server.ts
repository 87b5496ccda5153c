import { redirect } from '@sveltejs/kit';
import { clearSessionCookie } from '$lib/server/session';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals }) => {
  if (!locals.user) redirect(303, '/');
};

export const actions: Actions = {
  default: async ({ locals, cookies, url }) => {
    try {
      // The session dies at the API even if the cookie were copied elsewhere.
      await locals.api.POST('/v1/auth/logout');
    } catch (e) {
      console.error('logout at the API failed; clearing the cookie anyway', e);
    }
    clearSessionCookie(cookies, url.protocol === 'https:');
    redirect(303, '/');
  },
};
