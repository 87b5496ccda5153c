import { and, eq, inArray, isNull, ne } from 'drizzle-orm';
import { memberships, notifications, users, type DbOrTx, type MemberRole } from '@qihub/db';

/** One in-app notice, zh-CN with an English version. */
export interface Notice {
  kind: string;
  titleZh: string;
  titleEn: string;
  bodyZh?: string;
  bodyEn?: string;
  link: string;
}

/**
 * Puts a notice in each user's inbox, at most once per user: the dedupe key is
 * `${dedupePrefix}:${userId}` and a repeat is ignored (unique index on dedupe_key).
 */
export async function notifyUsers(
  tx: DbOrTx,
  userIds: readonly string[],
  notice: Notice,
  dedupePrefix: string,
): Promise<number> {
  const unique = [...new Set(userIds)];
  if (unique.length === 0) return 0;
  const written = await tx
    .insert(notifications)
    .values(
      unique.map((userId) => ({
        userId,
        kind: notice.kind,
        titleZh: notice.titleZh,
        titleEn: notice.titleEn,
        bodyZh: notice.bodyZh ?? '',
        bodyEn: notice.bodyEn ?? '',
        link: notice.link,
        dedupeKey: `${dedupePrefix}:${userId}`,
      })),
    )
    .onConflictDoNothing()
    .returning({ id: notifications.id });
  return written.length;
}

export interface MembersFilter {
  /** Only these roles (e.g. a lab's managers and staff); all members when absent. */
  roles?: readonly MemberRole[];
  /** Leave this user out (the person who acted need not be told). */
  exceptUserId?: string | null;
  /** Leave out disabled accounts. */
  activeOnly?: boolean;
}

/** The members of the organisations, once each, optionally by role. */
export async function membersOf(
  tx: DbOrTx,
  orgIds: string | readonly string[],
  filter: MembersFilter = {},
): Promise<string[]> {
  const ids = typeof orgIds === 'string' ? [orgIds] : [...orgIds];
  if (ids.length === 0) return [];
  const rows = await tx
    .select({ userId: memberships.userId })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(
      and(
        ids.length === 1 ? eq(memberships.orgId, ids[0]!) : inArray(memberships.orgId, ids),
        filter.roles ? inArray(memberships.role, [...filter.roles]) : undefined,
        filter.exceptUserId ? ne(memberships.userId, filter.exceptUserId) : undefined,
        filter.activeOnly ? isNull(users.disabledAt) : undefined,
      ),
    );
  return [...new Set(rows.map((r) => r.userId))];
}
