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

/** A notice for one user under an exact dedupe key (a reminder of one booking, a job's own id). */
export interface KeyedNotice extends Notice {
  userId: string;
  dedupeKey: string;
}

/**
 * Puts each notice in its user's inbox, at most once per dedupe key (a repeat is ignored: unique
 * index on dedupe_key). Returns how many were new. Every inbox row is written here, stamped `at`
 * by the app clock (the tests' clock), never the database's now().
 */
export async function notifyEach(tx: DbOrTx, notices: readonly KeyedNotice[], at: Date): Promise<number> {
  if (notices.length === 0) return 0;
  return insertNotifications(
    tx,
    notices.map((n) => ({
      userId: n.userId,
      kind: n.kind,
      titleZh: n.titleZh,
      titleEn: n.titleEn,
      bodyZh: n.bodyZh ?? '',
      bodyEn: n.bodyEn ?? '',
      link: n.link,
      dedupeKey: n.dedupeKey,
      createdAt: at,
    })),
  );
}

/**
 * Puts a notice in each user's inbox, at most once per user: the dedupe key is
 * `${dedupePrefix}:${userId}` and a repeat is ignored.
 */
export async function notifyUsers(
  tx: DbOrTx,
  userIds: readonly string[],
  notice: Notice,
  dedupePrefix: string,
  at: Date,
): Promise<number> {
  const unique = [...new Set(userIds)];
  return notifyEach(
    tx,
    unique.map((userId) => ({ ...notice, userId, dedupeKey: `${dedupePrefix}:${userId}` })),
    at,
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
