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

/** The platform staff who read a lab's application: its region's admins and service officers. */
const READERS = ['admin', 'service_officer'] as const;

/** Platform staff (admins and service officers) who may read a lab's application in their region. */
export async function labForPlatformReader(deps: AdmissionDeps, actor: Actor | null, labId: string) {
  const a = requireActor(actor);
  if (platformScopes(a, READERS).length === 0) throw forbidden('Only platform staff can review providers.');
  const lab = await findLab(deps.db, labId);
  if (!lab || !readsApplicationOf(a, lab)) throw notFound('lab');
  return { a, lab };
}

/**
 * Who may read a lab's application and what is on it (its certificate scans): the lab's managers,
 * and the platform staff — admins and service officers — of a region that covers the lab.
 */
export function readsApplicationOf(a: Actor, lab: Pick<Organisation, 'id' | 'regionCode'>): boolean {
  const m = membershipIn(a, lab.id);
  if (m && m.orgKind === 'lab' && m.role === 'manager') return true;
  return platformScopes(a, READERS).some((s) => regionContains(s, lab.regionCode));
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
