import { redirect } from '@sveltejs/kit';
import { need } from '$lib/server/api';
import { requireLabManager, requireLabMember } from '$lib/lab-console/console.server';
import type { PageServerLoad } from './$types';

const STATUSES = ['active', 'maintenance', 'retired'] as const;
type Status = (typeof STATUSES)[number];

export const load: PageServerLoad = async ({ locals, url }) => {
  // Staff and operators work on bookings; the catalogue is the managers'.
  const member = requireLabMember(locals, url);
  if (member.role !== 'manager') redirect(303, `/console?lab=${member.orgId}`);
  const lab = requireLabManager(locals, url);
  const statusParam = url.searchParams.get('status') ?? '';
  const status = (STATUSES as readonly string[]).includes(statusParam) ? (statusParam as Status) : undefined;
  const q = (url.searchParams.get('q') ?? '').trim().slice(0, 200);
  const cursor = url.searchParams.get('cursor') ?? undefined;
  const list = await need(
    locals.api.GET('/v1/labs/{labId}/instruments', {
      params: {
        path: { labId: lab.orgId },
        query: { limit: 50, ...(status ? { status } : {}), ...(q ? { q } : {}), ...(cursor ? { cursor } : {}) },
      },
    }),
  );
  const flashKind = (['created', 'saved', 'retired'] as const).find((k) => url.searchParams.has(k)) ?? null;
  const flashId = flashKind ? url.searchParams.get(flashKind) : null;
  return {
    lab,
    items: list.items,
    nextCursor: list.nextCursor,
    filter: { status: status ?? '', q },
    flash: flashKind ? { kind: flashKind, id: flashId } : null,
  };
};
