import { and, eq, inArray, isNull, ne } from 'drizzle-orm';
import { memberships, notifications, users, type DbOrTx, type MemberRole } from '@qihub/db';

/** Writes inbox rows; a repeat of a dedupe key is ignored (unique index on dedupe_key). Returns how many were new. */
export async function insertNotifications(
  db: DbOrTx,
  rows: readonly (typeof notifications.$inferInsert)[],
): Promise<number> {
  const written = await db
    .insert(notifications)
    .values([...rows])
    .onConflictDoNothing()
    .returning({ id: notifications.id });
  return written.length;
}

/** The user ids of the organisations' members (repeats possible when one user is in several). */
export async function findMemberUserIds(
  db: DbOrTx,
  orgIds: readonly string[],
  filter: { roles?: readonly MemberRole[]; exceptUserId?: string | null; activeOnly?: boolean },
): Promise<string[]> {
  const rows = await db
    .select({ userId: memberships.userId })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(
      and(
        orgIds.length === 1 ? eq(memberships.orgId, orgIds[0]!) : inArray(memberships.orgId, [...orgIds]),
        filter.roles ? inArray(memberships.role, [...filter.roles]) : undefined,
        filter.exceptUserId ? ne(memberships.userId, filter.exceptUserId) : undefined,
        filter.activeOnly ? isNull(users.disabledAt) : undefined,
      ),
    );
  return rows.map((r) => r.userId);
}
