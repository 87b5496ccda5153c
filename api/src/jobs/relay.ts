import { sql } from 'drizzle-orm';
import type { Db } from '@qihub/db';
import { InvalidPayloadError, UnknownJobError, type Dispatch, type JobDeps, type JobHandler } from './registry.ts';

/** After this many failed dispatches a row is parked (dead letter) with its last error. */
export const MAX_RELAY_ATTEMPTS = 12;

interface PendingRow {
  id: number;
  attempts: number;
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
      SELECT id, topic, payload, dedupe_key, attempts FROM outbox
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
        const message = String((error as Error).message).slice(0, 500);
        const hopeless = error instanceof UnknownJobError || error instanceof InvalidPayloadError;
        if (hopeless || row.attempts + 1 >= MAX_RELAY_ATTEMPTS) {
          // Dead letter: parked with its error for an operator, never retried blindly.
          await tx.execute(sql`UPDATE outbox SET attempts = attempts + 1, relayed_at = now(),
            last_error = ${'dead: ' + message} WHERE id = ${row.id}`);
        } else {
          // Back off this row and go on with the others; a later sweep retries it.
          await tx.execute(sql`UPDATE outbox SET attempts = attempts + 1, last_error = ${message},
            available_at = now() + least(interval '1 second' * power(2, attempts), interval '10 minutes')
            WHERE id = ${row.id}`);
        }
      }
    }
    return rows.length;
  });
}

/**
 * A job that exhausted its retries on the queue goes back to the outbox, to be relayed again later
 * (the database stays the source of truth, ARCHITECTURE decision 5). Returns whether a row matched.
 */
export async function returnToOutbox(db: Db, queueJobId: string, error: string, delaySeconds = 3600): Promise<boolean> {
  const result = await db.execute(sql`
    UPDATE outbox SET relayed_at = NULL, last_error = ${error.slice(0, 500)},
      available_at = now() + make_interval(secs => ${delaySeconds})
    WHERE replace(dedupe_key, ':', '_') = ${queueJobId} AND relayed_at IS NOT NULL
      AND attempts < ${MAX_RELAY_ATTEMPTS}`);
  return (result.rowCount ?? 0) > 0;
}

/** The relay as a job: the sweep that moves committed outbox rows on to `deps.dispatch`. */
export function relayJobHandlers(deps: JobDeps): JobHandler[] {
  return [
    {
      name: 'outbox.relay',
      handle: async () => {
        await relayOutbox(deps.db, deps.dispatch);
      },
    },
  ];
}
