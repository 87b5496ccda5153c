import { and, asc, eq, sql } from 'drizzle-orm';
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

/**
 * Marks every sample the lab holds on its shelf returned or disposed of; answers their ids. A sample
 * out for testing (its last custody step `taken`) stays in custody: the lab cannot hand back what
 * it does not have, so it leaves once it is back (it is then due, the order being void).
 */
export function settleReceivedSamples(
  tx: DbOrTx,
  orderId: string,
  disposition: 'returned' | 'disposed',
  now: Date,
): Promise<{ id: string }[]> {
  return tx
    .update(orderSamples)
    .set({ status: disposition, dispositionAt: now })
    .where(
      and(
        eq(orderSamples.orderId, orderId),
        eq(orderSamples.status, 'received'),
        sql`(SELECT e.step FROM sample_custody_entries e WHERE e.sample_id = ${orderSamples.id}
          ORDER BY e.id DESC LIMIT 1) IS DISTINCT FROM 'taken'`,
      ),
    )
    .returning({ id: orderSamples.id });
}
