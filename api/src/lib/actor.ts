import type { MemberRole, OrgKind } from '@qihub/db';
import { AppError, forbidden, unauthenticated } from './errors.ts';
import { regionContains } from './region.ts';

export interface ActorMembership {
  orgId: string;
  orgKind: OrgKind;
  orgStatus: 'pending' | 'active' | 'suspended';
  role: MemberRole;
  regionCode: string;
}

/** Who is calling: a signed-in user (cookie or bearer session) or a lab's API token. */
export interface Actor {
  kind: 'user' | 'api_token';
  userId: string | null;
  tokenId: string | null;
  sessionId: string | null;
  memberships: ActorMembership[];
}

export function requireActor(actor: Actor | null): Actor {
  if (!actor) throw unauthenticated();
  return actor;
}

export function membershipIn(actor: Actor | null, orgId: string): ActorMembership | undefined {
  return actor?.memberships.find((m) => m.orgId === orgId);
}

/** Lab roles allowed to change the lab's catalogue (instruments and services). */
const CATALOGUE_EDITORS: readonly MemberRole[] = ['manager'];

export function canEditLabCatalogue(actor: Actor | null, labId: string): boolean {
  const m = membershipIn(actor, labId);
  return !!m && m.orgKind === 'lab' && m.orgStatus !== 'suspended' && CATALOGUE_EDITORS.includes(m.role);
}

export function assertCanEditLabCatalogue(actor: Actor | null, labId: string): Actor {
  const a = requireActor(actor);
  if (!canEditLabCatalogue(a, labId)) throw forbidden('Only a manager of this lab may change its catalogue.');
  return a;
}

/**
 * The one gate for an organisation acting in public: its catalogue shown, bookings and orders
 * taken, events organised and shown, its people sent to enterprises as experts, anyone's personal
 * data seen. A lab does any of it only once the platform has admitted it (`pending` → `active`) and
 * while it stays admitted (not `suspended`); a platform only while it is active. In SQL the same
 * gate reads `status = 'active'` on the organisation (catalogue search, availability, events).
 */
export function isAdmitted(orgStatus: string): boolean {
  return orgStatus === 'active';
}

/** 403 `not_admitted` unless the membership's organisation may act in public (see `isAdmitted`). */
export function assertAdmitted(m: ActorMembership): void {
  if (!isAdmitted(m.orgStatus)) {
    throw new AppError(
      403,
      'not_admitted',
      m.orgStatus === 'pending'
        ? 'The platform has not admitted this organisation yet.'
        : 'The platform has suspended this organisation.',
    );
  }
}

/**
 * The public sees catalogue entries of admitted labs that are not retired; a lab's own members
 * also see its retired entries and everything while the lab awaits admission.
 */
export function canSeeCatalogueEntry(
  actor: Actor | null,
  entry: { labId: string; labStatus: string; status: string },
): boolean {
  if (isLabMember(actor, entry.labId)) return true;
  return isAdmitted(entry.labStatus) && entry.status !== 'retired';
}

export function isLabMember(actor: Actor | null, labId: string): boolean {
  const m = membershipIn(actor, labId);
  return !!m && m.orgKind === 'lab';
}

/** Platform roles act within their region and below (province → city → station). */
export function platformScopes(actor: Actor | null, roles: readonly MemberRole[] = ['admin']): string[] {
  return (actor?.memberships ?? [])
    .filter((m) => m.orgKind === 'platform' && m.orgStatus === 'active' && roles.includes(m.role))
    .map((m) => m.regionCode);
}

export function isPlatformAdminFor(actor: Actor | null, regionCode: string): boolean {
  return platformScopes(actor).some((scope) => regionContains(scope, regionCode));
}

/** For the audit log: which organisation the actor acted for, when it is unambiguous. */
export function actingOrg(actor: Actor, orgId?: string): string | null {
  if (orgId && membershipIn(actor, orgId)) return orgId;
  return actor.memberships.length === 1 ? actor.memberships[0]!.orgId : null;
}
