import { and, desc, eq, isNull } from 'drizzle-orm';
import { apiTokens, type DbOrTx } from '@qihub/db';

export type ApiTokenRow = typeof apiTokens.$inferSelect;

export async function insertApiToken(db: DbOrTx, values: typeof apiTokens.$inferInsert): Promise<ApiTokenRow> {
  const [created] = await db.insert(apiTokens).values(values).returning();
  return created!;
}

/** A lab's tokens, newest first. */
export async function findApiTokensOfOrg(db: DbOrTx, orgId: string): Promise<ApiTokenRow[]> {
  return db.select().from(apiTokens).where(eq(apiTokens.orgId, orgId)).orderBy(desc(apiTokens.createdAt));
}

export async function lockApiTokenForUpdate(
  db: DbOrTx,
  orgId: string,
  tokenId: string,
): Promise<ApiTokenRow | undefined> {
  const [row] = await db
    .select()
    .from(apiTokens)
    .where(and(eq(apiTokens.id, tokenId), eq(apiTokens.orgId, orgId)))
    .for('update');
  return row;
}

/** Sets revoked_at on a token not yet revoked; undefined when it already was. */
export async function revokeApiToken(db: DbOrTx, tokenId: string, at: Date): Promise<ApiTokenRow | undefined> {
  const [row] = await db
    .update(apiTokens)
    .set({ revokedAt: at })
    .where(and(eq(apiTokens.id, tokenId), isNull(apiTokens.revokedAt)))
    .returning();
  return row;
}
