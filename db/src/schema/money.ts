import { sql } from 'drizzle-orm';
import {
  bigint,
  bigserial,
  char,
  check,
  date,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  primaryKey,
  text,
  timestamp,
  unique,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { organisations, users } from './orgs.ts';

/**
 * Money (ARCHITECTURE decision 3, issue 11). The platform never holds anyone's money: every invoice
 * is the lab's (or, for a platform's own events and fees, the platform's), payable to the issuer's
 * own account. The platform keeps the books — one ledger book per organisation that invoices.
 */

/** How a lab bills a customer: before work starts, when the report is delivered, or monthly (月结). */
export const billingTerms = pgEnum('billing_terms', ['prepay', 'on_delivery', 'monthly']);
export type BillingTerms = (typeof billingTerms.enumValues)[number];

export const invoiceKind = pgEnum('invoice_kind', ['invoice', 'credit_note']);
export const invoiceStatus = pgEnum('invoice_status', ['open', 'partially_paid', 'paid', 'void']);
export type InvoiceStatus = (typeof invoiceStatus.enumValues)[number];

/**
 * Where an invoice line comes from; with `charge` it names the line exactly once. `platform_fee`:
 * a platform's monthly service fee invoice to a lab (the source is its `platform_fee_invoices` row).
 */
export const chargeSource = pgEnum('charge_source', ['booking', 'order', 'event_registration', 'platform_fee']);
export type ChargeSource = (typeof chargeSource.enumValues)[number];

export const paymentChannel = pgEnum('payment_channel', ['bank_transfer', 'card', 'voucher', 'credit', 'manual']);
export type PaymentChannel = (typeof paymentChannel.enumValues)[number];

/** The bank account an invoice names as payee (the issuer's own account). */
export interface PayeeAccount {
  accountName: string;
  bankName: string;
  accountNumber: string;
}

/** A lab's (or platform's) billing settings: default terms, payee account, VAT rate. */
export const billingSettings = pgTable(
  'billing_settings',
  {
    orgId: uuid('org_id')
      .primaryKey()
      .references(() => organisations.id, { onDelete: 'cascade' }),
    terms: billingTerms('terms').notNull().default('on_delivery'),
    /** Days from the invoice date to its due date (prepay and on-delivery invoices). */
    dueDays: integer('due_days').notNull().default(15),
    /** 月结: days after the month's invoice. */
    monthlyDueDays: integer('monthly_due_days').notNull().default(30),
    /** VAT on the VAT-inclusive prices, basis points (600 = 6 %, the usual rate for testing services). */
    taxRateBp: integer('tax_rate_bp').notNull().default(600),
    accountName: text('account_name').notNull().default(''),
    bankName: text('bank_name').notNull().default(''),
    accountNumber: text('account_number').notNull().default(''),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    check('billing_settings_due', sql`${t.dueDays} BETWEEN 0 AND 365 AND ${t.monthlyDueDays} BETWEEN 0 AND 365`),
    check('billing_settings_tax', sql`${t.taxRateBp} BETWEEN 0 AND 2000`),
  ],
);
export type BillingSettings = typeof billingSettings.$inferSelect;

/** A lab's terms for one customer, overriding its defaults. */
export const customerBillingTerms = pgTable(
  'customer_billing_terms',
  {
    orgId: uuid('org_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'cascade' }),
    customerOrgId: uuid('customer_org_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'cascade' }),
    terms: billingTerms('terms').notNull(),
    dueDays: integer('due_days'),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.customerOrgId] }),
    check('customer_billing_terms_due', sql`${t.dueDays} IS NULL OR ${t.dueDays} BETWEEN 0 AND 365`),
  ],
);

/** Gapless invoice numbers: one row per issuer and year, incremented under its row lock. */
export const invoiceCounters = pgTable(
  'invoice_counters',
  {
    orgId: uuid('org_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'cascade' }),
    year: integer('year').notNull(),
    last: integer('last').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.orgId, t.year] })],
);

export const invoices = pgTable(
  'invoices',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** The issuer: the lab (or platform) whose invoice it is and whose account is paid. */
    labId: uuid('lab_id')
      .notNull()
      .references(() => organisations.id),
    customerOrgId: uuid('customer_org_id')
      .notNull()
      .references(() => organisations.id),
    kind: invoiceKind('kind').notNull().default('invoice'),
    /** "ZD-2026-000001" (invoice) or "HZ-2026-000002" (credit note, 红字); gapless per issuer and year. */
    number: text('number').notNull(),
    year: integer('year').notNull(),
    seq: integer('seq').notNull(),
    creditsInvoiceId: uuid('credits_invoice_id'),
    status: invoiceStatus('status').notNull().default('open'),
    /** VAT-inclusive; negative for a credit note. */
    totalFen: bigint('total_fen', { mode: 'number' }).notNull(),
    /** Part of the total an innovation voucher programme pays (not due from the customer). */
    voucherShareFen: bigint('voucher_share_fen', { mode: 'number' }).notNull().default(0),
    /** Paid by the customer (transfers, card, applied credit). */
    amountPaidFen: bigint('amount_paid_fen', { mode: 'number' }).notNull().default(0),
    /** Taken off by credit notes. */
    amountCreditedFen: bigint('amount_credited_fen', { mode: 'number' }).notNull().default(0),
    currency: char('currency', { length: 3 }).notNull().default('CNY'),
    issuedAt: timestamp('issued_at', { withTimezone: true }).notNull(),
    dueDate: date('due_date').notNull(),
    /** 付款识别码: what the payer writes in the transfer's remark. */
    paymentReference: text('payment_reference').notNull(),
    payee: jsonb('payee').$type<PayeeAccount>().notNull(),
    terms: billingTerms('terms').notNull(),
    reason: text('reason'),
    voidedAt: timestamp('voided_at', { withTimezone: true }),
    paidAt: timestamp('paid_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('invoices_number_uq').on(t.labId, t.number),
    uniqueIndex('invoices_seq_uq').on(t.labId, t.year, t.seq),
    uniqueIndex('invoices_reference_uq').on(t.paymentReference),
    index('invoices_lab_idx').on(t.labId, t.issuedAt),
    index('invoices_customer_idx').on(t.customerOrgId, t.issuedAt),
    index('invoices_open_idx')
      .on(t.labId, t.dueDate)
      .where(sql`${t.status} IN ('open', 'partially_paid')`),
    check(
      'invoices_kind_total',
      sql`(${t.kind} = 'invoice' AND ${t.totalFen} >= 0 AND ${t.creditsInvoiceId} IS NULL) OR (${t.kind} = 'credit_note' AND ${t.totalFen} < 0 AND ${t.creditsInvoiceId} IS NOT NULL)`,
    ),
    check(
      'invoices_amounts',
      sql`${t.voucherShareFen} >= 0 AND ${t.amountPaidFen} >= 0 AND ${t.amountCreditedFen} >= 0 AND (${t.kind} = 'credit_note' OR ${t.voucherShareFen} + ${t.amountPaidFen} + ${t.amountCreditedFen} <= ${t.totalFen})`,
    ),
  ],
);
export type Invoice = typeof invoices.$inferSelect;

/**
 * One chargeable event, exactly once: (source, source id, charge) is unique, so a retry or a second
 * worker inserts nothing. A line waits without an invoice on a monthly account until the month's
 * invoice takes it.
 */
export const invoiceLines = pgTable(
  'invoice_lines',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    labId: uuid('lab_id')
      .notNull()
      .references(() => organisations.id),
    customerOrgId: uuid('customer_org_id')
      .notNull()
      .references(() => organisations.id),
    invoiceId: uuid('invoice_id').references(() => invoices.id),
    sourceKind: chargeSource('source_kind').notNull(),
    sourceId: uuid('source_id').notNull(),
    /** What about the source is charged: "use", "late_cancellation", "no_show", "order", "surcharge_waiver", "cancellation_fee", "cancellation", "registration". */
    charge: text('charge').notNull(),
    descriptionZh: text('description_zh').notNull(),
    descriptionEn: text('description_en').notNull().default(''),
    /** VAT-inclusive, fen; negative on a credit note's line. */
    amountFen: bigint('amount_fen', { mode: 'number' }).notNull(),
    taxRateBp: integer('tax_rate_bp').notNull(),
    currency: char('currency', { length: 3 }).notNull().default('CNY'),
    occurredAt: timestamp('occurred_at', { withTimezone: true }).notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('invoice_lines_source_uq').on(t.sourceKind, t.sourceId, t.charge),
    index('invoice_lines_invoice_idx').on(t.invoiceId),
    index('invoice_lines_unbilled_idx')
      .on(t.labId, t.customerOrgId, t.occurredAt)
      .where(sql`${t.invoiceId} IS NULL`),
  ],
);
export type InvoiceLine = typeof invoiceLines.$inferSelect;

/** Money received against an invoice (or applied from the customer's credit). Append-only. */
export const payments = pgTable(
  'payments',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    labId: uuid('lab_id')
      .notNull()
      .references(() => organisations.id),
    customerOrgId: uuid('customer_org_id')
      .notNull()
      .references(() => organisations.id),
    invoiceId: uuid('invoice_id').references(() => invoices.id),
    channel: paymentChannel('channel').notNull(),
    amountFen: bigint('amount_fen', { mode: 'number' }).notNull(),
    currency: char('currency', { length: 3 }).notNull().default('CNY'),
    receivedOn: date('received_on').notNull(),
    /** The bank statement line, card charge … it came from. */
    bankLineId: uuid('bank_line_id'),
    externalId: text('external_id'),
    recordedBy: uuid('recorded_by').references(() => users.id),
    note: text('note').notNull().default(''),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('payments_invoice_idx').on(t.invoiceId),
    index('payments_lab_idx').on(t.labId, t.receivedOn),
    /** The payments a bank statement line made (the bank-line queue shows them). */
    index('payments_bank_line_idx')
      .on(t.bankLineId)
      .where(sql`${t.bankLineId} IS NOT NULL`),
    check('payments_amount', sql`${t.amountFen} > 0`),
  ],
);
export type Payment = typeof payments.$inferSelect;

/**
 * Ledger accounts: one set per book (the organisation whose books they are), some per counterparty
 * (a customer's receivable). Codes: unbilled, receivable, customer_credit, revenue, vat_output,
 * bank, voucher_receivable, processor_clearing, platform_fee_expense, platform_fee_payable,
 * fee_receivable, fee_revenue.
 */
export const ledgerAccounts = pgTable(
  'ledger_accounts',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    bookOrgId: uuid('book_org_id')
      .notNull()
      .references(() => organisations.id),
    code: text('code').notNull(),
    counterpartyOrgId: uuid('counterparty_org_id').references(() => organisations.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    unique('ledger_accounts_uq').on(t.bookOrgId, t.code, t.counterpartyOrgId).nullsNotDistinct(),
    check('ledger_accounts_code', sql`${t.code} ~ '^[a-z_]{2,40}$'`),
  ],
);
export type LedgerAccount = typeof ledgerAccounts.$inferSelect;

/** One money event in one book; its entries sum to zero (checked by the database at commit). */
export const ledgerTransactions = pgTable(
  'ledger_transactions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    bookOrgId: uuid('book_org_id')
      .notNull()
      .references(() => organisations.id),
    /** "charge", "invoice", "payment", "credit_note", "credit_applied", "overpayment" … */
    kind: text('kind').notNull(),
    sourceKind: text('source_kind').notNull(),
    sourceId: uuid('source_id'),
    memo: text('memo').notNull().default(''),
    postedAt: timestamp('posted_at', { withTimezone: true }).notNull(),
    /** The database transaction that wrote it (txid_current()): entries may be added only in that one. */
    createdXact: bigint('created_xact', { mode: 'number' })
      .notNull()
      .default(sql`txid_current()`),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('ledger_transactions_book_idx').on(t.bookOrgId, t.postedAt),
    index('ledger_transactions_source_idx').on(t.sourceKind, t.sourceId),
  ],
);

/** Signed fen: a debit is positive, a credit negative. Append-only (a trigger refuses edits). */
export const ledgerEntries = pgTable(
  'ledger_entries',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    transactionId: uuid('transaction_id')
      .notNull()
      .references(() => ledgerTransactions.id),
    accountId: uuid('account_id')
      .notNull()
      .references(() => ledgerAccounts.id),
    amountFen: bigint('amount_fen', { mode: 'number' }).notNull(),
    currency: char('currency', { length: 3 }).notNull().default('CNY'),
    /** The invoice a receivable entry belongs to (the sub-ledger of open items). */
    invoiceId: uuid('invoice_id').references(() => invoices.id),
  },
  (t) => [
    index('ledger_entries_transaction_idx').on(t.transactionId),
    index('ledger_entries_account_idx').on(t.accountId),
    index('ledger_entries_invoice_idx')
      .on(t.invoiceId)
      .where(sql`${t.invoiceId} IS NOT NULL`),
    check('ledger_entries_nonzero', sql`${t.amountFen} <> 0`),
  ],
);

export const bankLineStatus = pgEnum('bank_line_status', ['matched', 'suggested', 'unmatched', 'resolved']);
export type BankLineStatus = (typeof bankLineStatus.enumValues)[number];

/** A bank statement a lab (or platform) uploaded: the file's counts, for the answer and the history. */
export const bankStatements = pgTable(
  'bank_statements',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    labId: uuid('lab_id')
      .notNull()
      .references(() => organisations.id),
    uploadedBy: uuid('uploaded_by').references(() => users.id),
    charset: text('charset').notNull(),
    lines: integer('lines').notNull(),
    matched: integer('matched').notNull(),
    suggested: integer('suggested').notNull(),
    unmatched: integer('unmatched').notNull(),
    duplicates: integer('duplicates').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('bank_statements_lab_idx').on(t.labId, t.createdAt)],
);

/**
 * One credit line of a bank statement, once: `line_key` is the bank's 交易流水号 where it gives one,
 * else a hash of (date, amount, counterparty, remark, its occurrence in the file).
 */
export const bankStatementLines = pgTable(
  'bank_statement_lines',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    labId: uuid('lab_id')
      .notNull()
      .references(() => organisations.id),
    statementId: uuid('statement_id')
      .notNull()
      .references(() => bankStatements.id),
    lineKey: text('line_key').notNull(),
    txnDate: date('txn_date').notNull(),
    counterparty: text('counterparty').notNull().default(''),
    counterpartyAccount: text('counterparty_account').notNull().default(''),
    amountFen: bigint('amount_fen', { mode: 'number' }).notNull(),
    remark: text('remark').notNull().default(''),
    status: bankLineStatus('status').notNull(),
    /** A suggestion (amount + payer name, no reference) for a person to confirm. */
    suggestedInvoiceId: uuid('suggested_invoice_id').references(() => invoices.id),
    resolvedBy: uuid('resolved_by').references(() => users.id),
    resolvedAt: timestamp('resolved_at', { withTimezone: true }),
    note: text('note').notNull().default(''),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('bank_statement_lines_key_uq').on(t.labId, t.lineKey),
    index('bank_statement_lines_queue_idx')
      .on(t.labId, t.txnDate)
      .where(sql`${t.status} IN ('suggested', 'unmatched')`),
    check('bank_statement_lines_amount', sql`${t.amountFen} > 0`),
  ],
);
export type BankStatementLine = typeof bankStatementLines.$inferSelect;
