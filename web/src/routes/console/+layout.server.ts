import { managedLabs, requireLabManager } from '$lib/server/console';
import type { LayoutServerLoad } from './$types';

export const load: LayoutServerLoad = ({ locals, url }) => {
  requireLabManager(locals, url);
  return { managedLabs: managedLabs(locals.user) };
};
