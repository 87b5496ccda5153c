import { and, desc, eq, inArray, like, lt, or, sql, type SQL } from 'drizzle-orm';
import { organisations, typicalCases, type DbOrTx, type TypicalCase } from '@qihub/db';

export type CaseRow = TypicalCase;
export type CaseWithOrg = CaseRow & { orgNameZh: string; orgNameEn: string; orgKind: string };

export type CaseStatus = CaseRow['status'];
export type CaseFields = Pick<
  CaseRow,
  | 'title'
  | 'enterpriseName'
  | 'industry'
  | 'problem'
  | 'service'
  | 'result'
  | 'costSavedFen'
  | 'timeSavedDays'
  | 'notes'
>;

const withOrg = {
  c: typicalCases,
  orgNameZh: organisations.nameZh,
  orgNameEn: organisations.nameEn,
  orgKind: organisations.kind,
};
const flat = (r: { c: CaseRow; orgNameZh: string; orgNameEn: string; orgKind: string }): CaseWithOrg => ({
  ...r.c,
  orgNameZh: r.orgNameZh,
  orgNameEn: r.orgNameEn,
  orgKind: r.orgKind,
});

const inRegions = (prefixes: readonly string[]): SQL =>
  or(...prefixes.map((p) => like(typicalCases.regionCode, `${p}%`)))!;

export async function insertCase(
  tx: DbOrTx,
  row: CaseFields & { orgId: string; authorUserId: string; regionCode: string; createdAt: Date },
): Promise<CaseRow> {
  const [created] = await tx
    .insert(typicalCases)
    .values({ ...row, updatedAt: row.createdAt })
    .returning();
  return created!;
}

export async function findCase(tx: DbOrTx, id: string): Promise<CaseWithOrg | undefined> {
  const [row] = await tx
    .select(withOrg)
    .from(typicalCases)
    .innerJoin(organisations, eq(organisations.id, typicalCases.orgId))
    .where(eq(typicalCases.id, id));
  return row ? flat(row) : undefined;
}

/** The cases a submitter sees: those of the labs they belong to, and those they wrote themselves. */
export async function findSubmitterCases(tx: DbOrTx, userId: string, labIds: readonly string[]) {
  const rows = await tx
    .select(withOrg)
    .from(typicalCases)
    .innerJoin(organisations, eq(organisations.id, typicalCases.orgId))
    .where(
      or(
        eq(typicalCases.authorUserId, userId),
        labIds.length > 0 ? inArray(typicalCases.orgId, [...labIds]) : undefined,
      ),
    )
    .orderBy(desc(typicalCases.updatedAt), desc(typicalCases.id))
    .limit(200);
  return rows.map(flat);
}

/** The cases of the admin's regions that have left their author's desk (never drafts). */
export async function findRegionCases(tx: DbOrTx, prefixes: readonly string[], status?: CaseStatus) {
  const rows = await tx
    .select(withOrg)
    .from(typicalCases)
    .innerJoin(organisations, eq(organisations.id, typicalCases.orgId))
    .where(and(inRegions(prefixes), status ? eq(typicalCases.status, status) : sql`${typicalCases.status} <> 'draft'`))
    .orderBy(desc(typicalCases.updatedAt), desc(typicalCases.id))
    .limit(200);
  return rows.map(flat);
}

/** Published cases, newest publication first, after the keyset position when given. */
export async function findPublishedCases(
  tx: DbOrTx,
  opts: { regionPrefix?: string; after?: { publishedAt: Date; id: string }; limit: number },
) {
  const { after } = opts;
  const rows = await tx
    .select(withOrg)
    .from(typicalCases)
    .innerJoin(organisations, eq(organisations.id, typicalCases.orgId))
    .where(
      and(
        eq(typicalCases.status, 'published'),
        opts.regionPrefix ? like(typicalCases.regionCode, `${opts.regionPrefix}%`) : undefined,
        after
          ? or(
              lt(typicalCases.publishedAt, after.publishedAt),
              and(eq(typicalCases.publishedAt, after.publishedAt), lt(typicalCases.id, after.id)),
            )
          : undefined,
      ),
    )
    .orderBy(desc(typicalCases.publishedAt), desc(typicalCases.id))
    .limit(opts.limit);
  return rows.map(flat);
}

/**
 * Changes a case only while it is in one of `from` (the guarded update of ARCHITECTURE decision 4);
 * undefined when it was not.
 */
export async function updateCaseIn(
  tx: DbOrTx,
  id: string,
  from: readonly CaseStatus[],
  set: Partial<CaseFields> &
    Partial<Pick<CaseRow, 'status' | 'returnReason' | 'submittedAt' | 'publishedAt' | 'publishedBy'>> & {
      updatedAt: Date;
    },
): Promise<CaseRow | undefined> {
  const [row] = await tx
    .update(typicalCases)
    .set(set)
    .where(and(eq(typicalCases.id, id), inArray(typicalCases.status, [...from])))
    .returning();
  return row;
}

/** Admins of every active platform whose region covers the code (a province's covers its cities). */
export async function platformAdminsCovering(tx: DbOrTx, regionCode: string): Promise<string[]> {
  const result = await tx.execute<{ user_id: string }>(sql`
    SELECT DISTINCT m.user_id FROM organisations p
      JOIN memberships m ON m.org_id = p.id AND m.role = 'admin'
    WHERE p.kind = 'platform' AND p.status = 'active'
      AND ${regionCode} LIKE (CASE WHEN p.region_code LIKE '%0000' THEN substr(p.region_code, 1, 2)
                                   WHEN p.region_code LIKE '%00' THEN substr(p.region_code, 1, 4)
                                   ELSE p.region_code END) || '%'`);
  return result.rows.map((r) => r.user_id);
}
