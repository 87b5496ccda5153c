import { requireSignedIn } from '$lib/server/actions';
import { isOpenRequest, parseKindFilter } from '$lib/assistance/officer';
import type { PageServerLoad } from './$types';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Who this account is instead, when it is no service officer: the desk says so and where that
 * person works (a platform administrator in the platform console, a lab in its console, an
 * enterprise with its own requests), rather than showing empty lists.
 */
function notOfficer(user: App.Locals['user'] & object) {
  const roles = user.memberships;
  return {
    platformAdmin: roles.some((m) => m.orgKind === 'platform' && m.role === 'admin'),
    lab: roles.some((m) => m.orgKind === 'lab'),
    enterprise: roles.some((m) => m.orgKind === 'enterprise'),
    // A service officer of a platform that is not active (yet, or any more).
    inactiveOfficer: roles.some((m) => m.orgKind === 'platform' && m.role === 'service_officer'),
  };
}

export const load: PageServerLoad = async ({ locals, url }) => {
  const user = requireSignedIn(locals, url);
  // The desk's data is the API's for service officers of an active platform only (403 for anyone else).
  const officer = user.memberships.some(
    (m) => m.orgKind === 'platform' && m.role === 'service_officer' && m.orgStatus === 'active',
  );
  if (!officer) {
    return {
      notOfficer: notOfficer(user),
      kind: null,
      enterpriseId: null,
      showAll: false,
      enterprises: [],
      requests: [],
      openCount: 0,
      totalCount: 0,
    };
  }
  const kind = parseKindFilter(url.searchParams.get('kind'));
  const enterpriseParam = url.searchParams.get('enterprise');
  const enterpriseId = enterpriseParam && UUID.test(enterpriseParam) ? enterpriseParam : null;
  const showAll = url.searchParams.get('all') === '1';
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
    notOfficer: null,
    kind,
    enterpriseId,
    showAll,
    enterprises,
    requests: showAll ? requests : open,
    openCount: open.length,
    totalCount: requests.length,
  };
};
