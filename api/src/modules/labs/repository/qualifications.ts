import { and, asc, eq, inArray } from 'drizzle-orm';
import { qualificationScopeItems, qualifications, type DbOrTx } from '@qihub/db';

export type QualificationRow = typeof qualifications.$inferSelect;
export type ScopeLine = { productZh: string; parameterZh: string; parameterEn: string; standardCode: string };

/** Every qualification of the lab (expired and withdrawn too), CMA first, by number. */
export async function allQualificationsOf(db: DbOrTx, labId: string) {
  return db
    .select()
    .from(qualifications)
    .where(eq(qualifications.labId, labId))
    .orderBy(asc(qualifications.kind), asc(qualifications.number));
}

export async function scopeLinesOf(db: DbOrTx, qualificationIds: string[]) {
  if (qualificationIds.length === 0) return [];
  return db
    .select()
    .from(qualificationScopeItems)
    .where(inArray(qualificationScopeItems.qualificationId, qualificationIds))
    .orderBy(asc(qualificationScopeItems.standardCode), asc(qualificationScopeItems.parameterZh));
}

/** One of the lab's certificates (undefined for another lab's, so it answers 404). */
export async function qualificationOf(db: DbOrTx, labId: string, id: string) {
  const [row] = await db
    .select()
    .from(qualifications)
    .where(and(eq(qualifications.id, id), eq(qualifications.labId, labId)));
  return row;
}

export async function lockQualification(db: DbOrTx, labId: string, id: string) {
  const [row] = await db
    .select()
    .from(qualifications)
    .where(and(eq(qualifications.id, id), eq(qualifications.labId, labId)))
    .for('update');
  return row;
}

export async function insertQualification(db: DbOrTx, values: typeof qualifications.$inferInsert) {
  const [row] = await db.insert(qualifications).values(values).returning();
  return row!;
}

export async function updateQualification(
  db: DbOrTx,
  id: string,
  values: Partial<typeof qualifications.$inferInsert>,
): Promise<QualificationRow> {
  const [row] = await db.update(qualifications).set(values).where(eq(qualifications.id, id)).returning();
  return row!;
}

/** Replaces the certificate's scope lines with these. */
export async function replaceScopeLines(db: DbOrTx, qualificationId: string, lines: readonly ScopeLine[]) {
  await db.delete(qualificationScopeItems).where(eq(qualificationScopeItems.qualificationId, qualificationId));
  if (lines.length > 0) {
    await db.insert(qualificationScopeItems).values(lines.map((l) => ({ ...l, qualificationId })));
  }
}
