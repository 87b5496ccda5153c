import type { PageServerLoad } from './$types';

/** 典型案例: the cases the platforms have published, newest first (anyone). */
export const load: PageServerLoad = async ({ locals, url }) => {
  const cursor = url.searchParams.get('cursor');
  const res = await locals.api.GET('/v1/cases', { params: { query: { limit: 20, ...(cursor ? { cursor } : {}) } } });
  return { cases: res.data?.items ?? [], nextCursor: res.data?.nextCursor ?? null, onFirstPage: !cursor };
};
