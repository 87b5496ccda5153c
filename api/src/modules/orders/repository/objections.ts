import { and, desc, eq } from 'drizzle-orm';
import { orderObjections, type DbOrTx } from '@qihub/db';

export type OrderObjection = typeof orderObjections.$inferSelect;

/** The open objection on the order, if any (at most one is open at a time). */
export async function findOpenObjection(db: DbOrTx, orderId: string): Promise<{ id: string } | undefined> {
  const [open] = await db
    .select({ id: orderObjections.id })
    .from(orderObjections)
    .where(and(eq(orderObjections.orderId, orderId), eq(orderObjections.status, 'open')))
    .limit(1);
  return open;
}

/** The open objection raised against this report, under a row lock (at most one is open per order). */
export async function lockOpenObjectionOnReport(
  tx: DbOrTx,
  orderId: string,
  reportId: string,
): Promise<OrderObjection | undefined> {
  const [objection] = await tx
    .select()
    .from(orderObjections)
    .where(
      and(
        eq(orderObjections.orderId, orderId),
        eq(orderObjections.reportId, reportId),
        eq(orderObjections.status, 'open'),
      ),
    )
    .limit(1)
    .for('update');
  return objection;
}

/** One objection of the order under a row lock, for the transaction that resolves it. */
export async function lockObjection(
  tx: DbOrTx,
  orderId: string,
  objectionId: string,
): Promise<OrderObjection | undefined> {
  const [objection] = await tx
    .select()
    .from(orderObjections)
    .where(and(eq(orderObjections.id, objectionId), eq(orderObjections.orderId, orderId)))
    .limit(1)
    .for('update');
  return objection;
}

export async function insertObjection(
  tx: DbOrTx,
  values: typeof orderObjections.$inferInsert,
): Promise<OrderObjection> {
  const [objection] = await tx.insert(orderObjections).values(values).returning();
  return objection!;
}

export async function updateObjection(tx: DbOrTx, objectionId: string, set: Partial<OrderObjection>): Promise<void> {
  await tx.update(orderObjections).set(set).where(eq(orderObjections.id, objectionId));
}

/** The order's objections, newest first. */
export function objectionsOfOrder(db: DbOrTx, orderId: string): Promise<OrderObjection[]> {
  return db
    .select()
    .from(orderObjections)
    .where(eq(orderObjections.orderId, orderId))
    .orderBy(desc(orderObjections.createdAt));
}
