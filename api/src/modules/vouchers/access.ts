import type { VoucherProgramme } from '@qihub/db';
import { requireActor, type Actor } from '../../lib/actor.ts';
import { forbidden, notFound } from '../../lib/errors.ts';

/** The platforms whose programmes the actor runs: its active platform organisations where it is an admin. */
export function adminPlatforms(actor: Actor): string[] {
  return actor.memberships
    .filter((m) => m.orgKind === 'platform' && m.role === 'admin' && m.orgStatus === 'active')
    .map((m) => m.orgId);
}

/** 401 anonymous, 403 for anyone who administers no platform. */
export function requireAdmin(actor: Actor | null): { actor: Actor; platforms: string[] } {
  const a = requireActor(actor);
  const platforms = adminPlatforms(a);
  if (platforms.length === 0) throw forbidden('Only platform administrators run voucher programmes.');
  return { actor: a, platforms };
}

/** A programme is its issuer's alone: another platform's admin gets 404, as if it did not exist. */
export function assertRuns(platforms: string[], programme: VoucherProgramme | undefined): VoucherProgramme {
  if (!programme || !platforms.includes(programme.issuerOrgId)) throw notFound('voucher programme');
  return programme;
}

/** The enterprises the actor acts for (owners and members). */
export function enterprisesOf(actor: Actor): string[] {
  return actor.memberships
    .filter((m) => m.orgKind === 'enterprise' && (m.role === 'owner' || m.role === 'member'))
    .map((m) => m.orgId);
}

/** A lab's managers and staff file and read its claims. */
export function isLabBiller(actor: Actor, labId: string): boolean {
  return actor.memberships.some(
    (m) => m.orgId === labId && m.orgKind === 'lab' && (m.role === 'manager' || m.role === 'staff'),
  );
}
