import type { DbOrTx, MemberRole } from '@qihub/db';
import { findMemberUserIds, insertNotifications } from './repository/notifications.ts';

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
  return insertNotifications(
    tx,
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
  );
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
  const userIds = await findMemberUserIds(tx, ids, filter);
  return [...new Set(userIds)];
}
