import { and, eq, gt, isNull, sql } from 'drizzle-orm';
import { apiTokens, memberships, organisations, regions, sessions, users, type DbOrTx } from '@qihub/db';
import type { ActorMembership } from '../../lib/actor.ts';

export async function findUserByEmail(db: DbOrTx, email: string) {
  const [row] = await db.select().from(users).where(eq(users.email, email)).limit(1);
  return row;
}

export async function findUserById(db: DbOrTx, id: string) {
  const [row] = await db.select().from(users).where(eq(users.id, id)).limit(1);
  return row;
}

/** The person's platform-wide role, if any (disabled accounts have none). */
export async function systemRoleOf(db: DbOrTx, userId: string) {
  const [row] = await db
    .select({ systemRole: users.systemRole })
    .from(users)
    .where(and(eq(users.id, userId), isNull(users.disabledAt)))
    .limit(1);
  return row?.systemRole ?? null;
}

export async function regionExists(db: DbOrTx, code: string): Promise<boolean> {
  const [row] = await db.select({ code: regions.code }).from(regions).where(eq(regions.code, code)).limit(1);
  return row !== undefined;
}

export async function insertUser(db: DbOrTx, values: typeof users.$inferInsert) {
  const [row] = await db.insert(users).values(values).returning();
  return row!;
}

export async function insertOrganisation(db: DbOrTx, values: typeof organisations.$inferInsert) {
  const [row] = await db.insert(organisations).values(values).returning();
  return row!;
}

export async function insertMembership(db: DbOrTx, values: typeof memberships.$inferInsert) {
  await db.insert(memberships).values(values);
}

export async function listMemberships(db: DbOrTx, userId: string) {
  return db
    .select({
      orgId: memberships.orgId,
      role: memberships.role,
      orgKind: organisations.kind,
      orgStatus: organisations.status,
      orgNameZh: organisations.nameZh,
      orgNameEn: organisations.nameEn,
      regionCode: organisations.regionCode,
    })
    .from(memberships)
    .innerJoin(organisations, eq(organisations.id, memberships.orgId))
    .where(eq(memberships.userId, userId))
    .orderBy(organisations.nameZh);
}

/**
 * Of these organisations, the ones that have booked instrument time or placed an order as a customer
 * of another organisation (a lab's internal use of its own instruments is its console's business).
 */
export async function organisationsThatBook(db: DbOrTx, orgIds: string[]): Promise<Set<string>> {
  if (orgIds.length === 0) return new Set();
  const ids = sql.join(
    orgIds.map((id) => sql`${id}::uuid`),
    sql`, `,
  );
  const { rows } = await db.execute<{ id: string }>(sql`
    SELECT o.id FROM organisations o WHERE o.id IN (${ids})
      AND (EXISTS (SELECT 1 FROM bookings b WHERE b.customer_org_id = o.id AND b.lab_id <> o.id)
        OR EXISTS (SELECT 1 FROM orders r WHERE r.customer_org_id = o.id))`);
  return new Set(rows.map((r) => r.id));
}

export async function insertSession(
  db: DbOrTx,
  values: { tokenHash: string; userId: string; expiresAt: Date; userAgent: string | null },
) {
  const [row] = await db.insert(sessions).values(values).returning();
  return row!;
}

/** A live session: not revoked, not expired at `now`, user not disabled. */
export async function findLiveSession(db: DbOrTx, tokenHash: string, now: Date) {
  const [row] = await db
    .select({ sessionId: sessions.id, userId: sessions.userId, expiresAt: sessions.expiresAt })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(
      and(
        eq(sessions.tokenHash, tokenHash),
        isNull(sessions.revokedAt),
        gt(sessions.expiresAt, now),
        isNull(users.disabledAt),
      ),
    )
    .limit(1);
  return row;
}

export async function revokeSession(db: DbOrTx, sessionId: string, now: Date) {
  await db
    .update(sessions)
    .set({ revokedAt: now })
    .where(and(eq(sessions.id, sessionId), isNull(sessions.revokedAt)));
}

export async function findLiveApiToken(db: DbOrTx, tokenHash: string, now: Date) {
  const [row] = await db
    .select({
      id: apiTokens.id,
      orgId: apiTokens.orgId,
      role: apiTokens.role,
      orgKind: organisations.kind,
      orgStatus: organisations.status,
      regionCode: organisations.regionCode,
    })
    .from(apiTokens)
    .innerJoin(organisations, eq(organisations.id, apiTokens.orgId))
    .innerJoin(users, eq(users.id, apiTokens.createdBy))
    .where(
      and(
        eq(apiTokens.tokenHash, tokenHash),
        isNull(apiTokens.revokedAt),
        // A token lives only while the manager who minted it is active and still manages the lab.
        isNull(users.disabledAt),
        sql`EXISTS (SELECT 1 FROM memberships m WHERE m.user_id = ${apiTokens.createdBy}
          AND m.org_id = ${apiTokens.orgId} AND m.role = 'manager')`,
        sql`(${apiTokens.expiresAt} IS NULL OR ${apiTokens.expiresAt} > ${now.toISOString()}::timestamptz)`,
      ),
    )
    .limit(1);
  return row;
}

/** Last-used time is advisory; it is updated at most once a minute per token to spare writes. */
export async function touchApiToken(db: DbOrTx, id: string, now: Date) {
  await db
    .update(apiTokens)
    .set({ lastUsedAt: now })
    .where(
      and(
        eq(apiTokens.id, id),
        sql`(${apiTokens.lastUsedAt} IS NULL OR ${apiTokens.lastUsedAt} < ${now.toISOString()}::timestamptz - interval '1 minute')`,
      ),
    );
}

export function toActorMemberships(rows: Awaited<ReturnType<typeof listMemberships>>): ActorMembership[] {
  return rows.map((r) => ({
    orgId: r.orgId,
    orgKind: r.orgKind,
    orgStatus: r.orgStatus,
    role: r.role,
    regionCode: r.regionCode,
  }));
}
