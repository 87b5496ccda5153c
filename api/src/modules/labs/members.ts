import type { DbOrTx } from '@qihub/db';
import { membershipIn, requireActor, type Actor } from '../../lib/actor.ts';
import { enqueueAfterCommit, recordAudit } from '../../lib/audit.ts';
import { conflict, forbidden, notFound } from '../../lib/errors.ts';
import { notifyEach } from '../../lib/notify.ts';
import type { LabDeps } from './service.ts';
import * as repo from './repository/members.ts';

/**
 * A lab's people, kept by its managers: invite by e-mail (an account joins at once, an unknown
 * address gets an invitation that turns into a membership when it registers or signs in), change
 * a member's role, remove a member. The lab keeps at least one manager. Each change is audited.
 */

export type LabRole = 'manager' | 'staff' | 'operator';

const normaliseEmail = (email: string) => email.trim().toLowerCase();

/** The caller's membership of the lab; anyone else is told the lab is not there (404). */
function memberOf(actor: Actor | null, labId: string) {
  const a = requireActor(actor);
  const m = membershipIn(a, labId);
  if (!m || m.orgKind !== 'lab') throw notFound('lab');
  return { actor: a, membership: m };
}

/** A signed-in manager of the lab (an API token does not manage people). */
function managerOf(actor: Actor | null, labId: string): Actor {
  const { actor: a, membership } = memberOf(actor, labId);
  if (a.kind !== 'user' || membership.role !== 'manager') {
    throw forbidden('Only a manager of this lab may change its members.');
  }
  return a;
}

const lastManager = () => conflict('last_manager', 'A lab keeps at least one manager: name another manager first.');

/** Members (name, role; e-mail for managers) and, for managers, the open invitations. */
export async function listMembers(deps: LabDeps, actor: Actor | null, labId: string) {
  const { actor: a, membership } = memberOf(actor, labId);
  const manager = membership.role === 'manager' && a.kind === 'user';
  const [rows, invitations] = await Promise.all([
    repo.membersWithEmail(deps.db, labId),
    manager ? repo.openInvitations(deps.db, labId) : Promise.resolve([]),
  ]);
  return {
    // Disabled accounts are not offered anywhere (a report's tester is picked from this list).
    items: rows
      .filter((r) => !r.disabled)
      .map((r) => ({
        id: r.id,
        name: r.name,
        role: r.role as LabRole,
        email: manager ? r.email : null,
        since: r.since.toISOString(),
      })),
    invitations: invitations.map((i) => ({
      id: i.id,
      email: i.email,
      role: i.role as LabRole,
      createdAt: i.createdAt.toISOString(),
      invitedByName: i.invitedByName ?? null,
    })),
  };
}

/** Invites an address: an account becomes a member at once (and is told); otherwise an invitation. */
export async function inviteMember(
  deps: LabDeps,
  actor: Actor | null,
  labId: string,
  input: { email: string; role: LabRole },
) {
  const a = managerOf(actor, labId);
  const email = normaliseEmail(input.email);
  const now = deps.clock();
  return deps.db.transaction(async (tx) => {
    const lab = await repo.lockLab(tx, labId);
    if (!lab) throw notFound('lab');
    const user = await repo.userByEmail(tx, email);
    if (user) {
      if (!(await repo.addMembership(tx, { userId: user.id, orgId: labId, role: input.role, createdAt: now }))) {
        throw conflict('already_member', 'This person is already a member of the lab.', [
          { path: '/email', code: 'already_member', message: 'Already a member of this lab.' },
        ]);
      }
      await recordAudit(tx, a, {
        at: now,
        action: 'lab.member_added',
        entityType: 'membership',
        entityId: user.id,
        orgId: labId,
        after: { userId: user.id, email, role: input.role },
      });
      await notifyEach(
        tx,
        [
          {
            userId: user.id,
            kind: 'lab_membership',
            titleZh: `您已加入${lab.nameZh}`,
            titleEn: `You have joined ${lab.nameEn || lab.nameZh}`,
            bodyZh: `角色：${ROLE_ZH[input.role]}。在机构控制台查看。`,
            bodyEn: `Role: ${input.role}. Open the lab console to start.`,
            link: `/console?lab=${labId}`,
            dedupeKey: `lab-member:${labId}:${user.id}:${now.getTime()}`,
          },
        ],
        now,
      );
      return { status: 'member' as const, userId: user.id, invitationId: null, email, role: input.role };
    }
    const invitation = await repo.insertInvitation(tx, {
      labId,
      email,
      role: input.role,
      invitedBy: a.userId,
      createdAt: now,
    });
    if (!invitation) {
      throw conflict('already_invited', 'This address already has an open invitation to the lab.', [
        { path: '/email', code: 'already_invited', message: 'Already invited.' },
      ]);
    }
    await recordAudit(tx, a, {
      at: now,
      action: 'lab.member_invited',
      entityType: 'lab_invitation',
      entityId: invitation.id,
      orgId: labId,
      after: { email, role: input.role },
    });
    await enqueueAfterCommit(
      tx,
      'labs.invitation-email',
      { invitationId: invitation.id },
      `lab-invite:${invitation.id}`,
    );
    return { status: 'invited' as const, userId: null, invitationId: invitation.id, email, role: input.role };
  });
}

export const ROLE_ZH: Record<LabRole, string> = { manager: '管理员', staff: '检测人员', operator: '操作员' };

/** Changes a member's role; the last manager is not demoted. */
export async function changeMemberRole(
  deps: LabDeps,
  actor: Actor | null,
  labId: string,
  userId: string,
  role: LabRole,
) {
  const a = managerOf(actor, labId);
  return deps.db.transaction(async (tx) => {
    await repo.lockLab(tx, labId);
    const current = await repo.membershipOf(tx, labId, userId);
    if (!current) throw notFound('member');
    if (current.role === 'manager' && role !== 'manager' && (await repo.countActiveManagers(tx, labId)) <= 1) {
      throw lastManager();
    }
    if (current.role !== role) {
      await repo.setMemberRole(tx, labId, userId, role);
      await recordAudit(tx, a, {
        at: deps.clock(),
        action: 'lab.member_role_changed',
        entityType: 'membership',
        entityId: userId,
        orgId: labId,
        before: { role: current.role },
        after: { role },
      });
    }
    return { id: userId, role };
  });
}

/** Removes a member from the lab (their account stays); the last manager is not removed. */
export async function removeMember(deps: LabDeps, actor: Actor | null, labId: string, userId: string) {
  const a = managerOf(actor, labId);
  await deps.db.transaction(async (tx) => {
    await repo.lockLab(tx, labId);
    const current = await repo.membershipOf(tx, labId, userId);
    if (!current) throw notFound('member');
    if (current.role === 'manager' && (await repo.countActiveManagers(tx, labId)) <= 1) throw lastManager();
    await repo.deleteMembership(tx, labId, userId);
    await recordAudit(tx, a, {
      at: deps.clock(),
      action: 'lab.member_removed',
      entityType: 'membership',
      entityId: userId,
      orgId: labId,
      before: { role: current.role },
    });
  });
}

/** Withdraws an open invitation. */
export async function cancelInvitation(deps: LabDeps, actor: Actor | null, labId: string, invitationId: string) {
  const a = managerOf(actor, labId);
  await deps.db.transaction(async (tx) => {
    const inv = await repo.openInvitation(tx, labId, invitationId);
    if (!inv) throw notFound('invitation');
    await repo.cancelInvitation(tx, inv.id, deps.clock());
    await recordAudit(tx, a, {
      at: deps.clock(),
      action: 'lab.invitation_cancelled',
      entityType: 'lab_invitation',
      entityId: inv.id,
      orgId: labId,
      before: { email: inv.email, role: inv.role },
    });
  });
}

/**
 * Turns the open invitations to this address into memberships (on registration and sign-in), in
 * the caller's transaction. Returns the labs joined.
 */
export async function acceptInvitations(tx: DbOrTx, user: { id: string; email: string }, now: Date) {
  const accepted = await repo.acceptOpenInvitations(tx, normaliseEmail(user.email), user.id, now);
  const joined: string[] = [];
  for (const inv of accepted) {
    if (await repo.addMembership(tx, { userId: user.id, orgId: inv.labId, role: inv.role, createdAt: now })) {
      joined.push(inv.labId);
    }
    await recordAudit(
      tx,
      { kind: 'user', userId: user.id, tokenId: null, sessionId: null, memberships: [] },
      {
        at: now,
        action: 'lab.invitation_accepted',
        entityType: 'lab_invitation',
        entityId: inv.id,
        orgId: inv.labId,
        after: { userId: user.id, role: inv.role },
      },
    );
  }
  return joined;
}
