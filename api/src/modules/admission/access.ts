import type { Organisation } from '@qihub/db';
import { isPlatformAdminFor, membershipIn, platformScopes, requireActor, type Actor } from '../../lib/actor.ts';
import { forbidden, notFound } from '../../lib/errors.ts';
import { regionContains } from '../../lib/region.ts';
import { findLab } from '../labs/index.ts';
import type { AdmissionDeps } from './deps.ts';

/**
 * A platform administrator deciding on a lab of their region. Anyone who is no platform admin at
 * all gets 403; an admin whose region does not cover the lab gets 404, so its existence is not revealed.
 */
export async function labForAdmin(deps: AdmissionDeps, actor: Actor | null, labId: string) {
  const a = requireActor(actor);
  if (platformScopes(a, ['admin']).length === 0)
    throw forbidden('Only a platform administrator can decide on providers.');
  const lab = await findLab(deps.db, labId);
  if (!lab || !isPlatformAdminFor(a, lab.regionCode)) throw notFound('lab');
  return { a, lab };
}

/** Platform staff (admins and service officers) who may read a lab's application in their region. */
export async function labForPlatformReader(deps: AdmissionDeps, actor: Actor | null, labId: string) {
  const a = requireActor(actor);
  const scopes = platformScopes(a, ['admin', 'service_officer']);
  if (scopes.length === 0) throw forbidden('Only platform staff can review providers.');
  const lab = await findLab(deps.db, labId);
  if (!lab || !scopes.some((s) => regionContains(s, lab.regionCode))) throw notFound('lab');
  return { a, lab };
}

/** A manager of the lab, while it is any status (a pending lab applies, a suspended one reads). */
export async function labForManager(
  deps: AdmissionDeps,
  actor: Actor | null,
  labId: string,
): Promise<{ a: Actor; lab: Organisation }> {
  const a = requireActor(actor);
  const m = membershipIn(a, labId);
  if (!m || m.orgKind !== 'lab') throw notFound('lab');
  if (m.role !== 'manager') throw forbidden('Only a manager of the lab may handle its application.');
  const lab = await findLab(deps.db, labId);
  if (!lab) throw notFound('lab');
  return { a, lab };
}
