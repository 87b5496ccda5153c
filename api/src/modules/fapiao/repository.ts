import { and, desc, eq, inArray, lt, or, type SQL } from 'drizzle-orm';
import {
  fapiaoRequests,
  fapiaoTitles,
  invoiceLines,
  invoices,
  organisations,
  type DbOrTx,
  type FapiaoRequest,
  type FapiaoRequestStatus,
} from '@qihub/db';

export async function findOrganisation(tx: DbOrTx, orgId: string) {
  const [row] = await tx
    .select({ id: organisations.id, nameZh: organisations.nameZh, creditCode: organisations.creditCode })
    .from(organisations)
    .where(eq(organisations.id, orgId));
  return row;
}

export async function findTitle(tx: DbOrTx, orgId: string) {
  const [row] = await tx.select().from(fapiaoTitles).where(eq(fapiaoTitles.orgId, orgId));
  return row;
}

export async function upsertTitle(tx: DbOrTx, row: typeof fapiaoTitles.$inferInsert) {
  const { orgId: _key, ...rest } = row;
  const [saved] = await tx
    .insert(fapiaoTitles)
    .values(row)
    .onConflictDoUpdate({ target: fapiaoTitles.orgId, set: rest })
    .returning();
  return saved!;
}

/** The invoice under its row lock, so its status cannot change while a request is taken. */
export async function lockInvoice(tx: DbOrTx, id: string) {
  const [row] = await tx.select().from(invoices).where(eq(invoices.id, id)).for('update');
  return row;
}

export async function invoiceLinesOf(tx: DbOrTx, invoiceId: string) {
  return tx
    .select({ amountFen: invoiceLines.amountFen, taxRateBp: invoiceLines.taxRateBp })
    .from(invoiceLines)
    .where(eq(invoiceLines.invoiceId, invoiceId));
}

export async function liveRequestOf(tx: DbOrTx, invoiceId: string) {
  const [row] = await tx
    .select({ id: fapiaoRequests.id })
    .from(fapiaoRequests)
    .where(and(eq(fapiaoRequests.invoiceId, invoiceId), inArray(fapiaoRequests.status, ['pending', 'issued'])));
  return row;
}

export async function insertRequest(tx: DbOrTx, row: typeof fapiaoRequests.$inferInsert) {
  const [saved] = await tx.insert(fapiaoRequests).values(row).returning();
  return saved!;
}

export async function lockRequest(tx: DbOrTx, id: string) {
  const [row] = await tx.select().from(fapiaoRequests).where(eq(fapiaoRequests.id, id)).for('update');
  return row;
}

/** Moves a pending request on; undefined when it is no longer pending (the guard is in the statement). */
export async function decidePending(tx: DbOrTx, id: string, patch: Partial<FapiaoRequest>) {
  const [row] = await tx
    .update(fapiaoRequests)
    .set(patch)
    .where(and(eq(fapiaoRequests.id, id), eq(fapiaoRequests.status, 'pending')))
    .returning();
  return row;
}

export interface RequestFilter {
  labId?: string;
  customerOrgs?: string[];
  status?: FapiaoRequestStatus;
  invoiceId?: string;
  after?: { requestedAt: Date; id: string };
  limit: number;
  /** Oldest first (the export, in the order they came in) rather than newest first. */
  oldestFirst?: boolean;
}

/** Requests with their invoice's number, newest first (or oldest first for the export). */
export async function listRequests(tx: DbOrTx, f: RequestFilter) {
  const where: (SQL | undefined)[] = [];
  if (f.labId) where.push(eq(fapiaoRequests.labId, f.labId));
  if (f.customerOrgs) {
    if (f.customerOrgs.length === 0) return [];
    where.push(inArray(fapiaoRequests.customerOrgId, f.customerOrgs));
  }
  if (f.status) where.push(eq(fapiaoRequests.status, f.status));
  if (f.invoiceId) where.push(eq(fapiaoRequests.invoiceId, f.invoiceId));
  if (f.after) {
    where.push(
      or(
        lt(fapiaoRequests.requestedAt, f.after.requestedAt),
        and(eq(fapiaoRequests.requestedAt, f.after.requestedAt), lt(fapiaoRequests.id, f.after.id)),
      ),
    );
  }
  const order = f.oldestFirst
    ? [fapiaoRequests.requestedAt, fapiaoRequests.id]
    : [desc(fapiaoRequests.requestedAt), desc(fapiaoRequests.id)];
  return tx
    .select({ request: fapiaoRequests, invoiceNumber: invoices.number })
    .from(fapiaoRequests)
    .innerJoin(invoices, eq(invoices.id, fapiaoRequests.invoiceId))
    .where(and(...where))
    .orderBy(...order)
    .limit(f.limit);
}

export async function findRequestWithNumber(tx: DbOrTx, id: string) {
  const [row] = await tx
    .select({ request: fapiaoRequests, invoiceNumber: invoices.number })
    .from(fapiaoRequests)
    .innerJoin(invoices, eq(invoices.id, fapiaoRequests.invoiceId))
    .where(eq(fapiaoRequests.id, id));
  return row;
}
