import { and, desc, eq, isNull } from 'drizzle-orm';
import { apiTokens, users, type DbOrTx } from '@qihub/db';

export type ApiTokenRow = typeof apiTokens.$inferSelect;

export async function insertApiToken(db: DbOrTx, values: typeof apiTokens.$inferInsert): Promise<ApiTokenRow> {
  const [created] = await db.insert(apiTokens).values(values).returning();
  return created!;
}

/** A lab's tokens with the name of who created each, newest first. */
export async function findApiTokensOfOrg(db: DbOrTx, orgId: string) {
  const rows = await db
    .select({ token: apiTokens, createdByName: users.displayName })
    .from(apiTokens)
    .leftJoin(users, eq(users.id, apiTokens.createdBy))
    .where(eq(apiTokens.orgId, orgId))
    .orderBy(desc(apiTokens.createdAt), desc(apiTokens.id));
  return rows.map((r) => ({ ...r.token, createdByName: r.createdByName }));
}

/** The display name of the user who created tokens (null when the account is gone). */
export async function userName(db: DbOrTx, userId: string | null): Promise<string | null> {
  if (!userId) return null;
  const [row] = await db.select({ name: users.displayName }).from(users).where(eq(users.id, userId));
  return row?.name ?? null;
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
