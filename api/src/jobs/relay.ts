import { sql } from 'drizzle-orm';
import type { Db } from '@qihub/db';

export type Dispatch = (topic: string, payload: Record<string, unknown>, jobId: string) => Promise<void>;

interface PendingRow {
  id: number;
  topic: string;
  payload: Record<string, unknown>;
  dedupe_key: string;
}

/**
 * Hands committed outbox rows to `dispatch` and marks them relayed, in one transaction that locks
 * the batch (SKIP LOCKED), so two relays never take the same row. `dispatch` must be idempotent
 * under the row's deterministic job id: a crash between dispatch and commit re-dispatches the row.
 */
export async function relayOutbox(db: Db, dispatch: Dispatch, batchSize = 100): Promise<number> {
  return db.transaction(async (tx) => {
    const pending = await tx.execute(sql`
      SELECT id, topic, payload, dedupe_key FROM outbox
      WHERE relayed_at IS NULL AND available_at <= now()
      ORDER BY id LIMIT ${batchSize} FOR UPDATE SKIP LOCKED`);
    const rows = pending.rows as unknown as PendingRow[];
    for (const row of rows) {
      try {
        await dispatch(row.topic, row.payload, row.dedupe_key);
        await tx.execute(
          sql`UPDATE outbox SET relayed_at = now(), attempts = attempts + 1, last_error = NULL WHERE id = ${row.id}`,
        );
      } catch (error) {
        // Back off this row and go on with the others; it is retried on a later sweep.
        await tx.execute(sql`UPDATE outbox SET attempts = attempts + 1, last_error = ${String((error as Error).message).slice(0, 500)},
          available_at = now() + least(interval '1 second' * power(2, attempts), interval '10 minutes') WHERE id = ${row.id}`);
      }
    }
    return rows.length;
  });
}
