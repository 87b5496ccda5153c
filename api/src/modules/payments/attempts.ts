import { createHash } from 'node:crypto';
import type { Db } from '@qihub/db';
import { AppError } from '../../lib/errors.ts';
import { ProcessorRefused, ProcessorUnavailable } from './port.ts';
import * as repo from './repository.ts';

/** A stable hash of a call's parameters (keys sorted), stored beside its idempotency key. */
export function requestHash(params: unknown): string {
  const canonical = (v: unknown): unknown =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(
          Object.keys(v as object)
            .sort()
            .map((k) => [k, canonical((v as Record<string, unknown>)[k])]),
        )
      : Array.isArray(v)
        ? v.map(canonical)
        : v;
  return createHash('sha256')
    .update(JSON.stringify(canonical(params)))
    .digest('hex');
}

/**
 * Calls the processor under a persisted idempotency key: the key is committed (its own
 * transaction) BEFORE the call, and the answer after it. A second call with the key — a retry after
 * a crash, a timeout or a dropped answer — sends the same key (so the processor does nothing twice),
 * or, once an answer is stored, does not call at all. The same key with other parameters is a bug.
 */
export async function withAttempt<T extends object>(
  db: Db,
  clock: () => Date,
  a: { key: string; operation: string; account: string | null; params: unknown },
  call: (idempotencyKey: string) => Promise<T>,
): Promise<T> {
  const hash = requestHash(a.params);
  const stored = await repo.ensureAttempt(db, {
    idempotencyKey: a.key,
    operation: a.operation,
    account: a.account,
    requestHash: hash,
  });
  if (stored.requestHash !== hash) {
    throw new Error(`idempotency key ${a.key} reused with other parameters`);
  }
  if (stored.response) return stored.response as T;
  try {
    const result = await call(a.key);
    await repo.completeAttempt(db, a.key, result as Record<string, unknown>, clock());
    return result;
  } catch (error) {
    await repo.failAttempt(db, a.key, String((error as Error).message));
    throw asProblem(error);
  }
}

/** Processor failures as problems: unknown outcome → 502 (retry is safe), refusal → 422. */
export function asProblem(error: unknown): unknown {
  if (error instanceof ProcessorUnavailable) {
    return new AppError(
      502,
      'processor_unavailable',
      '支付机构暂时无法响应，请稍后重试（重试不会重复扣款）。 The card processor did not answer; retrying is safe.',
    );
  }
  if (error instanceof ProcessorRefused) {
    return new AppError(422, 'processor_refused', `The card processor refused the request: ${error.message}`);
  }
  return error;
}
