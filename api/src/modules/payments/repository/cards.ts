import { and, eq, isNull, lt, ne, sql } from 'drizzle-orm';
import {
  invoiceLines,
  offSessionCharges,
  organisations,
  processorCustomers,
  savedCards,
  type DbOrTx,
  type OffSessionCharge,
  type SavedCard,
} from '@qihub/db';

// Customers on a lab's account ----------------------------------------------------------------

export async function findCustomer(tx: DbOrTx, customerOrgId: string, labId: string) {
  const [row] = await tx
    .select()
    .from(processorCustomers)
    .where(and(eq(processorCustomers.customerOrgId, customerOrgId), eq(processorCustomers.labId, labId)));
  return row;
}

export async function insertCustomer(tx: DbOrTx, row: typeof processorCustomers.$inferInsert) {
  await tx.insert(processorCustomers).values(row).onConflictDoNothing();
  return (await findCustomer(tx, row.customerOrgId, row.labId))!;
}

export async function orgName(tx: DbOrTx, orgId: string) {
  const [row] = await tx
    .select({ nameZh: organisations.nameZh, nameEn: organisations.nameEn, kind: organisations.kind })
    .from(organisations)
    .where(eq(organisations.id, orgId));
  return row;
}

// Saved cards ----------------------------------------------------------------------------------

const cardColumns = {
  card: savedCards,
  labNameZh: organisations.nameZh,
  labNameEn: organisations.nameEn,
};

/** The cards in use of a customer (optionally with one lab), newest first, with the lab's names. */
export async function cardsOf(tx: DbOrTx, customerOrgId: string, labId?: string) {
  return tx
    .select(cardColumns)
    .from(savedCards)
    .innerJoin(organisations, eq(organisations.id, savedCards.labId))
    .where(
      and(
        eq(savedCards.customerOrgId, customerOrgId),
        isNull(savedCards.removedAt),
        labId ? eq(savedCards.labId, labId) : undefined,
      ),
    )
    .orderBy(sql`${savedCards.createdAt} DESC`, savedCards.id);
}

export async function cardInUse(tx: DbOrTx, customerOrgId: string, labId: string): Promise<SavedCard | undefined> {
  const [row] = await tx
    .select()
    .from(savedCards)
    .where(and(eq(savedCards.customerOrgId, customerOrgId), eq(savedCards.labId, labId), isNull(savedCards.removedAt)));
  return row;
}

export async function findCard(tx: DbOrTx, id: string): Promise<SavedCard | undefined> {
  const [row] = await tx.select().from(savedCards).where(eq(savedCards.id, id));
  return row;
}

export async function findCardByPaymentMethod(tx: DbOrTx, paymentMethodId: string) {
  const [row] = await tx.select().from(savedCards).where(eq(savedCards.paymentMethodId, paymentMethodId));
  return row;
}

/** Serialises saving a card for one (customer, lab): the one in use is replaced, never two at once. */
export async function lockCustomer(tx: DbOrTx, customerOrgId: string, labId: string) {
  await tx
    .select({ id: processorCustomers.customerId })
    .from(processorCustomers)
    .where(and(eq(processorCustomers.customerOrgId, customerOrgId), eq(processorCustomers.labId, labId)))
    .for('update');
}

/** Stores a newly saved card as the one in use, taking the one it replaces out of use. */
export async function saveCard(tx: DbOrTx, row: typeof savedCards.$inferInsert & { createdAt: Date }) {
  await tx
    .update(savedCards)
    .set({ removedAt: row.createdAt })
    .where(
      and(
        eq(savedCards.customerOrgId, row.customerOrgId),
        eq(savedCards.labId, row.labId),
        isNull(savedCards.removedAt),
        ne(savedCards.paymentMethodId, row.paymentMethodId),
      ),
    );
  const [inserted] = await tx.insert(savedCards).values(row).onConflictDoNothing().returning();
  return inserted;
}

export async function removeCard(tx: DbOrTx, id: string, at: Date) {
  const rows = await tx
    .update(savedCards)
    .set({ removedAt: at })
    .where(and(eq(savedCards.id, id), isNull(savedCards.removedAt)))
    .returning({ id: savedCards.id });
  return rows.length > 0;
}

// Off-session charges --------------------------------------------------------------------------

/** The kinds of source an invoice's lines come from (an off-session charge is for bookings only). */
export async function lineSourceKinds(tx: DbOrTx, invoiceId: string): Promise<string[]> {
  const rows = await tx
    .selectDistinct({ kind: invoiceLines.sourceKind })
    .from(invoiceLines)
    .where(eq(invoiceLines.invoiceId, invoiceId));
  return rows.map((r) => r.kind);
}

export async function findOffSessionCharge(tx: DbOrTx, invoiceId: string): Promise<OffSessionCharge | undefined> {
  const [row] = await tx.select().from(offSessionCharges).where(eq(offSessionCharges.invoiceId, invoiceId));
  return row;
}

/** Inserts the invoice's off-session charge unless it has one; answers the stored row either way. */
export async function ensureOffSessionCharge(tx: DbOrTx, row: typeof offSessionCharges.$inferInsert) {
  await tx.insert(offSessionCharges).values(row).onConflictDoNothing();
  return (await findOffSessionCharge(tx, row.invoiceId))!;
}

/** pending → succeeded | failed, once. */
export async function settleOffSessionCharge(
  tx: DbOrTx,
  invoiceId: string,
  patch: {
    status: 'succeeded' | 'failed';
    paymentIntentId: string | null;
    failureCode?: string | null;
    failureMessage?: string | null;
    at: Date;
  },
) {
  const rows = await tx
    .update(offSessionCharges)
    .set({
      status: patch.status,
      paymentIntentId: patch.paymentIntentId,
      failureCode: patch.failureCode ?? null,
      failureMessage: patch.failureMessage?.slice(0, 500) ?? null,
      updatedAt: patch.at,
    })
    .where(and(eq(offSessionCharges.invoiceId, invoiceId), eq(offSessionCharges.status, 'pending')))
    .returning({ invoiceId: offSessionCharges.invoiceId });
  return rows.length > 0;
}

/** Charges still pending since before `before` (the answer was lost and the job gave up): the sweep retries. */
export async function stalePendingOffSession(tx: DbOrTx, before: Date, limit = 100) {
  return tx
    .select({ invoiceId: offSessionCharges.invoiceId })
    .from(offSessionCharges)
    .where(and(eq(offSessionCharges.status, 'pending'), lt(offSessionCharges.createdAt, before)))
    .orderBy(offSessionCharges.createdAt)
    .limit(limit);
}
