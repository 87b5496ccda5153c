import { sql } from 'drizzle-orm';
import type { DbOrTx } from '@qihub/db';

export interface OutboxLag {
  /** Rows due for relay and not relayed yet. */
  pending: number;
  /** Rows parked as dead letters (relayed with a `dead:` error), for an operator. */
  dead: number;
  /** How long the oldest due row has waited, in seconds; 0 when none waits. */
  oldestSeconds: number;
}

/**
 * The outbox as the relay sees it, on the database's own clock (the relay picks rows by the
 * database's `now()`, so the lag is measured the same way).
 */
export async function outboxLag(tx: DbOrTx): Promise<OutboxLag> {
  const { rows } = await tx.execute<{ pending: string; dead: string; oldest: string | null }>(sql`
    SELECT
      count(*) FILTER (WHERE relayed_at IS NULL AND available_at <= now()) AS pending,
      count(*) FILTER (WHERE relayed_at IS NOT NULL AND last_error LIKE 'dead:%') AS dead,
      extract(epoch FROM now() - min(available_at) FILTER (WHERE relayed_at IS NULL AND available_at <= now())) AS oldest
    FROM outbox
    WHERE relayed_at IS NULL OR last_error LIKE 'dead:%'`);
  const r = rows[0];
  return {
    pending: Number(r?.pending ?? 0),
    dead: Number(r?.dead ?? 0),
    oldestSeconds: r?.oldest === null || r?.oldest === undefined ? 0 : Math.max(0, Number(r.oldest)),
  };
}
