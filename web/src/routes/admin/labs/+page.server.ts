import { requirePlatformAdmin } from '$lib/finance/finance.server';
import type { PageServerLoad } from './$types';

const STATUSES = ['pending', 'active', 'suspended'] as const;
type Status = (typeof STATUSES)[number];

/** 机构入驻: the region's labs by status — applications first (pending is the default tab). */
export const load: PageServerLoad = async ({ locals, url }) => {
  requirePlatformAdmin(locals, url);
  const raw = url.searchParams.get('status') ?? 'pending';
  const status = (STATUSES as readonly string[]).includes(raw) ? (raw as Status) : null;
  const { data } = await locals.api.GET('/v1/admin/labs', {
    params: { query: { limit: 100, ...(status ? { status } : {}) } },
  });
  return { labs: data?.items ?? [], status: status ?? 'all' };
};
