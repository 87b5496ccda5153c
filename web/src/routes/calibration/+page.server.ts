import { need } from '$lib/server/api';
import { calibrationServiceOf } from '$lib/calibration/calibration.server';
import { enterpriseMemberships, requireSignedIn } from '$lib/server/actions';
import type { DueStatus } from '$lib/calibration/calibration';
import type { PageServerLoad } from './$types';

const STATUSES = ['overdue', 'due_soon', 'ok'] as const satisfies readonly DueStatus[];

/** Instruments a page shows at once; the API answers soonest due first (the most urgent first). */
const PER_PAGE = 100;

export const load: PageServerLoad = async ({ locals, url }) => {
  const user = requireSignedIn(locals, url);
  const enterprises = enterpriseMemberships(user);
  const asked = url.searchParams.get('status');
  const status = STATUSES.find((s) => s === asked) ?? null;
  const cursor = url.searchParams.get('cursor');
  if (enterprises.length === 0) {
    return {
      enterprises,
      records: [],
      counts: { overdue: 0, due_soon: 0, ok: 0 },
      status,
      services: {},
      nextCursor: null,
      onFirstPage: true,
    };
  }
  // One page of the chosen status; the summary counts every status of the whole ledger.
  const page = await need(
    locals.api.GET('/v1/me/calibration-records', {
      params: { query: { limit: PER_PAGE, ...(status ? { status } : {}), ...(cursor ? { cursor } : {}) } },
    }),
  );
  const records = page.items;
  const labIds = [...new Set(records.map((r) => r.lab.id))];
  const services = Object.fromEntries(
    await Promise.all(labIds.map(async (id) => [id, await calibrationServiceOf(locals.api, id)] as const)),
  );
  return {
    enterprises,
    records,
    counts: page.counts,
    status,
    services,
    nextCursor: page.nextCursor,
    onFirstPage: !cursor,
  };
};
