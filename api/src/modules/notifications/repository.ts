import { and, count, desc, eq, isNull, lt, or, sql } from 'drizzle-orm';
import { notificationPreferences, notifications, type DbOrTx } from '@qihub/db';

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

/** How many of the user's notices are unread. */
export async function countUnread(db: DbOrTx, userId: string): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(notifications)
    .where(and(eq(notifications.userId, userId), isNull(notifications.readAt)));
  return row?.n ?? 0;
}

/** Marks every unread notice of the user read at `at`; returns how many changed. */
export async function markAllNotificationsRead(db: DbOrTx, userId: string, at: Date): Promise<number> {
  const rows = await db
    .update(notifications)
    .set({ readAt: at })
    .where(and(eq(notifications.userId, userId), isNull(notifications.readAt)))
    .returning({ id: notifications.id });
  return rows.length;
}

/** The categories the user does not want by e-mail; none when they never chose. */
export async function findEmailOff(db: DbOrTx, userId: string): Promise<string[]> {
  const [row] = await db
    .select({ emailOff: notificationPreferences.emailOff })
    .from(notificationPreferences)
    .where(eq(notificationPreferences.userId, userId));
  return row?.emailOff ?? [];
}

export async function saveEmailOff(db: DbOrTx, userId: string, emailOff: string[], at: Date): Promise<void> {
  await db
    .insert(notificationPreferences)
    .values({ userId, emailOff, updatedAt: at })
    .onConflictDoUpdate({ target: notificationPreferences.userId, set: { emailOff, updatedAt: at } });
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

/** How far back the e-mail sweep looks: turning SMTP on later mails only the last day's notifications. */
const LOOKBACK = sql`interval '1 day'`;

/** Queues a `notify.email` outbox row for each recent notification that has none yet; returns how many. */
export async function queueEmailsForRecentNotifications(db: DbOrTx, batchSize: number): Promise<number> {
  // Age is measured on the database clock: it bounds an operational backlog, not a business rule.
  const result = await db.execute(sql`
    INSERT INTO outbox (topic, payload, dedupe_key)
    SELECT 'notify.email', jsonb_build_object('notificationId', n.id), 'mail:' || n.id
    FROM notifications n
    WHERE n.created_at > now() - ${LOOKBACK}
      AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.dedupe_key = 'mail:' || n.id)
    ORDER BY n.created_at
    LIMIT ${batchSize}
    ON CONFLICT (dedupe_key) DO NOTHING`);
  return result.rowCount ?? 0;
}

/**
 * Claims the sending of one notification's e-mail: inserts the `mail-sent:<id>` outbox marker (born
 * relayed, so the relay never picks it up). False when it is already taken. A concurrent claim of
 * the same notification waits on the unique key, then finds it taken (or free again, if that send
 * failed and rolled back).
 */
export async function claimEmailSend(tx: DbOrTx, notificationId: string): Promise<boolean> {
  const claim = await tx.execute(sql`
    INSERT INTO outbox (topic, payload, dedupe_key, relayed_at, attempts)
    VALUES ('notify.email', jsonb_build_object('notificationId', ${notificationId}::text),
      ${'mail-sent:' + notificationId}, now(), 1)
    ON CONFLICT (dedupe_key) DO NOTHING
    RETURNING id`);
  return claim.rows.length > 0;
}

export interface NotificationForMail {
  kind: string;
  title_zh: string;
  title_en: string;
  body_zh: string;
  body_en: string;
  link: string | null;
  email: string;
  locale: string;
  display_name: string;
  disabled_at: Date | null;
  /** The categories its user does not want by e-mail. */
  email_off: string[];
}

/** A notification with what its e-mail needs of its user. */
export async function findNotificationForMail(tx: DbOrTx, notificationId: string) {
  const found = await tx.execute(sql`
    SELECT n.kind, n.title_zh, n.title_en, n.body_zh, n.body_en, n.link,
      u.email, u.locale, u.display_name, u.disabled_at, coalesce(p.email_off, '{}') AS email_off
    FROM notifications n JOIN users u ON u.id = n.user_id
      LEFT JOIN notification_preferences p ON p.user_id = n.user_id
    WHERE n.id = ${notificationId}::uuid`);
  return found.rows[0] as unknown as NotificationForMail | undefined;
}

/**
 * The lab (its names) and every admin or service officer of an active platform organisation whose
 * region covers the lab's region (a province-level platform covers its province, a city-level one
 * its city); no row when the lab does not exist.
 */
export async function platformStaffCoveringLab(
  db: DbOrTx,
  labId: string,
): Promise<{ userId: string; labId: string; nameZh: string; nameEn: string }[]> {
  const result = await db.execute<{ userId: string; labId: string; nameZh: string; nameEn: string }>(sql`
    SELECT m.user_id AS "userId", lab.id AS "labId", lab.name_zh AS "nameZh", lab.name_en AS "nameEn"
    FROM organisations lab
      JOIN organisations p ON p.kind = 'platform' AND p.status = 'active'
        AND lab.region_code LIKE (CASE WHEN p.region_code LIKE '%0000' THEN substr(p.region_code, 1, 2)
                                       WHEN p.region_code LIKE '%00' THEN substr(p.region_code, 1, 4)
                                       ELSE p.region_code END) || '%'
      JOIN memberships m ON m.org_id = p.id AND m.role IN ('admin', 'service_officer')
    WHERE lab.id = ${labId}::uuid`);
  return result.rows;
}
