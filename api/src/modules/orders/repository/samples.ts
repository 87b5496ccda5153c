import { and, asc, eq } from 'drizzle-orm';
import { orderSamples, type DbOrTx, type OrderSample } from '@qihub/db';

/** One sample of the order, optionally under a row lock for the transaction that decides it. */
export async function findSample(
  db: DbOrTx,
  orderId: string,
  sampleId: string,
  options: { forUpdate?: boolean } = {},
): Promise<OrderSample | undefined> {
  const q = db
    .select()
    .from(orderSamples)
    .where(and(eq(orderSamples.id, sampleId), eq(orderSamples.orderId, orderId)))
    .limit(1);
  const [sample] = options.forUpdate ? await q.for('update') : await q;
  return sample;
}

/** The order's samples, by code. */
export function samplesOfOrder(db: DbOrTx, orderId: string): Promise<OrderSample[]> {
  return db.select().from(orderSamples).where(eq(orderSamples.orderId, orderId)).orderBy(asc(orderSamples.code));
}

export async function insertSamples(tx: DbOrTx, values: (typeof orderSamples.$inferInsert)[]): Promise<void> {
  await tx.insert(orderSamples).values(values);
}

export async function updateSample(tx: DbOrTx, sampleId: string, set: Partial<OrderSample>): Promise<void> {
  await tx.update(orderSamples).set(set).where(eq(orderSamples.id, sampleId));
}

/** Whether the lab holds any sample of the order (received, not yet returned or disposed of). */
export async function holdsReceivedSample(db: DbOrTx, orderId: string): Promise<boolean> {
  const [arrived] = await db
    .select({ id: orderSamples.id })
    .from(orderSamples)
    .where(and(eq(orderSamples.orderId, orderId), eq(orderSamples.status, 'received')))
    .limit(1);
  return arrived !== undefined;
}

/** Marks every sample the lab holds returned or disposed of; answers their ids. */
export function settleReceivedSamples(
  tx: DbOrTx,
  orderId: string,
  disposition: 'returned' | 'disposed',
  now: Date,
): Promise<{ id: string }[]> {
  return tx
    .update(orderSamples)
    .set({ status: disposition, dispositionAt: now })
    .where(and(eq(orderSamples.orderId, orderId), eq(orderSamples.status, 'received')))
    .returning({ id: orderSamples.id });
}
