import type { PageServerLoad } from './$types';

const STATUSES = ['submitted', 'published', 'returned'] as const;
type Status = (typeof STATUSES)[number];

/** 典型案例审核: the region's cases, those awaiting review first. */
export const load: PageServerLoad = async ({ locals, url }) => {
  const raw = url.searchParams.get('status');
  const status: Status | null =
    raw === 'all' ? null : (STATUSES as readonly string[]).includes(raw ?? '') ? (raw as Status) : 'submitted';
  const res = await locals.api.GET('/v1/admin/cases', { params: { query: status ? { status } : {} } });
  return { status, cases: res.data?.items ?? [] };
};
