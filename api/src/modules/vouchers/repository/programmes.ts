import { and, desc, eq, inArray, lt, or, sql, type SQL } from 'drizzle-orm';
import { organisations, voucherProgrammes, type DbOrTx, type VoucherProgramme } from '@qihub/db';

export async function insertProgramme(tx: DbOrTx, row: typeof voucherProgrammes.$inferInsert) {
  const [p] = await tx.insert(voucherProgrammes).values(row).returning();
  return p!;
}

export async function findProgramme(tx: DbOrTx, id: string, lock = false): Promise<VoucherProgramme | undefined> {
  const q = tx.select().from(voucherProgrammes).where(eq(voucherProgrammes.id, id));
  const [row] = lock ? await q.for('update') : await q;
  return row;
}

export async function updateProgramme(tx: DbOrTx, id: string, patch: Partial<VoucherProgramme>) {
  const [row] = await tx.update(voucherProgrammes).set(patch).where(eq(voucherProgrammes.id, id)).returning();
  return row!;
}

export interface Keyset {
  createdAt: Date;
  id: string;
}

/** Programmes of these issuers (an admin's platforms) or, when `openOn` is set, every active one valid that day. */
export async function listProgrammes(
  tx: DbOrTx,
  f: { issuers?: string[]; openOn?: string; after?: Keyset; limit: number },
) {
  const where: (SQL | undefined)[] = [];
  if (f.issuers) {
    if (f.issuers.length === 0) return [];
    where.push(inArray(voucherProgrammes.issuerOrgId, f.issuers));
  }
  if (f.openOn) {
    where.push(eq(voucherProgrammes.status, 'active'));
    where.push(
      sql`${voucherProgrammes.validFrom} <= ${f.openOn}::date AND ${voucherProgrammes.validTo} >= ${f.openOn}::date`,
    );
  }
  if (f.after) {
    where.push(
      or(
        lt(voucherProgrammes.createdAt, f.after.createdAt),
        and(eq(voucherProgrammes.createdAt, f.after.createdAt), lt(voucherProgrammes.id, f.after.id)),
      ),
    );
  }
  return tx
    .select()
    .from(voucherProgrammes)
    .where(and(...where))
    .orderBy(desc(voucherProgrammes.createdAt), desc(voucherProgrammes.id))
    .limit(f.limit);
}

/** An organisation's kind, status and region (the issuer, an enterprise, a lab). */
export async function findOrg(tx: DbOrTx, id: string) {
  const [row] = await tx
    .select({
      id: organisations.id,
      kind: organisations.kind,
      status: organisations.status,
      regionCode: organisations.regionCode,
      platformLevel: organisations.platformLevel,
      nameZh: organisations.nameZh,
      nameEn: organisations.nameEn,
    })
    .from(organisations)
    .where(eq(organisations.id, id));
  return row;
}
