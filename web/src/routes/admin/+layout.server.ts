import { requirePlatformAdmin } from '$lib/finance/finance.server';
import type { LayoutServerLoad } from './$types';

/** /admin is the platform administrators' (their region); everyone else is refused here. */
export const load: LayoutServerLoad = ({ locals, url }) => {
  const admin = requirePlatformAdmin(locals, url);
  return { adminOrg: { orgId: admin.orgId, nameZh: admin.orgNameZh, nameEn: admin.orgNameEn } };
};
