import { asc, eq, inArray, sql } from 'drizzle-orm';
import { organisations, qualificationScopeItems, qualifications, regions, sites, type DbOrTx } from '@qihub/db';

export async function findLab(db: DbOrTx, id: string) {
  const [row] = await db.select().from(organisations).where(eq(organisations.id, id)).limit(1);
  return row?.kind === 'lab' ? row : undefined;
}

export async function sitesOfLab(db: DbOrTx, labId: string) {
  return db.select().from(sites).where(eq(sites.labId, labId)).orderBy(asc(sites.nameZh));
}

/** The lab's qualifications with `valid` computed for the given local date. */
export async function qualificationsOf(db: DbOrTx, labId: string, today: string) {
  const rows = await db
    .select()
    .from(qualifications)
    .where(eq(qualifications.labId, labId))
    .orderBy(qualifications.kind, qualifications.number);
  return rows.map((q) => ({
    id: q.id,
    kind: q.kind,
    number: q.number,
    issuedOn: q.issuedOn,
    validUntil: q.validUntil,
    valid: q.issuedOn <= today && q.validUntil >= today && (q.withdrawnOn === null || q.withdrawnOn > today),
  }));
}

export async function scopeItemsOf(db: DbOrTx, qualificationIds: string[]) {
  if (qualificationIds.length === 0) return [];
  return db
    .select()
    .from(qualificationScopeItems)
    .where(inArray(qualificationScopeItems.qualificationId, qualificationIds))
    .orderBy(qualificationScopeItems.standardCode, qualificationScopeItems.parameterZh);
}

export async function regionByCode(db: DbOrTx, code: string) {
  const [row] = await db.select().from(regions).where(eq(regions.code, code)).limit(1);
  return row;
}

export async function catalogueCounts(db: DbOrTx, labId: string) {
  const result = await db.execute(sql`
    SELECT (SELECT count(*) FROM instruments WHERE lab_id = ${labId}::uuid AND status <> 'retired')::int AS instruments,
           (SELECT count(*) FROM services WHERE lab_id = ${labId}::uuid AND status = 'active')::int AS services`);
  return result.rows[0] as { instruments: number; services: number };
}
