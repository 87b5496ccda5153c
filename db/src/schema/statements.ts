import { sql } from 'drizzle-orm';
import { char, check, customType, index, pgTable, text, timestamp, unique, uuid } from 'drizzle-orm/pg-core';
import { organisations, users } from './orgs.ts';

/** PostgreSQL bytea, read and written as a Node Buffer. */
const bytea = customType<{ data: Buffer; driverData: Buffer }>({ dataType: () => 'bytea' });

/**
 * 对账单 (issue 11): a lab's statement of one calendar month (Asia/Shanghai), or — with a customer —
 * a monthly-account customer's statement with that lab. The three files are stored as built, each
 * with its SHA-256: a rebuild of the same month (twice, or after a worker died halfway) writes the
 * same bytes, because the files carry no build time and every list in them has a stable order.
 */
export const labStatements = pgTable(
  'lab_statements',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    labId: uuid('lab_id')
      .notNull()
      .references(() => organisations.id),
    /** Null: the lab's own statement; set: the statement of this customer's account with the lab. */
    customerOrgId: uuid('customer_org_id').references(() => organisations.id),
    /** "YYYY-MM", a month in Asia/Shanghai. */
    month: char('month', { length: 7 }).notNull(),
    /** The statement as served (text, not jsonb, so its bytes — and its hash — are kept). */
    json: text('json').notNull(),
    jsonSha256: char('json_sha256', { length: 64 }).notNull(),
    pdf: bytea('pdf').notNull(),
    pdfSha256: char('pdf_sha256', { length: 64 }).notNull(),
    xlsx: bytea('xlsx').notNull(),
    xlsxSha256: char('xlsx_sha256', { length: 64 }).notNull(),
    builtAt: timestamp('built_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    unique('lab_statements_uq').on(t.labId, t.customerOrgId, t.month).nullsNotDistinct(),
    check('lab_statements_month', sql`${t.month} ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'`),
  ],
);
export type LabStatement = typeof labStatements.$inferSelect;

/**
 * Something the administrators' reconciliation found wrong, once per (kind, subject): recomputed by
 * a daily job. `clearedAt` is set when a run no longer finds the problem; a problem found again
 * after it cleared opens the row again (resolution and note are reset; the audit log keeps them).
 * A resolved problem that is still there stays resolved: the person who resolved it saw it.
 */
export const reconciliationDiscrepancies = pgTable(
  'reconciliation_discrepancies',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** booking_not_invoiced, booking_overrun, invoice_overdue, bank_line_unmatched … */
    kind: text('kind').notNull(),
    labId: uuid('lab_id')
      .notNull()
      .references(() => organisations.id),
    subjectKind: text('subject_kind').notNull(),
    subjectId: uuid('subject_id').notNull(),
    detectedAt: timestamp('detected_at', { withTimezone: true }).notNull(),
    lastSeenAt: timestamp('last_seen_at', { withTimezone: true }).notNull(),
    clearedAt: timestamp('cleared_at', { withTimezone: true }),
    resolvedAt: timestamp('resolved_at', { withTimezone: true }),
    resolvedBy: uuid('resolved_by').references(() => users.id),
    note: text('note'),
  },
  (t) => [
    unique('reconciliation_discrepancies_uq').on(t.kind, t.subjectId),
    index('reconciliation_discrepancies_lab_idx').on(t.labId, t.detectedAt),
    check('reconciliation_discrepancies_kind', sql`${t.kind} ~ '^[a-z_]{2,40}$'`),
  ],
);
export type ReconciliationDiscrepancy = typeof reconciliationDiscrepancies.$inferSelect;
