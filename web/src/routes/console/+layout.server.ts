import { labMemberships, labRights, managedLabs, requireLabMember } from '$lib/lab-console/console.server';
import type { LayoutServerLoad } from './$types';

export const load: LayoutServerLoad = ({ locals, url }) => {
  // Every lab member gets in; the catalogue pages still check for a manager themselves.
  const lab = requireLabMember(locals, url);
  return {
    managedLabs: managedLabs(locals.user),
    consoleLabs: labMemberships(locals.user),
    consoleLab: { orgId: lab.orgId, role: lab.role, rights: labRights(lab) },
  };
};
