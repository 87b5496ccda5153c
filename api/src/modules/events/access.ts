import type { Db, DbOrTx, MemberRole, OrgKind } from '@qihub/db';
import { assertAdmitted, isAdmitted, membershipIn, type Actor, type ActorMembership } from '../../lib/actor.ts';
import { forbidden, notFound } from '../../lib/errors.ts';
import { findEvent, findSession, type Event, type OrgStatus } from './repository.ts';

/** Who may see and act on an organiser's events, and the loads those checks start from. */

export interface EventDeps {
  db: Db;
  clock: () => Date;
}

/** The roles that organise events: a lab's managers and staff, a platform's admins; enterprises organise none. */
const ORGANISING_ROLES: Record<OrgKind, readonly MemberRole[]> = {
  lab: ['manager', 'staff'],
  platform: ['admin'],
  enterprise: [],
};

/**
 * The caller's membership in an organisation that may organise events: as `organiser`, only the
 * roles that organise (see ORGANISING_ROLES); as `member`, anyone in the lab or platform, who sees
 * its drafts and its sessions' registrants.
 */
export function organiserMembership(
  actor: Actor | null,
  orgId: string,
  as: 'organiser' | 'member',
): ActorMembership | undefined {
  const m = membershipIn(actor, orgId);
  if (!m || m.orgKind === 'enterprise') return undefined;
  return as === 'member' || ORGANISING_ROLES[m.orgKind].includes(m.role) ? m : undefined;
}

/**
 * Drafts are the organiser's alone; published and cancelled events are public while the organiser
 * is admitted (the gate of `isAdmitted`: a pending or suspended lab shows nothing in public).
 */
export function canSee(actor: Actor | null, event: Event, organiserStatus: OrgStatus) {
  if (organiserMembership(actor, event.organiserOrgId, 'member')) return true;
  return event.status !== 'draft' && isAdmitted(organiserStatus);
}

/**
 * What the organiser's people do with its events:
 * - `act` (change, publish, add and change sessions, take attendance): its managers and staff (a
 *   platform's admins), and only while it is admitted;
 * - `withdraw` (cancel): the same people whatever its status, since that harms no one and tells
 *   everyone registered;
 * - `see_registrants` (a session's registrants with their names, emails and phones): any of its
 *   members, and only while it is admitted (403 `not_admitted` otherwise).
 * Anyone else gets 404 when they may not see the event, and 403 when they may; a session's
 * registrants are not even acknowledged to them (404 `session`).
 */
export type OrganiserAct = 'act' | 'withdraw' | 'see_registrants';

export function assertOrganiser(
  actor: Actor | null,
  event: Event,
  organiserStatus: OrgStatus,
  act: OrganiserAct,
): ActorMembership {
  const m = organiserMembership(actor, event.organiserOrgId, act === 'see_registrants' ? 'member' : 'organiser');
  if (!m) {
    if (act === 'see_registrants') throw notFound('session');
    if (!canSee(actor, event, organiserStatus)) throw notFound('event');
    throw forbidden('Only the organiser (lab managers and staff, platform admins) may do this.');
  }
  if (act !== 'withdraw') assertAdmitted(m);
  return m;
}

/** The event and its organiser's status (whether it may show in public); `forUpdate` locks the event. */
export async function loadEvent(db: DbOrTx, id: string, forUpdate = false) {
  const row = await findEvent(db, id, forUpdate);
  if (!row) throw notFound('event');
  return row;
}

/** The session with its event, for a member of its organiser who may see its registrants (see `assertOrganiser`). */
export async function sessionForOrganiser(db: DbOrTx, actor: Actor | null, sessionId: string) {
  const row = await findSession(db, sessionId);
  if (!row) throw notFound('session');
  assertOrganiser(actor, row.event, row.organiserStatus, 'see_registrants');
  return row;
}
