import { eq, inArray } from 'drizzle-orm';
import { memberships, notifications, type DbOrTx } from '@qihub/db';

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
export async function notifyUsers(tx: DbOrTx, userIds: readonly string[], notice: Notice, dedupePrefix: string) {
  const unique = [...new Set(userIds)];
  if (unique.length === 0) return;
  await tx
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
    .onConflictDoNothing();
}

/** Every member of the organisations (users of an enterprise are all told about its requests). */
export async function membersOf(tx: DbOrTx, orgIds: string | readonly string[]): Promise<string[]> {
  const ids = typeof orgIds === 'string' ? [orgIds] : [...orgIds];
  if (ids.length === 0) return [];
  const rows = await tx
    .select({ userId: memberships.userId })
    .from(memberships)
    .where(ids.length === 1 ? eq(memberships.orgId, ids[0]!) : inArray(memberships.orgId, ids));
  return [...new Set(rows.map((r) => r.userId))];
}
