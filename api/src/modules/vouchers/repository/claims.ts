import { and, asc, desc, eq, inArray, lt, or, sql, type SQL } from 'drizzle-orm';
import {
  bookings,
  invoiceLines,
  orderLines,
  orders,
  payments,
  reports,
  voucherClaimPayments,
  voucherClaims,
  voucherProgrammes,
  type DbOrTx,
  type VoucherClaim,
  type VoucherClaimStatus,
} from '@qihub/db';
import type { Keyset } from './programmes.ts';

/** Files a claim for a voucher use, once: undefined when that use already has one. */
export async function insertClaimOnce(tx: DbOrTx, row: typeof voucherClaims.$inferInsert) {
  const [c] = await tx.insert(voucherClaims).values(row).onConflictDoNothing().returning();
  return c;
}

export async function findClaim(tx: DbOrTx, id: string, lock = false): Promise<VoucherClaim | undefined> {
  const q = tx.select().from(voucherClaims).where(eq(voucherClaims.id, id));
  const [row] = lock ? await q.for('update') : await q;
  return row;
}

/** A guarded transition (`UPDATE … WHERE status IN … RETURNING`); undefined when the claim was elsewhere. */
export async function transitionClaim(
  tx: DbOrTx,
  id: string,
  from: readonly VoucherClaimStatus[],
  patch: Partial<VoucherClaim>,
) {
  const [row] = await tx
    .update(voucherClaims)
    .set(patch)
    .where(and(eq(voucherClaims.id, id), inArray(voucherClaims.status, [...from])))
    .returning();
  return row;
}

export async function listClaims(
  tx: DbOrTx,
  f: { labId?: string; issuers?: string[]; status?: VoucherClaimStatus; after?: Keyset; limit: number },
) {
  const where: (SQL | undefined)[] = [];
  if (f.labId) where.push(eq(voucherClaims.labId, f.labId));
  if (f.issuers) {
    if (f.issuers.length === 0) return [];
    where.push(inArray(voucherProgrammes.issuerOrgId, f.issuers));
  }
  if (f.status) where.push(eq(voucherClaims.status, f.status));
  if (f.after) {
    where.push(
      or(
        lt(voucherClaims.submittedAt, f.after.createdAt),
        and(eq(voucherClaims.submittedAt, f.after.createdAt), lt(voucherClaims.id, f.after.id)),
      ),
    );
  }
  return tx
    .select({ claim: voucherClaims, programme: voucherProgrammes })
    .from(voucherClaims)
    .innerJoin(voucherProgrammes, eq(voucherProgrammes.id, voucherClaims.programmeId))
    .where(and(...where))
    .orderBy(desc(voucherClaims.submittedAt), desc(voucherClaims.id))
    .limit(f.limit);
}

export async function insertClaimPayment(tx: DbOrTx, row: typeof voucherClaimPayments.$inferInsert) {
  const [p] = await tx.insert(voucherClaimPayments).values(row).returning();
  return p!;
}

/** What an invoice's lines were charged for, with whether that work is done. */
export async function sourcesOfInvoice(tx: DbOrTx, invoiceId: string) {
  const lines = await tx
    .select({ kind: invoiceLines.sourceKind, id: invoiceLines.sourceId, charge: invoiceLines.charge })
    .from(invoiceLines)
    .where(eq(invoiceLines.invoiceId, invoiceId))
    .orderBy(asc(invoiceLines.occurredAt), asc(invoiceLines.id));
  const bookingIds = lines.filter((l) => l.kind === 'booking').map((l) => l.id);
  const orderIds = lines.filter((l) => l.kind === 'order').map((l) => l.id);
  const bs = bookingIds.length ? await tx.select().from(bookings).where(inArray(bookings.id, bookingIds)) : [];
  const os = orderIds.length ? await tx.select().from(orders).where(inArray(orders.id, orderIds)) : [];
  return { lines, bookings: bs, orders: os };
}

export async function orderLinesOf(tx: DbOrTx, orderId: string) {
  return tx
    .select()
    .from(orderLines)
    .where(and(eq(orderLines.orderId, orderId), sql`${orderLines.removedAt} IS NULL`))
    .orderBy(asc(orderLines.position));
}

/** The order's issued reports (newest first), with where their PDFs are stored. */
export async function issuedReportsOf(tx: DbOrTx, orderId: string) {
  return tx
    .select()
    .from(reports)
    .where(and(eq(reports.orderId, orderId), eq(reports.status, 'issued')))
    .orderBy(desc(reports.issuedAt), desc(reports.id));
}

/** What the customer paid on the invoice (transfers, card, applied credit), oldest first. */
export async function customerPaymentsOf(tx: DbOrTx, invoiceId: string) {
  return tx
    .select()
    .from(payments)
    .where(eq(payments.invoiceId, invoiceId))
    .orderBy(asc(payments.createdAt), asc(payments.id));
}

/** "仪器名 (型号)" of a booking's instrument. */
export async function instrumentNameOf(tx: DbOrTx, instrumentId: string) {
  const rows = await tx.execute<{ name_zh: string; name_en: string; model: string | null }>(
    sql`SELECT name_zh, name_en, model FROM instruments WHERE id = ${instrumentId}`,
  );
  return rows.rows[0] ?? { name_zh: '', name_en: '', model: null };
}
