import { and, desc, eq, inArray, isNull, lt, or, sql, type SQL } from 'drizzle-orm';
import {
  billingSettings,
  customerBillingTerms,
  invoiceCounters,
  invoiceLines,
  invoices,
  organisations,
  payments,
  type BillingSettings,
  type DbOrTx,
  type Invoice,
  type InvoiceLine,
} from '@qihub/db';

export async function findSettings(tx: DbOrTx, orgId: string) {
  const [row] = await tx.select().from(billingSettings).where(eq(billingSettings.orgId, orgId));
  return row;
}

/** The issuer's settings, its terms for this customer and the customer's credit with it, in one round trip (either may be missing). */
export async function findTermsRows(tx: DbOrTx, orgId: string, customerOrgId: string) {
  const rows = await tx.execute<{
    terms: BillingSettings['terms'] | null;
    due_days: number | null;
    monthly_due_days: number | null;
    tax_rate_bp: number | null;
    account_name: string | null;
    bank_name: string | null;
    account_number: string | null;
    own_terms: BillingSettings['terms'] | null;
    own_due_days: number | null;
    customer_credit: string | null;
  }>(sql`
    SELECT s.terms, s.due_days, s.monthly_due_days, s.tax_rate_bp, s.account_name, s.bank_name, s.account_number,
           c.terms AS own_terms, c.due_days AS own_due_days,
           (SELECT -COALESCE(sum(e.amount_fen), 0) FROM ledger_accounts a JOIN ledger_entries e ON e.account_id = a.id
             WHERE a.book_org_id = ${orgId}::uuid AND a.code = 'customer_credit'
               AND a.counterparty_org_id = ${customerOrgId}::uuid) AS customer_credit
      FROM (SELECT 1) one
      LEFT JOIN billing_settings s ON s.org_id = ${orgId}::uuid
      LEFT JOIN customer_billing_terms c ON c.org_id = ${orgId}::uuid AND c.customer_org_id = ${customerOrgId}::uuid`);
  return rows.rows[0]!;
}

export async function findCustomerTerms(tx: DbOrTx, orgId: string, customerOrgId: string) {
  const [row] = await tx
    .select()
    .from(customerBillingTerms)
    .where(and(eq(customerBillingTerms.orgId, orgId), eq(customerBillingTerms.customerOrgId, customerOrgId)));
  return row;
}

/** Inserts the line unless (source, id, charge) is already there; undefined when it was. */
export async function insertLineOnce(tx: DbOrTx, line: typeof invoiceLines.$inferInsert) {
  const [row] = await tx.insert(invoiceLines).values(line).onConflictDoNothing().returning();
  return row;
}

export async function findLine(tx: DbOrTx, sourceKind: InvoiceLine['sourceKind'], sourceId: string, charge: string) {
  const [row] = await tx
    .select()
    .from(invoiceLines)
    .where(
      and(
        eq(invoiceLines.sourceKind, sourceKind),
        eq(invoiceLines.sourceId, sourceId),
        eq(invoiceLines.charge, charge),
        isNull(invoiceLines.supersededAt),
      ),
    );
  return row;
}

/**
 * Inserts an invoice with a fresh payment reference, drawing again on the (rare) clash. With `seq`
 * 0 and `number` its prefix, the insert takes the issuer's next number itself (the
 * `invoices_take_number` trigger, under the counter row's lock until commit); a clash gives that
 * number back — nobody else can have taken one since, the lock is ours — so numbers stay gapless.
 */
export async function insertInvoice(
  tx: DbOrTx,
  row: Omit<typeof invoices.$inferInsert, 'paymentReference'>,
  reference: () => string,
): Promise<Invoice> {
  for (;;) {
    const [inv] = await tx
      .insert(invoices)
      .values({ ...row, paymentReference: reference() })
      .onConflictDoNothing({ target: invoices.paymentReference })
      .returning();
    if (inv) return inv;
    if (row.seq === 0) {
      await tx
        .update(invoiceCounters)
        .set({ last: sql`${invoiceCounters.last} - 1` })
        .where(and(eq(invoiceCounters.orgId, row.labId), eq(invoiceCounters.year, row.year)));
    }
  }
}

export async function attachLines(tx: DbOrTx, invoiceId: string, lineIds: string[]) {
  if (lineIds.length === 0) return;
  await tx.update(invoiceLines).set({ invoiceId }).where(inArray(invoiceLines.id, lineIds));
}

export async function findInvoice(tx: DbOrTx, id: string, lock = false) {
  const q = tx.select().from(invoices).where(eq(invoices.id, id));
  const [row] = lock ? await q.for('update') : await q;
  return row;
}

export async function linesOf(tx: DbOrTx, invoiceIds: string[]) {
  if (invoiceIds.length === 0) return [];
  return tx
    .select()
    .from(invoiceLines)
    .where(inArray(invoiceLines.invoiceId, invoiceIds))
    .orderBy(invoiceLines.occurredAt, invoiceLines.id);
}

/** Sets the invoice's money columns and status; the caller holds its row lock. */
export async function updateInvoice(tx: DbOrTx, id: string, patch: Partial<Invoice>) {
  const [row] = await tx.update(invoices).set(patch).where(eq(invoices.id, id)).returning();
  return row!;
}

export async function insertPayment(tx: DbOrTx, row: typeof payments.$inferInsert) {
  const [p] = await tx.insert(payments).values(row).returning();
  return p!;
}

/** The payments of these invoices, oldest first (one query for a whole page of invoices). */
export async function paymentsOf(tx: DbOrTx, invoiceIds: string[]) {
  if (invoiceIds.length === 0) return [];
  return tx.select().from(payments).where(inArray(payments.invoiceId, invoiceIds)).orderBy(payments.createdAt);
}

export interface InvoiceFilter {
  /** Organisations whose invoices the caller sees as customer. */
  customerOrgs: string[];
  /** Issuers whose invoices the caller sees (its labs). */
  labs: string[];
  status?: Invoice['status'];
  labId?: string;
  customerOrgId?: string;
  from?: string;
  to?: string;
  after?: { issuedAt: Date; id: string };
  limit: number;
}

export async function listInvoices(tx: DbOrTx, f: InvoiceFilter) {
  const seen: SQL[] = [];
  if (f.customerOrgs.length > 0) seen.push(inArray(invoices.customerOrgId, f.customerOrgs));
  if (f.labs.length > 0) seen.push(inArray(invoices.labId, f.labs));
  if (seen.length === 0) return [];
  const where: (SQL | undefined)[] = [or(...seen)];
  if (f.status) where.push(eq(invoices.status, f.status));
  if (f.labId) where.push(eq(invoices.labId, f.labId));
  if (f.customerOrgId) where.push(eq(invoices.customerOrgId, f.customerOrgId));
  if (f.from) where.push(sql`${invoices.issuedAt} >= (${f.from}::date)::timestamp AT TIME ZONE 'Asia/Shanghai'`);
  if (f.to) where.push(sql`${invoices.issuedAt} < (${f.to}::date + 1)::timestamp AT TIME ZONE 'Asia/Shanghai'`);
  if (f.after) {
    where.push(
      or(
        lt(invoices.issuedAt, f.after.issuedAt),
        and(eq(invoices.issuedAt, f.after.issuedAt), lt(invoices.id, f.after.id)),
      ),
    );
  }
  return tx
    .select()
    .from(invoices)
    .where(and(...where))
    .orderBy(desc(invoices.issuedAt), desc(invoices.id))
    .limit(f.limit);
}

/** "<instrument> · 2026-11-27 09:00–11:00" for a booking's lines. */
export async function bookingLabel(tx: DbOrTx, bookingId: string) {
  const rows = await tx.execute<{ name_zh: string; name_en: string; day: string; t0: string; t1: string }>(sql`
    SELECT i.name_zh, i.name_en,
           to_char(b.starts_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD') AS day,
           to_char(b.starts_at AT TIME ZONE 'Asia/Shanghai', 'HH24:MI') AS t0,
           to_char(b.ends_at AT TIME ZONE 'Asia/Shanghai', 'HH24:MI') AS t1
      FROM bookings b JOIN instruments i ON i.id = b.instrument_id
     WHERE b.id = ${bookingId}`);
  const r = rows.rows[0];
  return r
    ? { zh: `${r.name_zh} ${r.day} ${r.t0}–${r.t1}`, en: `${r.name_en || r.name_zh} ${r.day} ${r.t0}–${r.t1}` }
    : { zh: '', en: '' };
}

/** Creates or replaces the issuer's billing settings. */
export async function upsertSettings(tx: DbOrTx, row: typeof billingSettings.$inferInsert) {
  const { orgId: _orgId, ...set } = row;
  const [saved] = await tx
    .insert(billingSettings)
    .values(row)
    .onConflictDoUpdate({ target: billingSettings.orgId, set })
    .returning();
  return saved!;
}

/** The issuer's per-customer terms with the customers' names, by customer name. */
export async function listCustomerTerms(tx: DbOrTx, orgId: string) {
  return tx
    .select({
      customerOrgId: customerBillingTerms.customerOrgId,
      terms: customerBillingTerms.terms,
      dueDays: customerBillingTerms.dueDays,
      updatedAt: customerBillingTerms.updatedAt,
      nameZh: organisations.nameZh,
      nameEn: organisations.nameEn,
    })
    .from(customerBillingTerms)
    .innerJoin(organisations, eq(organisations.id, customerBillingTerms.customerOrgId))
    .where(eq(customerBillingTerms.orgId, orgId))
    .orderBy(organisations.nameZh, customerBillingTerms.customerOrgId);
}

export async function upsertCustomerTerms(tx: DbOrTx, row: typeof customerBillingTerms.$inferInsert) {
  const [saved] = await tx
    .insert(customerBillingTerms)
    .values(row)
    .onConflictDoUpdate({
      target: [customerBillingTerms.orgId, customerBillingTerms.customerOrgId],
      set: { terms: row.terms, dueDays: row.dueDays ?? null, updatedAt: row.updatedAt },
    })
    .returning();
  return saved!;
}

export async function deleteCustomerTerms(tx: DbOrTx, orgId: string, customerOrgId: string) {
  const rows = await tx
    .delete(customerBillingTerms)
    .where(and(eq(customerBillingTerms.orgId, orgId), eq(customerBillingTerms.customerOrgId, customerOrgId)))
    .returning();
  return rows[0];
}

export async function findOrganisation(tx: DbOrTx, id: string) {
  const [row] = await tx
    .select({
      id: organisations.id,
      kind: organisations.kind,
      nameZh: organisations.nameZh,
      nameEn: organisations.nameEn,
    })
    .from(organisations)
    .where(eq(organisations.id, id));
  return row;
}

/** Credit notes issued against an invoice. */
export async function countCreditNotes(tx: DbOrTx, invoiceId: string) {
  const rows = await tx
    .select({ id: invoices.id })
    .from(invoices)
    .where(eq(invoices.creditsInvoiceId, invoiceId))
    .limit(1);
  return rows.length;
}

/** The invoice of an order's charge (its `order` line), if it has one. */
export async function invoiceOfOrder(tx: DbOrTx, orderId: string) {
  const [row] = await tx
    .select({ invoice: invoices })
    .from(invoiceLines)
    .innerJoin(invoices, eq(invoices.id, invoiceLines.invoiceId))
    .where(
      and(
        eq(invoiceLines.sourceKind, 'order'),
        eq(invoiceLines.sourceId, orderId),
        eq(invoiceLines.charge, 'order'),
        isNull(invoiceLines.supersededAt),
      ),
    );
  return row?.invoice;
}

/**
 * The orders that wait in `accepted` for this prepay invoice (its `order` lines), locked: voiding the
 * invoice must decide what becomes of them.
 */
export async function lockOrdersAwaiting(tx: DbOrTx, invoiceId: string): Promise<string[]> {
  const { rows } = await tx.execute<{ id: string }>(sql`
    SELECT o.id FROM invoice_lines l
      JOIN invoices i ON i.id = l.invoice_id
      JOIN orders o ON o.id = l.source_id
     WHERE l.invoice_id = ${invoiceId}::uuid AND l.source_kind = 'order' AND l.charge = 'order'
       AND l.superseded_at IS NULL AND i.terms = 'prepay' AND o.status = 'accepted'
     ORDER BY o.id
       FOR UPDATE OF o`);
  return rows.map((r) => r.id);
}

/** Marks a void invoice's lines superseded (they are billed again on new lines) and returns them. */
export async function supersedeLines(tx: DbOrTx, invoiceId: string, at: Date) {
  return tx
    .update(invoiceLines)
    .set({ supersededAt: at })
    .where(and(eq(invoiceLines.invoiceId, invoiceId), isNull(invoiceLines.supersededAt)))
    .returning();
}

/** The order ids charged on an invoice (lines from source kind `order`). */
export async function orderIdsOf(tx: DbOrTx, invoiceId: string): Promise<string[]> {
  const rows = await tx
    .selectDistinct({ id: invoiceLines.sourceId })
    .from(invoiceLines)
    .where(and(eq(invoiceLines.invoiceId, invoiceId), eq(invoiceLines.sourceKind, 'order')));
  return rows.map((r) => r.id);
}

/**
 * (issuer, customer) pairs with lines not on any invoice (only a monthly account leaves a line
 * uninvoiced) that occurred before `before`. Ordered, so every worker walks them the same way.
 */
export async function unbilledPairs(tx: DbOrTx, before: Date) {
  return tx
    .selectDistinct({ labId: invoiceLines.labId, customerOrgId: invoiceLines.customerOrgId })
    .from(invoiceLines)
    .where(and(isNull(invoiceLines.invoiceId), lt(invoiceLines.occurredAt, before)))
    .orderBy(invoiceLines.labId, invoiceLines.customerOrgId);
}

/**
 * Serialises monthly invoicing of one (issuer, customer) for the rest of the transaction: a second
 * worker waits here and then finds the lines already invoiced.
 */
export async function lockMonthlyAccount(tx: DbOrTx, labId: string, customerOrgId: string) {
  await tx.execute(sql`SELECT pg_advisory_xact_lock(hashtextextended(${`monthly:${labId}:${customerOrgId}`}, 0))`);
}

/** The pair's lines not on any invoice that occurred before `before`, locked. */
export async function lockUnbilledLines(tx: DbOrTx, labId: string, customerOrgId: string, before: Date) {
  return tx
    .select()
    .from(invoiceLines)
    .where(
      and(
        eq(invoiceLines.labId, labId),
        eq(invoiceLines.customerOrgId, customerOrgId),
        isNull(invoiceLines.invoiceId),
        lt(invoiceLines.occurredAt, before),
      ),
    )
    .orderBy(invoiceLines.occurredAt, invoiceLines.id)
    .for('update');
}

/** Serialises spending one customer's credit with one issuer, until the transaction ends. */
export async function lockCustomerCredit(tx: DbOrTx, labId: string, customerOrgId: string) {
  await tx.execute(
    sql`SELECT pg_advisory_xact_lock(hashtextextended(${`customer-credit:${labId}:${customerOrgId}`}, 0))`,
  );
}
