import { and, eq } from 'drizzle-orm';
import { idempotencyKeys, type DbOrTx } from '@qihub/db';

export async function findIdempotent(db: DbOrTx, userId: string, key: string) {
  const [row] = await db
    .select()
    .from(idempotencyKeys)
    .where(and(eq(idempotencyKeys.userId, userId), eq(idempotencyKeys.key, key)))
    .limit(1);
  return row;
}

export async function saveIdempotent(
  db: DbOrTx,
  values: { userId: string; key: string; requestHash: string; statusCode: number; response: unknown },
) {
  await db.insert(idempotencyKeys).values(values);
}
