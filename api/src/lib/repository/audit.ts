import { auditLog, outbox, type DbOrTx } from '@qihub/db';

/** One row of the audit log, in the caller's transaction. */
export async function insertAuditEntry(tx: DbOrTx, entry: typeof auditLog.$inferInsert): Promise<void> {
  await tx.insert(auditLog).values(entry);
}

/** One outbox row; a second with the same dedupe key is a no-op (the relay's job id). */
export async function insertOutboxRow(
  tx: DbOrTx,
  row: { topic: string; payload: Record<string, unknown>; dedupeKey: string },
): Promise<void> {
  await tx.insert(outbox).values(row).onConflictDoNothing();
}
