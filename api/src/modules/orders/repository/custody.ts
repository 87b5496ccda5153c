import { and, asc, eq } from 'drizzle-orm';
import { sampleCustodyEntries, users, type DbOrTx, type SampleCustodyEntry } from '@qihub/db';

/** One entry of the custody log; `at` is the app clock's time (never the database's now()). */
export async function insertCustodyEntries(
  tx: DbOrTx,
  values: (typeof sampleCustodyEntries.$inferInsert & { at: Date })[],
): Promise<SampleCustodyEntry[]> {
  if (values.length === 0) return [];
  return tx.insert(sampleCustodyEntries).values(values).returning();
}

/** The log of one sample, oldest first. */
export function custodyOfSample(db: DbOrTx, orderId: string, sampleId: string): Promise<SampleCustodyEntry[]> {
  return db
    .select()
    .from(sampleCustodyEntries)
    .where(and(eq(sampleCustodyEntries.orderId, orderId), eq(sampleCustodyEntries.sampleId, sampleId)))
    .orderBy(asc(sampleCustodyEntries.id));
}

/** The log of every sample of the order, oldest first, with the name of whoever recorded each entry. */
export function custodyOfOrder(db: DbOrTx, orderId: string) {
  return db
    .select({ entry: sampleCustodyEntries, actorName: users.displayName })
    .from(sampleCustodyEntries)
    .leftJoin(users, eq(users.id, sampleCustodyEntries.actorUserId))
    .where(eq(sampleCustodyEntries.orderId, orderId))
    .orderBy(asc(sampleCustodyEntries.id));
}
