import { and, asc, desc, eq, inArray, or, sql, type SQL } from 'drizzle-orm';
import {
  assistanceRequests,
  assistanceVisits,
  enterpriseOfficers,
  memberships,
  organisations,
  users,
  type DbOrTx,
} from '@qihub/db';

export type AssistanceRequest = typeof assistanceRequests.$inferSelect;
export type AssistanceStatus = AssistanceRequest['status'];
export type AssistanceRequestChanges = Partial<typeof assistanceRequests.$inferInsert>;

export async function findAssistanceRequest(
  db: DbOrTx,
  id: string,
  opts: { forUpdate?: boolean } = {},
): Promise<AssistanceRequest | undefined> {
  const q = db.select().from(assistanceRequests).where(eq(assistanceRequests.id, id)).limit(1);
  const [row] = opts.forUpdate ? await q.for('update') : await q;
  return row;
}

export async function insertAssistanceRequest(
  db: DbOrTx,
  values: typeof assistanceRequests.$inferInsert,
): Promise<AssistanceRequest> {
  const [row] = await db.insert(assistanceRequests).values(values).returning();
  return row!;
}

/** Who may see which requests: each present part widens what is seen. */
export interface AssistanceVisibility {
  /** Requests of these enterprises. */
  enterpriseIds: readonly string[];
  /** Requests this user is the expert of. */
  expertUserId: string | null;
  /** Requests of the enterprises this user is the named officer of. */
  officerUserId: string | null;
  /** Requests of enterprises whose region code starts with one of these prefixes. */
  regionPrefixes: readonly string[];
}

/** Requests the visibility allows, newest first; none when it allows nothing. */
export async function findVisibleAssistanceRequests(
  db: DbOrTx,
  visible: AssistanceVisibility,
  filter: { status?: AssistanceStatus; enterpriseId?: string; limit: number },
): Promise<AssistanceRequest[]> {
  const seen: SQL[] = [];
  if (visible.enterpriseIds.length > 0) seen.push(inArray(assistanceRequests.enterpriseId, [...visible.enterpriseIds]));
  if (visible.expertUserId) seen.push(eq(assistanceRequests.expertUserId, visible.expertUserId));
  if (visible.officerUserId) {
    seen.push(
      inArray(
        assistanceRequests.enterpriseId,
        db
          .select({ id: enterpriseOfficers.enterpriseId })
          .from(enterpriseOfficers)
          .where(eq(enterpriseOfficers.officerUserId, visible.officerUserId)),
      ),
    );
  }
  for (const prefix of visible.regionPrefixes) {
    seen.push(
      inArray(
        assistanceRequests.enterpriseId,
        db
          .select({ id: organisations.id })
          .from(organisations)
          .where(and(eq(organisations.kind, 'enterprise'), sql`${organisations.regionCode} LIKE ${prefix + '%'}`)),
      ),
    );
  }
  // No condition would mean no filter at all: nothing is visible instead.
  if (seen.length === 0) return [];
  return db
    .select()
    .from(assistanceRequests)
    .where(
      and(
        or(...seen),
        filter.status ? eq(assistanceRequests.status, filter.status) : undefined,
        filter.enterpriseId ? eq(assistanceRequests.enterpriseId, filter.enterpriseId) : undefined,
      ),
    )
    .orderBy(desc(assistanceRequests.createdAt))
    .limit(filter.limit);
}

/**
 * Moves the request to `to` if its status is still one of `from` (checked in the UPDATE itself, so
 * racing requests cannot both pass); undefined when it was not.
 */
export async function updateAssistanceStatus(
  db: DbOrTx,
  id: string,
  from: readonly AssistanceStatus[],
  set: AssistanceRequestChanges & { status: AssistanceStatus; updatedAt: Date },
): Promise<AssistanceRequest | undefined> {
  const [row] = await db
    .update(assistanceRequests)
    .set(set)
    .where(and(eq(assistanceRequests.id, id), inArray(assistanceRequests.status, [...from])))
    .returning();
  return row;
}

/** The visits of these requests with the recorder's name, in the order they took place. */
export async function findVisitsOf(db: DbOrTx, requestIds: readonly string[]) {
  return db
    .select({ v: assistanceVisits, name: users.displayName })
    .from(assistanceVisits)
    .innerJoin(users, eq(users.id, assistanceVisits.recordedBy))
    .where(inArray(assistanceVisits.requestId, [...requestIds]))
    .orderBy(asc(assistanceVisits.visitedOn), asc(assistanceVisits.createdAt));
}

export async function insertVisit(db: DbOrTx, values: typeof assistanceVisits.$inferInsert): Promise<{ id: string }> {
  const [row] = await db.insert(assistanceVisits).values(values).returning({ id: assistanceVisits.id });
  return row!;
}

export async function findContacts(db: DbOrTx, userIds: readonly string[]) {
  return db
    .select({ id: users.id, name: users.displayName, phone: users.phone, email: users.email })
    .from(users)
    .where(inArray(users.id, [...userIds]));
}

/**
 * The user's display name if they are an active user of an active lab or platform, else undefined.
 * (The expert sees the enterprise's request: only people of admitted organisations, as isAdmitted.)
 */
export async function findActiveLabOrPlatformUser(db: DbOrTx, userId: string): Promise<{ name: string } | undefined> {
  const [row] = await db
    .select({ name: users.displayName })
    .from(users)
    .innerJoin(memberships, eq(memberships.userId, users.id))
    .innerJoin(organisations, eq(organisations.id, memberships.orgId))
    .where(
      and(
        eq(users.id, userId),
        sql`${users.disabledAt} IS NULL`,
        inArray(organisations.kind, ['lab', 'platform']),
        eq(organisations.status, 'active'),
      ),
    )
    .limit(1);
  return row;
}
