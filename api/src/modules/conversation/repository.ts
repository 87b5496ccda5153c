import { and, asc, desc, eq, inArray, isNull, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { orderAttachments, orderMessages, orderRatings, orders, organisations, users, type DbOrTx } from '@qihub/db';
import { exactInstant } from '../../lib/repository/keyset.ts';

export type AttachmentRow = typeof orderAttachments.$inferSelect;

/** Messages with their author's name and their exact instant (`at`, the keyset key). */
function messagesWithAuthor(db: DbOrTx) {
  return db
    .select({ m: orderMessages, authorName: users.displayName, at: exactInstant(orderMessages.createdAt) })
    .from(orderMessages)
    .innerJoin(users, eq(users.id, orderMessages.authorUserId));
}

/** These messages of the order, oldest first. */
export async function findMessagesByIds(db: DbOrTx, orderId: string, ids: readonly string[]) {
  return messagesWithAuthor(db)
    .where(and(eq(orderMessages.orderId, orderId), inArray(orderMessages.id, [...ids])))
    .orderBy(asc(orderMessages.createdAt), asc(orderMessages.id));
}

/** The order's messages newest first, before the keyset position (exact instant, id) when given. */
export async function findMessagesNewestFirst(
  db: DbOrTx,
  orderId: string,
  opts: { limit: number; before?: { at: string; id: string } },
) {
  return messagesWithAuthor(db)
    .where(
      and(
        eq(orderMessages.orderId, orderId),
        opts.before
          ? sql`(${orderMessages.createdAt}, ${orderMessages.id}) < (${opts.before.at}::timestamptz, ${opts.before.id}::uuid)`
          : undefined,
      ),
    )
    .orderBy(desc(orderMessages.createdAt), desc(orderMessages.id))
    .limit(opts.limit);
}

/** The attachments of these messages of the order, oldest first. */
export async function findAttachmentsOfMessages(
  db: DbOrTx,
  orderId: string,
  messageIds: readonly string[],
): Promise<AttachmentRow[]> {
  return db
    .select()
    .from(orderAttachments)
    .where(and(eq(orderAttachments.orderId, orderId), inArray(orderAttachments.messageId, [...messageIds])))
    .orderBy(asc(orderAttachments.createdAt), asc(orderAttachments.id));
}

export async function insertOrderMessage(
  tx: DbOrTx,
  values: { orderId: string; authorUserId: string; authorSide: 'customer' | 'lab'; body: string; now: Date },
) {
  const [message] = await tx
    .insert(orderMessages)
    .values({
      orderId: values.orderId,
      authorUserId: values.authorUserId,
      authorSide: values.authorSide,
      body: values.body,
      // Strictly after the order's previous message, so the thread keeps its order even when two
      // messages share a clock reading.
      createdAt: sql`GREATEST(${values.now.toISOString()}::timestamptz, (SELECT max(m.created_at) + interval '1 microsecond'
        FROM order_messages m WHERE m.order_id = ${values.orderId}::uuid))`,
    })
    .returning();
  return message!;
}

export async function insertAttachment(tx: DbOrTx, values: typeof orderAttachments.$inferInsert): Promise<void> {
  await tx.insert(orderAttachments).values(values);
}

export async function findAttachment(
  db: DbOrTx,
  orderId: string,
  attachmentId: string,
): Promise<AttachmentRow | undefined> {
  const [row] = await db
    .select()
    .from(orderAttachments)
    .where(and(eq(orderAttachments.id, attachmentId), eq(orderAttachments.orderId, orderId)))
    .limit(1);
  return row;
}

const repliers = alias(users, 'repliers');

/** The order's rating with the names of who rated and who replied, or undefined. */
export async function findRating(db: DbOrTx, orderId: string) {
  const [row] = await db
    .select({ r: orderRatings, raterName: users.displayName, replierName: repliers.displayName })
    .from(orderRatings)
    .innerJoin(users, eq(users.id, orderRatings.ratedBy))
    .leftJoin(repliers, eq(repliers.id, orderRatings.repliedBy))
    .where(eq(orderRatings.orderId, orderId))
    .limit(1);
  return row;
}

/** Writes the order's rating unless it has one (one per order); whether it was written. */
export async function insertRating(tx: DbOrTx, values: typeof orderRatings.$inferInsert): Promise<boolean> {
  const [inserted] = await tx
    .insert(orderRatings)
    .values(values)
    .onConflictDoNothing()
    .returning({ orderId: orderRatings.orderId });
  return inserted !== undefined;
}

/** Sets the reply of a rating not yet answered; whether one was. */
export async function setRatingReply(
  tx: DbOrTx,
  orderId: string,
  values: { reply: string; repliedBy: string; repliedAt: Date },
): Promise<boolean> {
  const [updated] = await tx
    .update(orderRatings)
    .set(values)
    .where(and(eq(orderRatings.orderId, orderId), isNull(orderRatings.reply)))
    .returning({ ratedBy: orderRatings.ratedBy });
  return updated !== undefined;
}

export async function ratingExists(tx: DbOrTx, orderId: string): Promise<boolean> {
  const [exists] = await tx
    .select({ orderId: orderRatings.orderId })
    .from(orderRatings)
    .where(eq(orderRatings.orderId, orderId))
    .limit(1);
  return exists !== undefined;
}

export async function isActiveLab(db: DbOrTx, labId: string): Promise<boolean> {
  const [lab] = await db
    .select({ id: organisations.id })
    .from(organisations)
    .where(and(eq(organisations.id, labId), eq(organisations.kind, 'lab'), eq(organisations.status, 'active')))
    .limit(1);
  return lab !== undefined;
}

/** How many of the lab's ratings gave each score (scores nobody gave are absent). */
export async function countRatingsByScore(db: DbOrTx, labId: string) {
  return db
    .select({ score: orderRatings.score, n: sql<number>`count(*)::int` })
    .from(orderRatings)
    .where(eq(orderRatings.labId, labId))
    .groupBy(orderRatings.score);
}

/** The lab's most recent ratings with the customer's (unmasked) name. */
export async function findRecentRatings(db: DbOrTx, labId: string, limit: number) {
  const customers = alias(organisations, 'customers');
  return db
    .select({ r: orderRatings, customerName: customers.nameZh })
    .from(orderRatings)
    .innerJoin(orders, eq(orders.id, orderRatings.orderId))
    .innerJoin(customers, eq(customers.id, orders.customerOrgId))
    .where(eq(orderRatings.labId, labId))
    .orderBy(desc(orderRatings.ratedAt), desc(orderRatings.orderId))
    .limit(limit);
}

/**
 * The lab's ratings newest first, after the keyset position (exact instant, order id) when given,
 * with the order's number and the customer's full name (for the lab's own console).
 */
export async function findLabRatingsPage(
  db: DbOrTx,
  labId: string,
  opts: { limit: number; unanswered: boolean; after?: { at: string; id: string } },
) {
  const customers = alias(organisations, 'customers');
  return db
    .select({
      r: orderRatings,
      at: exactInstant(orderRatings.ratedAt),
      raterName: users.displayName,
      replierName: repliers.displayName,
      orderNumber: orders.number,
      customer: { id: customers.id, nameZh: customers.nameZh, nameEn: customers.nameEn },
    })
    .from(orderRatings)
    .innerJoin(orders, eq(orders.id, orderRatings.orderId))
    .innerJoin(customers, eq(customers.id, orders.customerOrgId))
    .innerJoin(users, eq(users.id, orderRatings.ratedBy))
    .leftJoin(repliers, eq(repliers.id, orderRatings.repliedBy))
    .where(
      and(
        eq(orderRatings.labId, labId),
        opts.unanswered ? isNull(orderRatings.reply) : undefined,
        opts.after
          ? sql`(${orderRatings.ratedAt}, ${orderRatings.orderId}) < (${opts.after.at}::timestamptz, ${opts.after.id}::uuid)`
          : undefined,
      ),
    )
    .orderBy(desc(orderRatings.ratedAt), desc(orderRatings.orderId))
    .limit(opts.limit);
}

/** How many ratings the lab has, and how many of them it has not answered. */
export async function countLabRatings(db: DbOrTx, labId: string) {
  const [row] = await db
    .select({
      all: sql<number>`count(*)::int`,
      unanswered: sql<number>`(count(*) FILTER (WHERE ${orderRatings.reply} IS NULL))::int`,
    })
    .from(orderRatings)
    .where(eq(orderRatings.labId, labId));
  return row ?? { all: 0, unanswered: 0 };
}
