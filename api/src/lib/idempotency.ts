import { createHash } from 'node:crypto';
import type { DbOrTx } from '@qihub/db';
import { unprocessable } from './errors.ts';
import { findIdempotent, saveIdempotent } from './repository/idempotency.ts';

/** What an `Idempotency-Key` stands for: who sent it, under which key, and a hash of what was asked. */
export interface IdempotentRequest {
  userId: string;
  key: string;
  requestHash: string;
}

export function hashRequest(input: unknown): string {
  return createHash('sha256').update(JSON.stringify(input)).digest('hex');
}

/**
 * The answer saved for this key, if one was: replayed as it was; 422 idempotency_mismatch when the key
 * was used with a different request.
 */
export async function findReplay<T>(
  db: DbOrTx,
  req: IdempotentRequest,
): Promise<{ replayed: true; body: T } | undefined> {
  const row = await findIdempotent(db, req.userId, req.key);
  if (!row) return undefined;
  if (row.requestHash !== req.requestHash) {
    throw unprocessable('idempotency_mismatch', 'This Idempotency-Key was used with a different request.');
  }
  return { replayed: true, body: row.response as T };
}

/** Saves the 201 answer under the key, in the transaction that made it. */
export async function saveAnswer(tx: DbOrTx, req: IdempotentRequest, body: unknown) {
  await saveIdempotent(tx, { ...req, statusCode: 201, response: body });
}
