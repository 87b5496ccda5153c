import { requireFinance } from '$lib/finance/finance.server';
import type { LayoutServerLoad } from './$types';

/** 财务 is for the lab's managers and staff (the API's invoice issuers); operators are turned away. */
export const load: LayoutServerLoad = ({ locals, url }) => {
  const lab = requireFinance(locals, url);
  return { financeLab: { orgId: lab.orgId, role: lab.role, nameZh: lab.orgNameZh, nameEn: lab.orgNameEn } };
};
