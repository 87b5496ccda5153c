import { and, desc, eq, inArray, like, lt, sql } from 'drizzle-orm';
import {
  cardPayments,
  cardRefunds,
  invoices,
  organisations,
  payments,
  payouts,
  platformFeeRates,
  processorAccounts,
  processorAttempts,
  processorEvents,
  type CardPayment,
  type DbOrTx,
  type Invoice,
  type Payout,
  type ProcessorAttempt,
} from '@qihub/db';

// Merchant accounts ----------------------------------------------------------------------------

export async function findAccount(tx: DbOrTx, labId: string) {
  const [row] = await tx
    .select()
    .from(processorAccounts)
    .where(and(eq(processorAccounts.labId, labId), eq(processorAccounts.processor, 'stripe')));
  return row;
}

export async function accountByExternalId(tx: DbOrTx, accountId: string) {
  const [row] = await tx.select().from(processorAccounts).where(eq(processorAccounts.accountId, accountId));
  return row;
}

export async function insertAccount(
  tx: DbOrTx,
  row: { labId: string; accountId: string; chargesEnabled: boolean; detailsSubmitted: boolean; at: Date },
) {
  await tx
    .insert(processorAccounts)
    .values({
      labId: row.labId,
      accountId: row.accountId,
      chargesEnabled: row.chargesEnabled,
      detailsSubmitted: row.detailsSubmitted,
      processor: 'stripe',
      createdAt: row.at,
      updatedAt: row.at,
    })
    .onConflictDoNothing();
  return (await findAccount(tx, row.labId))!;
}

export async function updateAccountStatus(
  tx: DbOrTx,
  accountId: string,
  s: { chargesEnabled: boolean; detailsSubmitted: boolean; at: Date },
) {
  await tx
    .update(processorAccounts)
    .set({ chargesEnabled: s.chargesEnabled, detailsSubmitted: s.detailsSubmitted, updatedAt: s.at })
    .where(eq(processorAccounts.accountId, accountId));
}

export async function allAccounts(tx: DbOrTx) {
  return tx.select().from(processorAccounts).orderBy(processorAccounts.labId);
}

export async function labFacts(tx: DbOrTx, labId: string) {
  const [row] = await tx
    .select({ nameZh: organisations.nameZh, nameEn: organisations.nameEn, regionCode: organisations.regionCode })
    .from(organisations)
    .where(eq(organisations.id, labId));
  return row;
}

/** The most specific rate set for the region: the county's, else its city's, else its province's. */
export async function feeRateBp(tx: DbOrTx, regionCode: string): Promise<number> {
  const candidates = [regionCode, `${regionCode.slice(0, 4)}00`, `${regionCode.slice(0, 2)}0000`];
  const rows = await tx
    .select({ regionCode: platformFeeRates.regionCode, rateBp: platformFeeRates.rateBp })
    .from(platformFeeRates)
    .where(inArray(platformFeeRates.regionCode, candidates));
  for (const c of candidates) {
    const hit = rows.find((r) => r.regionCode === c);
    if (hit) return hit.rateBp;
  }
  return 0;
}

export async function setFeeRate(tx: DbOrTx, regionCode: string, rateBp: number, by: string | null, at: Date) {
  await tx
    .insert(platformFeeRates)
    .values({ regionCode, rateBp, updatedBy: by, updatedAt: at })
    .onConflictDoUpdate({ target: platformFeeRates.regionCode, set: { rateBp, updatedBy: by, updatedAt: at } });
}

// Idempotency attempts -------------------------------------------------------------------------

/** Inserts the attempt unless its key is already there; returns the stored row either way. */
export async function ensureAttempt(
  tx: DbOrTx,
  row: { idempotencyKey: string; operation: string; account: string | null; requestHash: string },
): Promise<ProcessorAttempt> {
  await tx.insert(processorAttempts).values(row).onConflictDoNothing();
  const [stored] = await tx
    .select()
    .from(processorAttempts)
    .where(eq(processorAttempts.idempotencyKey, row.idempotencyKey));
  return stored!;
}

export async function completeAttempt(tx: DbOrTx, key: string, response: Record<string, unknown>, at: Date) {
  await tx
    .update(processorAttempts)
    .set({ response, completedAt: at, lastError: null, tries: sql`${processorAttempts.tries} + 1` })
    .where(eq(processorAttempts.idempotencyKey, key));
}

export async function failAttempt(tx: DbOrTx, key: string, error: string) {
  await tx
    .update(processorAttempts)
    .set({ lastError: error.slice(0, 500), tries: sql`${processorAttempts.tries} + 1` })
    .where(eq(processorAttempts.idempotencyKey, key));
}

/** The latest attempt whose key starts with `prefix` (e.g. all checkouts of one invoice and amount). */
export async function latestAttempt(tx: DbOrTx, prefix: string) {
  const rows = await tx
    .select()
    .from(processorAttempts)
    .where(like(processorAttempts.idempotencyKey, `${prefix.replace(/[\\%_]/g, '\\$&')}%`))
    .orderBy(desc(processorAttempts.createdAt), desc(processorAttempts.idempotencyKey));
  return { latest: rows[0], count: rows.length };
}

// Webhook events -------------------------------------------------------------------------------

export async function insertEvent(
  tx: DbOrTx,
  row: {
    id: string;
    type: string;
    account: string | null;
    objectId: string | null;
    objectType: string | null;
    createdAt: Date;
    payload: Record<string, unknown>;
    via: string;
    receivedAt: Date;
  },
): Promise<boolean> {
  const inserted = await tx
    .insert(processorEvents)
    .values({ ...row, processor: 'stripe' })
    .onConflictDoNothing()
    .returning({ id: processorEvents.id });
  return inserted.length > 0;
}

export async function findEvent(tx: DbOrTx, id: string) {
  const [row] = await tx.select().from(processorEvents).where(eq(processorEvents.id, id));
  return row;
}

export async function markEventProcessed(tx: DbOrTx, id: string, outcome: string, at: Date) {
  await tx
    .update(processorEvents)
    .set({ processedAt: at, outcome })
    .where(and(eq(processorEvents.id, id), sql`${processorEvents.processedAt} IS NULL`));
}

// Invoices and card payments -------------------------------------------------------------------

export async function findInvoice(tx: DbOrTx, id: string, lock = false): Promise<Invoice | undefined> {
  const q = tx.select().from(invoices).where(eq(invoices.id, id));
  const [row] = lock ? await q.for('update') : await q;
  return row;
}

export async function findCardPayment(tx: DbOrTx, externalId: string, lock = false) {
  const q = tx.select().from(cardPayments).where(eq(cardPayments.externalId, externalId));
  const [row] = lock ? await q.for('update') : await q;
  return row;
}

export async function cardPaymentsOf(tx: DbOrTx, invoiceId: string, lock = false): Promise<CardPayment[]> {
  const q = tx
    .select()
    .from(cardPayments)
    .where(eq(cardPayments.invoiceId, invoiceId))
    .orderBy(cardPayments.createdAt, cardPayments.externalId);
  return lock ? q.for('update') : q;
}

/** The payment row `recordPayment` just wrote for this processor payment. */
export async function paymentIdFor(tx: DbOrTx, invoiceId: string, externalId: string) {
  const [row] = await tx
    .select({ id: payments.id })
    .from(payments)
    .where(and(eq(payments.invoiceId, invoiceId), eq(payments.externalId, externalId), eq(payments.channel, 'card')));
  return row?.id;
}

export async function insertCardPayment(tx: DbOrTx, row: typeof cardPayments.$inferInsert) {
  await tx.insert(cardPayments).values(row);
}

export async function addRefunded(tx: DbOrTx, externalId: string, amount: number) {
  await tx
    .update(cardPayments)
    .set({ refundedFen: sql`${cardPayments.refundedFen} + ${amount}` })
    .where(eq(cardPayments.externalId, externalId));
}

export async function addFeeRefunded(tx: DbOrTx, externalId: string, amount: number) {
  await tx
    .update(cardPayments)
    .set({ feeRefundedFen: sql`${cardPayments.feeRefundedFen} + ${amount}` })
    .where(eq(cardPayments.externalId, externalId));
}

/**
 * The platform whose book the lab's application fees go to: the most specific active platform
 * whose region covers the lab's (a county's station, else its city's, else its province's).
 */
export async function platformOfLab(tx: DbOrTx, labId: string): Promise<string | null> {
  const { rows } = await tx.execute<{ id: string }>(sql`
    SELECT p.id FROM organisations p JOIN organisations l ON l.id = ${labId}::uuid
     WHERE p.kind = 'platform' AND p.status = 'active'
       AND l.region_code LIKE (CASE WHEN p.region_code LIKE '%0000' THEN left(p.region_code, 2)
                                    WHEN p.region_code LIKE '%00' THEN left(p.region_code, 4)
                                    ELSE p.region_code END) || '%'
     ORDER BY (p.region_code LIKE '%0000'), (p.region_code LIKE '%00'), p.created_at, p.id
     LIMIT 1`);
  return rows[0]?.id ?? null;
}

/** After a refund beyond the customer's credit: less paid, so the invoice is due again (in part). */
export async function reducePaid(tx: DbOrTx, inv: Invoice, amount: number, at: Date) {
  const paid = inv.amountPaidFen - amount;
  const due = inv.totalFen - inv.voucherShareFen - paid - inv.amountCreditedFen;
  const status = inv.status === 'void' ? 'void' : due > 0 ? (paid > 0 ? 'partially_paid' : 'open') : inv.status;
  await tx
    .update(invoices)
    .set({ amountPaidFen: paid, status, paidAt: status === 'paid' ? inv.paidAt : null, updatedAt: at })
    .where(eq(invoices.id, inv.id));
}

// Refunds --------------------------------------------------------------------------------------

export async function insertRefund(tx: DbOrTx, row: typeof cardRefunds.$inferInsert) {
  const [r] = await tx.insert(cardRefunds).values(row).returning();
  return r!;
}

/**
 * A refund of the invoice still in doubt for whoever asked for it: pending, or made through QIHub
 * and completed from the processor's side (its webhook event, the sweep) while the call's own
 * answer was lost — the requester never saw it succeed, so the same request retries it, and it
 * does not refund again.
 */
const inDoubt = sql`(${cardRefunds.status} = 'pending' OR (${cardRefunds.status} = 'succeeded'
  AND ${cardRefunds.requestedBy} IS NOT NULL
  AND EXISTS (SELECT 1 FROM ${processorAttempts} a
               WHERE a.idempotency_key = 'refund:' || ${cardRefunds.id}::text AND a.response IS NULL)))`;

export async function pendingRefund(tx: DbOrTx, invoiceId: string) {
  const [row] = await tx
    .select()
    .from(cardRefunds)
    .where(and(eq(cardRefunds.invoiceId, invoiceId), inDoubt))
    .orderBy(cardRefunds.createdAt);
  return row;
}

/** Refunds in doubt since before `before` (their answer was lost): the sweep retries them. */
export async function stalePendingRefunds(tx: DbOrTx, before: Date, limit = 100) {
  return tx
    .select()
    .from(cardRefunds)
    .where(and(inDoubt, lt(cardRefunds.createdAt, before)))
    .orderBy(cardRefunds.createdAt)
    .limit(limit);
}

export async function lockPendingRefund(tx: DbOrTx, id: string) {
  const [row] = await tx
    .select()
    .from(cardRefunds)
    .where(and(eq(cardRefunds.id, id), eq(cardRefunds.status, 'pending')))
    .for('update');
  return row;
}

/** The refund with this processor id (made through QIHub or seen from the processor), if recorded. */
export async function refundByExternalId(tx: DbOrTx, externalId: string) {
  const [row] = await tx.select().from(cardRefunds).where(eq(cardRefunds.externalId, externalId));
  return row;
}

/** The processor refused it: nothing was refunded, and it no longer blocks the invoice's refunds. */
export async function failRefund(tx: DbOrTx, id: string, at: Date) {
  await tx
    .update(cardRefunds)
    .set({ status: 'failed', completedAt: at })
    .where(and(eq(cardRefunds.id, id), eq(cardRefunds.status, 'pending')));
}

export async function completeRefund(tx: DbOrTx, id: string, externalId: string, at: Date) {
  await tx.update(cardRefunds).set({ status: 'succeeded', externalId, completedAt: at }).where(eq(cardRefunds.id, id));
}

// Payouts ----------------------------------------------------------------------------------------

/** The payout row, inserted if new, locked for the caller's transaction. */
export async function lockPayout(
  tx: DbOrTx,
  row: Omit<typeof payouts.$inferInsert, 'id' | 'bookedAt' | 'reversedAt'>,
): Promise<Payout> {
  await tx.insert(payouts).values(row).onConflictDoNothing();
  const [stored] = await tx.select().from(payouts).where(eq(payouts.externalId, row.externalId)).for('update');
  return stored!;
}

export async function updatePayout(
  tx: DbOrTx,
  id: string,
  set: Partial<Pick<Payout, 'status' | 'arrivalDate' | 'bookedAt' | 'reversedAt' | 'updatedAt'>>,
) {
  await tx.update(payouts).set(set).where(eq(payouts.id, id));
}
