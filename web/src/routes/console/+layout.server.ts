import { labMemberships, labRights, managedLabs, requireLabMember } from '$lib/lab-console/console.server';
import type { LayoutServerLoad } from './$types';

export const load: LayoutServerLoad = async ({ locals, url }) => {
  // Every lab member gets in; the catalogue pages still check for a manager themselves.
  const lab = requireLabMember(locals, url);
  // The day's queues, counted once per page: the navigation shows them and the Today page lists them.
  const { data: today } = await locals.api.GET('/v1/labs/{id}/today', { params: { path: { id: lab.orgId } } });
  return {
    managedLabs: managedLabs(locals.user),
    consoleLabs: labMemberships(locals.user),
    consoleLab: { orgId: lab.orgId, role: lab.role, rights: labRights(lab) },
    today: today ?? null,
  };
};
