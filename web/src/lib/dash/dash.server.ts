import type { Api } from '$lib/server/api';
import { todayIn } from '$lib/time';

export const DASH_ZONE = 'Asia/Shanghai';

/** This month (its first day to today) and the twelve months ending with it, in China dates. */
export function dashPeriods(now: Date): { month: { from: string; to: string }; year: { from: string; to: string } } {
  const today = todayIn(DASH_ZONE, now);
  const y = Number(today.slice(0, 4));
  const m = Number(today.slice(5, 7));
  const back = y * 12 + (m - 1) - 11;
  const start = `${String(Math.floor(back / 12)).padStart(4, '0')}-${String((back % 12) + 1).padStart(2, '0')}-01`;
  return { month: { from: `${today.slice(0, 7)}-01`, to: today }, year: { from: start, to: today } };
}

interface LabRow {
  id: string;
  admissionStatus: string | null;
  exitStatus: string | null;
}

/** Every lab of the admin's region (all pages of the list). */
async function allLabs(api: Api): Promise<LabRow[] | null> {
  const out: LabRow[] = [];
  let cursor: string | undefined;
  for (let i = 0; i < 50; i++) {
    const { data } = await api.GET('/v1/admin/labs', {
      params: { query: { limit: 100, ...(cursor ? { cursor } : {}) } },
    });
    if (!data) return null;
    out.push(...data.items);
    if (!data.nextCursor) return out;
    cursor = data.nextCursor;
  }
  return out;
}

/**
 * How many items a paged list holds (every page), or null when any page did not come back: a list
 * that could not be read is unknown, never "0 waiting".
 */
async function countAll(
  page: (cursor: string | undefined) => Promise<{ items: unknown[]; nextCursor: string | null } | undefined>,
): Promise<number | null> {
  let count = 0;
  let cursor: string | undefined;
  for (let i = 0; i < 50; i++) {
    const data = await page(cursor);
    if (!data) return null;
    count += data.items.length;
    if (!data.nextCursor) return count;
    cursor = data.nextCursor;
  }
  return null;
}

export interface Attention {
  key: 'labApplications' | 'noticeObjections' | 'cases' | 'voucherApplications' | 'voucherClaims' | 'discrepancies';
  count: number | null;
  href: string;
}

/** What waits for the admin, each count from the API (null when the API did not answer). */
export async function attention(api: Api, month: { from: string; to: string }): Promise<Attention[]> {
  const [labs, cases, apps, claims, recon] = await Promise.all([
    allLabs(api),
    api.GET('/v1/admin/cases', { params: { query: { status: 'submitted' } } }),
    countAll(
      async (cursor) =>
        (
          await api.GET('/v1/voucher-applications', {
            params: { query: { limit: 100, status: 'pending', ...(cursor ? { cursor } : {}) } },
          })
        ).data,
    ),
    countAll(
      async (cursor) =>
        (
          await api.GET('/v1/admin/voucher-claims', {
            params: { query: { limit: 100, status: 'submitted', ...(cursor ? { cursor } : {}) } },
          })
        ).data,
    ),
    api.GET('/v1/admin/reconciliation', { params: { query: month } }),
  ]);
  const onNotice = (labs ?? []).filter((l) => l.admissionStatus === 'on_notice' || l.exitStatus === 'on_notice');
  const reviews = await Promise.all(
    onNotice.map((l) => api.GET('/v1/admin/labs/{id}', { params: { path: { id: l.id } } })),
  );
  const withObjections = reviews.filter((r) => (r.data?.objections ?? []).some((o) => o.handledAt === null)).length;
  return [
    {
      key: 'labApplications',
      count: labs ? labs.filter((l) => l.admissionStatus === 'submitted').length : null,
      href: '/admin/labs?status=pending',
    },
    {
      key: 'noticeObjections',
      count: labs && reviews.every((r) => r.data) ? withObjections : null,
      href: '/admin/labs?status=all',
    },
    { key: 'cases', count: cases.data ? cases.data.items.length : null, href: '/admin/cases?status=submitted' },
    { key: 'voucherApplications', count: apps, href: '/admin/vouchers/applications' },
    { key: 'voucherClaims', count: claims, href: '/admin/vouchers/claims?status=submitted' },
    {
      key: 'discrepancies',
      count: recon.data ? recon.data.discrepancies.filter((d) => d.resolvedAt === null).length : null,
      href: `/admin/reconciliation?from=${month.from}&to=${month.to}&state=open`,
    },
  ];
}
