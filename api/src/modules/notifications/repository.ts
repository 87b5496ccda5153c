import { and, desc, eq, isNull, lt, or } from 'drizzle-orm';
import { notifications, type DbOrTx } from '@qihub/db';

export type NotificationRow = typeof notifications.$inferSelect;

/**
 * A user's notices, newest first, after the keyset position (created_at, id) when given; `limit`
 * rows at most.
 */
export async function findInbox(
  db: DbOrTx,
  userId: string,
  opts: { unreadOnly?: boolean; after?: { createdAt: Date; id: string }; limit: number },
): Promise<NotificationRow[]> {
  const { after } = opts;
  return db
    .select()
    .from(notifications)
    .where(
      and(
        eq(notifications.userId, userId),
        opts.unreadOnly ? isNull(notifications.readAt) : undefined,
        after
          ? or(
              lt(notifications.createdAt, after.createdAt),
              and(eq(notifications.createdAt, after.createdAt), lt(notifications.id, after.id)),
            )
          : undefined,
      ),
    )
    .orderBy(desc(notifications.createdAt), desc(notifications.id))
    .limit(opts.limit);
}

/** Marks the user's notice read if it was unread; undefined otherwise. */
export async function markNotificationRead(
  db: DbOrTx,
  userId: string,
  id: string,
  at: Date,
): Promise<NotificationRow | undefined> {
  const [row] = await db
    .update(notifications)
    .set({ readAt: at })
    .where(and(eq(notifications.id, id), eq(notifications.userId, userId), isNull(notifications.readAt)))
    .returning();
  return row;
}

export async function findNotificationOfUser(
  db: DbOrTx,
  userId: string,
  id: string,
): Promise<NotificationRow | undefined> {
  const [row] = await db
    .select()
    .from(notifications)
    .where(and(eq(notifications.id, id), eq(notifications.userId, userId)))
    .limit(1);
  return row;
}
