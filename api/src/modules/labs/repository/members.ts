import { and, asc, eq, isNull, sql } from 'drizzle-orm';
import { labInvitations, memberships, organisations, users, type DbOrTx, type MemberRole } from '@qihub/db';

/** Locks the lab's row: changes to its managers are made one at a time (the last one stays). */
export async function lockLab(tx: DbOrTx, labId: string) {
  const [row] = await tx
    .select({ id: organisations.id, nameZh: organisations.nameZh, nameEn: organisations.nameEn })
    .from(organisations)
    .where(and(eq(organisations.id, labId), eq(organisations.kind, 'lab')))
    .for('update');
  return row;
}

/** The lab's members with their e-mail (for its managers' page), by name. */
export async function membersWithEmail(db: DbOrTx, labId: string) {
  return db
    .select({
      id: users.id,
      name: users.displayName,
      email: users.email,
      role: memberships.role,
      since: memberships.createdAt,
      disabled: sql<boolean>`${users.disabledAt} IS NOT NULL`,
    })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(eq(memberships.orgId, labId))
    .orderBy(asc(users.displayName), asc(users.id));
}

export async function membershipOf(db: DbOrTx, labId: string, userId: string) {
  const [row] = await db
    .select({ role: memberships.role })
    .from(memberships)
    .where(and(eq(memberships.orgId, labId), eq(memberships.userId, userId)));
  return row;
}

/** How many managers the lab has whose account is not disabled. */
export async function countActiveManagers(db: DbOrTx, labId: string): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(and(eq(memberships.orgId, labId), eq(memberships.role, 'manager'), isNull(users.disabledAt)));
  return row?.n ?? 0;
}

export async function setMemberRole(db: DbOrTx, labId: string, userId: string, role: MemberRole) {
  await db
    .update(memberships)
    .set({ role })
    .where(and(eq(memberships.orgId, labId), eq(memberships.userId, userId)));
}

export async function deleteMembership(db: DbOrTx, labId: string, userId: string) {
  await db.delete(memberships).where(and(eq(memberships.orgId, labId), eq(memberships.userId, userId)));
}

/** Adds a membership; false when the user already has one in this organisation. */
export async function addMembership(db: DbOrTx, values: typeof memberships.$inferInsert): Promise<boolean> {
  const rows = await db.insert(memberships).values(values).onConflictDoNothing().returning({ u: memberships.userId });
  return rows.length > 0;
}

export async function userByEmail(db: DbOrTx, email: string) {
  const [row] = await db
    .select({ id: users.id, email: users.email, displayName: users.displayName, disabledAt: users.disabledAt })
    .from(users)
    .where(eq(users.email, email));
  return row;
}

/** The lab's open invitations (neither accepted nor cancelled), newest first. */
export async function openInvitations(db: DbOrTx, labId: string) {
  return db
    .select({
      id: labInvitations.id,
      email: labInvitations.email,
      role: labInvitations.role,
      createdAt: labInvitations.createdAt,
      invitedByName: users.displayName,
    })
    .from(labInvitations)
    .leftJoin(users, eq(users.id, labInvitations.invitedBy))
    .where(and(eq(labInvitations.labId, labId), isNull(labInvitations.acceptedAt), isNull(labInvitations.cancelledAt)))
    .orderBy(sql`${labInvitations.createdAt} DESC`, asc(labInvitations.email));
}

export async function openInvitation(db: DbOrTx, labId: string, id: string) {
  const [row] = await db
    .select()
    .from(labInvitations)
    .where(
      and(
        eq(labInvitations.id, id),
        eq(labInvitations.labId, labId),
        isNull(labInvitations.acceptedAt),
        isNull(labInvitations.cancelledAt),
      ),
    );
  return row;
}

/** A new open invitation; undefined when one for this lab and address is already open. */
export async function insertInvitation(db: DbOrTx, values: typeof labInvitations.$inferInsert) {
  const [row] = await db.insert(labInvitations).values(values).onConflictDoNothing().returning();
  return row;
}

export async function cancelInvitation(db: DbOrTx, id: string, at: Date) {
  await db.update(labInvitations).set({ cancelledAt: at }).where(eq(labInvitations.id, id));
}

/** Takes the open invitations to this address (locked), marking them accepted by the user. */
export async function acceptOpenInvitations(db: DbOrTx, email: string, userId: string, at: Date) {
  return db
    .update(labInvitations)
    .set({ acceptedAt: at, acceptedUserId: userId })
    .where(and(eq(labInvitations.email, email), isNull(labInvitations.acceptedAt), isNull(labInvitations.cancelledAt)))
    .returning();
}

/** The invitation with its lab's names, locked, while its e-mail has not gone out and it is open. */
export async function invitationToMail(db: DbOrTx, id: string) {
  const [row] = await db
    .select({
      id: labInvitations.id,
      email: labInvitations.email,
      role: labInvitations.role,
      labNameZh: organisations.nameZh,
      labNameEn: organisations.nameEn,
    })
    .from(labInvitations)
    .innerJoin(organisations, eq(organisations.id, labInvitations.labId))
    .where(
      and(
        eq(labInvitations.id, id),
        isNull(labInvitations.emailedAt),
        isNull(labInvitations.acceptedAt),
        isNull(labInvitations.cancelledAt),
      ),
    )
    .for('update', { of: labInvitations });
  return row;
}

export async function markInvitationEmailed(db: DbOrTx, id: string, at: Date) {
  await db.update(labInvitations).set({ emailedAt: at }).where(eq(labInvitations.id, id));
}
