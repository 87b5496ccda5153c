import type { Db, DbOrTx } from '@qihub/db';
import { membershipIn, platformScopes, requireActor, type Actor } from '../../lib/actor.ts';
import { forbidden, notFound } from '../../lib/errors.ts';
import { findEnterprise, isAdminOver, officerOf } from '../officers/index.ts';
import { findAssistanceRequest, type AssistanceRequest as Request } from './repository.ts';

/**
 * Quality technical assistance (质量技术帮扶): an enterprise asks for help, its service officer (or a
 * platform admin over its region) assigns an expert, visits are recorded with the problems found
 * and solved, the helper marks it resolved and the enterprise confirms by closing it.
 *
 * open → assigned → in_progress (first visit) → resolved → closed; an open request may be
 * withdrawn (closed) by the enterprise; re-assigning is allowed until the first visit.
 */
export interface AssistanceDeps {
  db: Db;
  clock: () => Date;
}

export type Role = 'enterprise' | 'officer' | 'admin' | 'expert';

export interface Access {
  request: Request;
  roles: Set<Role>;
}

async function rolesFor(tx: DbOrTx, actor: Actor, request: Request): Promise<Set<Role>> {
  const roles = new Set<Role>();
  const m = membershipIn(actor, request.enterpriseId);
  if (m && m.orgKind === 'enterprise') roles.add('enterprise');
  if (actor.userId) {
    if (request.expertUserId === actor.userId) roles.add('expert');
    if (platformScopes(actor, ['service_officer']).length > 0) {
      // Only the enterprise's current officer: a removed or replaced one loses access at once.
      if ((await officerOf(tx, request.enterpriseId)) === actor.userId) {
        roles.add('officer');
      }
    }
  }
  if (platformScopes(actor, ['admin']).length > 0) {
    const enterprise = await findEnterprise(tx, request.enterpriseId);
    if (enterprise && isAdminOver(actor, enterprise.regionCode)) roles.add('admin');
  }
  return roles;
}

/** 404 for anyone with no business seeing the request. */
export async function loadFor(tx: DbOrTx, actor: Actor | null, id: string, forUpdate = false): Promise<Access> {
  const a = requireActor(actor);
  const request = await findAssistanceRequest(tx, id, { forUpdate });
  if (!request) throw notFound('assistance request');
  const roles = await rolesFor(tx, a, request);
  if (roles.size === 0) throw notFound('assistance request');
  return { request, roles };
}

export function assertRole(access: Access, allowed: readonly Role[], message: string) {
  if (!allowed.some((r) => access.roles.has(r))) throw forbidden(message);
}
