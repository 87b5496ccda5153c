import createClient from 'openapi-fetch';
import { describe, expect, it } from 'vitest';
import type { paths } from '$lib/api/schema';
import { attention } from './dash.server';

const MONTH = { from: '2026-11-01', to: '2026-11-26' };
const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
const problem = (status: number) =>
  new Response(JSON.stringify({ type: 'about:blank', title: 'Unavailable', status, code: 'internal' }), {
    status,
    headers: { 'content-type': 'application/problem+json' },
  });

/**
 * The typed client as the web server uses it, over a fetch that answers like the API: each list
 * with `pages` pages of items, except the paths in `failing` (or the requests it picks), which answer 503.
 */
function apiWhere(failing: string[] | ((url: URL) => boolean), pages = 1) {
  const fails = typeof failing === 'function' ? failing : (url: URL) => failing.includes(url.pathname);
  const seen: string[] = [];
  const api = createClient<paths>({
    baseUrl: 'http://api.test',
    fetch: async (request: Request) => {
      const url = new URL(request.url);
      seen.push(url.pathname + url.search);
      if (fails(url)) return problem(503);
      const page = Number(url.searchParams.get('cursor') ?? '1');
      const nextCursor = page < pages ? String(page + 1) : null;
      switch (url.pathname) {
        case '/v1/admin/labs':
          return json({ items: [{ id: 'l1', admissionStatus: 'submitted', exitStatus: null }], nextCursor: null });
        case '/v1/admin/cases':
          return json({ items: [{ id: 'c1' }, { id: 'c2' }] });
        case '/v1/voucher-applications':
        case '/v1/admin/voucher-claims':
          return json({
            items: [{ id: `${url.pathname}-${page}-a` }, { id: `${url.pathname}-${page}-b` }],
            nextCursor,
          });
        case '/v1/admin/reconciliation':
          return json({ discrepancies: [{ resolvedAt: null }, { resolvedAt: '2026-11-20T02:00:00Z' }] });
        default:
          return problem(404);
      }
    },
  });
  return { api, seen };
}

const counts = (items: { key: string; count: number | null }[]) =>
  Object.fromEntries(items.map((a) => [a.key, a.count]));

describe('attention (平台控制台: what waits for the admin)', () => {
  it('counts what each source answers, every page of a paged list', async () => {
    const { api } = apiWhere([], 3);
    expect(counts(await attention(api, MONTH))).toEqual({
      labApplications: 1,
      noticeObjections: 0,
      cases: 2,
      voucherApplications: 6,
      voucherClaims: 6,
      discrepancies: 1,
    });
  });

  it('shows a voucher source that fails as unknown (null), never as zero, and keeps the others', async () => {
    const { api, seen } = apiWhere(['/v1/voucher-applications', '/v1/admin/voucher-claims']);
    const got = counts(await attention(api, MONTH));
    expect(seen.some((s) => s.startsWith('/v1/voucher-applications'))).toBe(true);
    expect(got.voucherApplications).toBeNull();
    expect(got.voucherClaims).toBeNull();
    expect(got.cases).toBe(2);
    expect(got.discrepancies).toBe(1);
  });

  it('shows every count as unknown when the API answers nothing', async () => {
    const { api } = apiWhere([
      '/v1/admin/labs',
      '/v1/admin/cases',
      '/v1/voucher-applications',
      '/v1/admin/voucher-claims',
      '/v1/admin/reconciliation',
    ]);
    for (const a of await attention(api, MONTH)) expect(a.count, a.key).toBeNull();
  });

  it('is unknown when a later page of a list fails, not the count of the pages read', async () => {
    const { api } = apiWhere((url) => url.pathname === '/v1/admin/voucher-claims' && url.searchParams.has('cursor'), 2);
    const got = counts(await attention(api, MONTH));
    expect(got.voucherClaims).toBeNull();
    expect(got.voucherApplications).toBe(4);
  });
});
