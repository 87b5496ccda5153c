import { platformScopes, requireActor, type Actor } from '../../lib/actor.ts';
import { regionPrefix } from '../../lib/region.ts';
import { loadFor, type AssistanceDeps } from './access.ts';
import { findVisibleAssistanceRequests, type AssistanceStatus as Status } from './repository.ts';
import { viewOf, views } from './views.ts';

/** Mine (enterprise members), my enterprises' (officers), assigned to me (experts), my region's (admins). */
export async function listRequests(
  deps: AssistanceDeps,
  actor: Actor | null,
  query: { status?: Status; enterpriseId?: string },
) {
  const a = requireActor(actor);
  const rows = await findVisibleAssistanceRequests(
    deps.db,
    {
      enterpriseIds: a.memberships.filter((m) => m.orgKind === 'enterprise').map((m) => m.orgId),
      expertUserId: a.userId,
      officerUserId: a.userId && platformScopes(a, ['service_officer']).length > 0 ? a.userId : null,
      regionPrefixes: platformScopes(a, ['admin']).map(regionPrefix),
    },
    { status: query.status, enterpriseId: query.enterpriseId, limit: 200 },
  );
  return { items: await views(deps.db, rows) };
}

export async function getRequest(deps: AssistanceDeps, actor: Actor | null, id: string) {
  const { request } = await loadFor(deps.db, actor, id);
  return viewOf(deps.db, request);
}
