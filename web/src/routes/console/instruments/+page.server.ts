import { redirect } from '@sveltejs/kit';
import { need } from '$lib/server/api';
import { requireLabManager, requireLabMember } from '$lib/lab-console/console.server';
import { catalogueFlash, catalogueListQuery } from '$lib/lab-console/catalogue.server';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url }) => {
  // Staff and operators work on bookings; the catalogue is the managers'.
  const member = requireLabMember(locals, url);
  if (member.role !== 'manager') redirect(303, `/console?lab=${member.orgId}`);
  const lab = requireLabManager(locals, url);
  const { query, filter } = catalogueListQuery(url, ['active', 'maintenance', 'retired'], 200);
  const list = await need(
    locals.api.GET('/v1/labs/{labId}/instruments', { params: { path: { labId: lab.orgId }, query } }),
  );
  return { lab, items: list.items, nextCursor: list.nextCursor, filter, flash: catalogueFlash(url) };
};
