import { redirect } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';

/** Until the rest of the platform console lands, /admin opens on the trial balance. */
export const load: PageServerLoad = () => {
  redirect(303, '/admin/ledger');
};
