import { asc, eq } from 'drizzle-orm';
import { orderEvents, type DbOrTx } from '@qihub/db';

/** One timeline entry; `at` is required (the app clock's time), so no entry falls back to the database's now(). */
export async function insertOrderEvent(
  tx: DbOrTx,
  values: typeof orderEvents.$inferInsert & { at: Date },
): Promise<void> {
  await tx.insert(orderEvents).values(values);
}

/** The order's timeline, oldest first. */
export function eventsOfOrder(db: DbOrTx, orderId: string) {
  return db.select().from(orderEvents).where(eq(orderEvents.orderId, orderId)).orderBy(asc(orderEvents.id));
}
