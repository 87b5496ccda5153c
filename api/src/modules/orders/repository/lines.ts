import { asc, eq } from 'drizzle-orm';
import { orderLines, type DbOrTx, type OrderLine } from '@qihub/db';

/** The order's lines, withdrawn ones included, by position. */
export function linesOfOrder(db: DbOrTx, orderId: string): Promise<OrderLine[]> {
  return db.select().from(orderLines).where(eq(orderLines.orderId, orderId)).orderBy(asc(orderLines.position));
}

export function insertOrderLines(tx: DbOrTx, values: (typeof orderLines.$inferInsert)[]): Promise<OrderLine[]> {
  return tx.insert(orderLines).values(values).returning();
}

export async function updateOrderLine(tx: DbOrTx, lineId: string, set: Partial<OrderLine>): Promise<void> {
  await tx.update(orderLines).set(set).where(eq(orderLines.id, lineId));
}
