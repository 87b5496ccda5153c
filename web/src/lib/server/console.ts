import { error, redirect } from '@sveltejs/kit';
import type { Me, Membership } from '$lib/types';

/** Lab managers run the console; staff and operators get to it in a later slice. */
export function managedLabs(user: Me | null): Membership[] {
  return (user?.memberships ?? []).filter((m) => m.orgKind === 'lab' && m.role === 'manager');
}

/**
 * The console's door, checked by every console load and action (actions do not run layout loads):
 * anonymous → login and back; signed in without a managed lab → 403; otherwise the lab to work on.
 */
export function requireLabManager(locals: App.Locals, url: URL, labId?: string): Membership {
  if (!locals.user) redirect(303, `/login?redirect=${encodeURIComponent(url.pathname + url.search)}`);
  const labs = managedLabs(locals.user);
  const wanted = labId ?? url.searchParams.get('lab');
  const lab = (wanted && labs.find((m) => m.orgId === wanted)) || (labId ? undefined : labs[0]);
  if (!lab) error(403, { message: 'Lab managers only', code: 'not_lab_manager' });
  return lab;
}
