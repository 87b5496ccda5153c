import { managedLabs } from '$lib/server/console';
import type { LayoutServerLoad } from './$types';

export const load: LayoutServerLoad = ({ locals }) => ({
  locale: locals.locale,
  user: locals.user,
  canUseConsole: managedLabs(locals.user).length > 0,
});
