import { and, desc, eq, inArray, lt, or, sql, type SQL } from 'drizzle-orm';
import { voucherApplications, voucherProgrammes, voucherUses, type DbOrTx, type VoucherApplication } from '@qihub/db';
import type { Keyset } from './programmes.ts';

export async function insertApplication(tx: DbOrTx, row: typeof voucherApplications.$inferInsert) {
  const [a] = await tx.insert(voucherApplications).values(row).returning();
  return a!;
}

export async function findApplication(tx: DbOrTx, id: string, lock = false): Promise<VoucherApplication | undefined> {
  const q = tx.select().from(voucherApplications).where(eq(voucherApplications.id, id));
  const [row] = lock ? await q.for('update') : await q;
  return row;
}

/** A guarded transition: only from `pending`; undefined when it was no longer pending. */
export async function decideApplication(tx: DbOrTx, id: string, patch: Partial<VoucherApplication>) {
  const [row] = await tx
    .update(voucherApplications)
    .set(patch)
    .where(and(eq(voucherApplications.id, id), eq(voucherApplications.status, 'pending')))
    .returning();
  return row;
}

/**
 * Takes `amount` off an approved quota, only if that much is left (the CHECK remaining >= 0 is the
 * database's proof); undefined when it was not.
 */
export async function spendQuota(tx: DbOrTx, id: string, amount: number, at: Date) {
  const [row] = await tx
    .update(voucherApplications)
    .set({ remainingFen: sql`${voucherApplications.remainingFen} - ${amount}`, updatedAt: at })
    .where(
      and(
        eq(voucherApplications.id, id),
        eq(voucherApplications.status, 'approved'),
        sql`${voucherApplications.remainingFen} >= ${amount}`,
      ),
    )
    .returning();
  return row;
}

/** Gives `amount` back to the quota (a rejected or voided claim). */
export async function restoreQuota(tx: DbOrTx, id: string, amount: number, at: Date) {
  const [row] = await tx
    .update(voucherApplications)
    .set({ remainingFen: sql`${voucherApplications.remainingFen} + ${amount}`, updatedAt: at })
    .where(eq(voucherApplications.id, id))
    .returning();
  return row!;
}

export async function listApplications(
  tx: DbOrTx,
  f: { enterprises: string[]; issuers: string[]; status?: VoucherApplication['status']; after?: Keyset; limit: number },
) {
  const seen: SQL[] = [];
  if (f.enterprises.length > 0) seen.push(inArray(voucherApplications.enterpriseOrgId, f.enterprises));
  if (f.issuers.length > 0) seen.push(inArray(voucherProgrammes.issuerOrgId, f.issuers));
  if (seen.length === 0) return [];
  const where: (SQL | undefined)[] = [or(...seen)];
  if (f.status) where.push(eq(voucherApplications.status, f.status));
  if (f.after) {
    where.push(
      or(
        lt(voucherApplications.createdAt, f.after.createdAt),
        and(eq(voucherApplications.createdAt, f.after.createdAt), lt(voucherApplications.id, f.after.id)),
      ),
    );
  }
  const rows = await tx
    .select({ application: voucherApplications, programme: voucherProgrammes })
    .from(voucherApplications)
    .innerJoin(voucherProgrammes, eq(voucherProgrammes.id, voucherApplications.programmeId))
    .where(and(...where))
    .orderBy(desc(voucherApplications.createdAt), desc(voucherApplications.id))
    .limit(f.limit);
  return rows;
}

/** Approved applications of these enterprises, with their programmes. */
export async function approvedOf(tx: DbOrTx, enterprises: string[]) {
  if (enterprises.length === 0) return [];
  return tx
    .select({ application: voucherApplications, programme: voucherProgrammes })
    .from(voucherApplications)
    .innerJoin(voucherProgrammes, eq(voucherProgrammes.id, voucherApplications.programmeId))
    .where(and(inArray(voucherApplications.enterpriseOrgId, enterprises), eq(voucherApplications.status, 'approved')))
    .orderBy(desc(voucherApplications.createdAt), desc(voucherApplications.id));
}

export async function insertUse(tx: DbOrTx, row: typeof voucherUses.$inferInsert) {
  const [u] = await tx.insert(voucherUses).values(row).returning();
  return u!;
}

export async function findAppliedUse(tx: DbOrTx, invoiceId: string) {
  const [row] = await tx
    .select()
    .from(voucherUses)
    .where(and(eq(voucherUses.invoiceId, invoiceId), eq(voucherUses.status, 'applied')));
  return row;
}

export async function findUse(tx: DbOrTx, id: string) {
  const [row] = await tx.select().from(voucherUses).where(eq(voucherUses.id, id));
  return row;
}

export async function markUseRestored(tx: DbOrTx, id: string, at: Date) {
  await tx.update(voucherUses).set({ status: 'restored', restoredAt: at }).where(eq(voucherUses.id, id));
}

/**
 * The service kinds of an invoice's lines: a booking is instrument time, an order its (not removed)
 * lines' kinds, an event seat is training.
 */
export async function serviceKindsOfInvoice(tx: DbOrTx, invoiceId: string): Promise<string[]> {
  const rows = await tx.execute<{ kind: string }>(sql`
    SELECT DISTINCT k.kind FROM (
      SELECT 'instrument_time' AS kind FROM invoice_lines il
       WHERE il.invoice_id = ${invoiceId} AND il.source_kind = 'booking'
      UNION ALL
      SELECT ol.kind::text FROM invoice_lines il
        JOIN order_lines ol ON ol.order_id = il.source_id AND ol.removed_at IS NULL
       WHERE il.invoice_id = ${invoiceId} AND il.source_kind = 'order'
      UNION ALL
      SELECT 'training' FROM invoice_lines il
       WHERE il.invoice_id = ${invoiceId} AND il.source_kind = 'event_registration'
    ) k ORDER BY k.kind`);
  return rows.rows.map((r) => r.kind);
}
