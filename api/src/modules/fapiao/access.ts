import type { MemberRole } from '@qihub/db';
import { membershipIn, requireActor, type Actor } from '../../lib/actor.ts';
import { forbidden, notFound } from '../../lib/errors.ts';

/** Who may change an organisation's invoice title: its owners (enterprise), managers (lab), admins (platform). */
const TITLE_EDITORS: readonly MemberRole[] = ['owner', 'manager', 'admin'];

/** Any member reads the organisation's title; anyone else is told it does not exist. */
export function assertTitleReader(actor: Actor | null, orgId: string): Actor {
  const a = requireActor(actor);
  if (!membershipIn(a, orgId)) throw notFound('organisation');
  return a;
}

export function assertTitleEditor(actor: Actor | null, orgId: string): Actor {
  const a = assertTitleReader(actor, orgId);
  if (!TITLE_EDITORS.includes(membershipIn(a, orgId)!.role)) {
    throw forbidden('Only the organisation’s owners or managers change its invoice title.');
  }
  return a;
}

/**
 * The issuer's fapiao desk: a lab's managers and staff (a platform's admins for its own invoices).
 * Not a member → 404; a member in another role (an operator) → 403.
 */
export function assertFapiaoDesk(actor: Actor | null, labId: string): Actor {
  const a = requireActor(actor);
  const m = membershipIn(a, labId);
  if (!m || m.orgKind === 'enterprise') throw notFound('lab');
  const desk = m.orgKind === 'lab' ? m.role === 'manager' || m.role === 'staff' : m.role === 'admin';
  if (!desk) throw forbidden('Only the lab’s managers and staff handle its fapiao requests.');
  return a;
}

/** Organisations whose requests the actor sees as the customer: every organisation it belongs to. */
export function customerOrgsOf(a: Actor): string[] {
  return a.memberships.map((m) => m.orgId);
}
