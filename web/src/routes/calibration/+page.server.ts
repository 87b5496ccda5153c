import { need } from '$lib/server/api';
import { calibrationServiceOf, enterpriseMemberships, requireSignedIn } from '$lib/server/qi';
import { byUrgency, type DueStatus } from '$lib/qi/calibration';
import type { PageServerLoad } from './$types';

const STATUSES = ['overdue', 'due_soon', 'ok'] as const satisfies readonly DueStatus[];

export const load: PageServerLoad = async ({ locals, url }) => {
  const user = requireSignedIn(locals, url);
  const enterprises = enterpriseMemberships(user);
  const asked = url.searchParams.get('status');
  const status = STATUSES.find((s) => s === asked) ?? null;
  if (enterprises.length === 0) {
    return { enterprises, records: [], counts: { overdue: 0, due_soon: 0, ok: 0 }, status, services: {} };
  }
  // All records, so the summary counts every status; the filter is applied here.
  const all = (await need(locals.api.GET('/v1/me/calibration-records'))).items;
  const counts = { overdue: 0, due_soon: 0, ok: 0 };
  for (const r of all) counts[r.status] += 1;
  const records = byUrgency(status ? all.filter((r) => r.status === status) : all);
  const labIds = [...new Set(records.map((r) => r.lab.id))];
  const services = Object.fromEntries(
    await Promise.all(labIds.map(async (id) => [id, await calibrationServiceOf(locals.api, id)] as const)),
  );
  return { enterprises, records, counts, status, services };
};
