import { requireOfficer } from '$lib/assistance/assistance.server';
import { isOpenRequest, parseKindFilter } from '$lib/assistance/officer';
import type { PageServerLoad } from './$types';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const load: PageServerLoad = async ({ locals, url }) => {
  requireOfficer(locals, url);
  const kind = parseKindFilter(url.searchParams.get('kind'));
  const enterpriseParam = url.searchParams.get('enterprise');
  const enterpriseId = enterpriseParam && UUID.test(enterpriseParam) ? enterpriseParam : null;
  const showAll = url.searchParams.get('all') === '1';
  // A platform admin without enterprises of their own gets empty lists, not an error page.
  const [enterprises, requests] = await Promise.all([
    locals.api.GET('/v1/officer/enterprises').then((r) => r.data?.items ?? []),
    locals.api
      .GET('/v1/officer/requests', {
        params: { query: { ...(kind ? { kind } : {}), ...(enterpriseId ? { enterpriseId } : {}) } },
      })
      .then((r) => r.data?.items ?? []),
  ]);
  const open = requests.filter((r) => isOpenRequest(r.kind, r.status));
  return {
    kind,
    enterpriseId,
    showAll,
    enterprises,
    requests: showAll ? requests : open,
    openCount: open.length,
    totalCount: requests.length,
  };
};
