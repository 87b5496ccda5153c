import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  char,
  check,
  date,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uuid,
} from 'drizzle-orm/pg-core';
import { organisations, users } from './orgs.ts';
import { invoices, payments } from './money.ts';

/**
 * Card payments through a licensed processor (Stripe Connect direct charges, issue 11). The money
 * goes from the customer straight to the lab's own connected account; the platform only keeps the
 * account's id, the idempotency keys it used, the events it was told of and what it recorded.
 */

/** A lab's merchant account at a processor (one per lab and processor). */
export const processorAccounts = pgTable(
  'processor_accounts',
  {
    labId: uuid('lab_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'cascade' }),
    processor: text('processor').notNull().default('stripe'),
    accountId: text('account_id').notNull().unique(),
    chargesEnabled: boolean('charges_enabled').notNull().default(false),
    detailsSubmitted: boolean('details_submitted').notNull().default(false),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ name: 'processor_accounts_pk', columns: [t.labId, t.processor] })],
);
export type ProcessorAccount = typeof processorAccounts.$inferSelect;

/**
 * Every call that creates something at the processor is preceded by a row here, committed, naming
 * the idempotency key it is sent with: a retry after a crash or a lost answer sends the same key,
 * so the processor answers with what it did the first time instead of doing it again.
 */
export const processorAttempts = pgTable(
  'processor_attempts',
  {
    idempotencyKey: text('idempotency_key').primaryKey(),
    operation: text('operation').notNull(),
    /** The connected account the call acts on. */
    account: text('account'),
    /** SHA-256 of the parameters: the same key is never sent with other parameters. */
    requestHash: text('request_hash').notNull(),
    response: jsonb('response').$type<Record<string, unknown>>(),
    lastError: text('last_error'),
    tries: integer('tries').notNull().default(0),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    completedAt: timestamp('completed_at', { withTimezone: true }),
  },
  (t) => [index('processor_attempts_operation_idx').on(t.operation, t.createdAt)],
);
export type ProcessorAttempt = typeof processorAttempts.$inferSelect;

/** Webhook events as received (signature verified), stored once by their id; processed by a job. */
export const processorEvents = pgTable(
  'processor_events',
  {
    id: text('id').primaryKey(),
    processor: text('processor').notNull().default('stripe'),
    type: text('type').notNull(),
    account: text('account'),
    /** The object the event is about (a Checkout Session, a PaymentIntent …). */
    objectId: text('object_id'),
    objectType: text('object_type'),
    /** The processor's own creation time of the event. */
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    payload: jsonb('payload').$type<Record<string, unknown>>().notNull(),
    /** "webhook" or "sweep" (found by the daily listing). */
    via: text('via').notNull().default('webhook'),
    receivedAt: timestamp('received_at', { withTimezone: true }).notNull().defaultNow(),
    processedAt: timestamp('processed_at', { withTimezone: true }),
    outcome: text('outcome'),
  },
  (t) => [
    index('processor_events_pending_idx')
      .on(t.receivedAt)
      .where(sql`${t.processedAt} IS NULL`),
  ],
);
export type ProcessorEvent = typeof processorEvents.$inferSelect;

/**
 * A card payment recorded against an invoice, once per processor payment (its PaymentIntent id is
 * the key): events that arrive twice or out of order find it here and record nothing more.
 */
export const cardPayments = pgTable(
  'card_payments',
  {
    externalId: text('external_id').primaryKey(),
    invoiceId: uuid('invoice_id')
      .notNull()
      .references(() => invoices.id),
    labId: uuid('lab_id')
      .notNull()
      .references(() => organisations.id),
    account: text('account').notNull(),
    paymentId: uuid('payment_id')
      .notNull()
      .references(() => payments.id),
    amountFen: bigint('amount_fen', { mode: 'number' }).notNull(),
    feeFen: bigint('fee_fen', { mode: 'number' }).notNull().default(0),
    currency: char('currency', { length: 3 }).notNull(),
    refundedFen: bigint('refunded_fen', { mode: 'number' }).notNull().default(0),
    /** Of the application fee, what the processor gave back to the lab (a refund with its fee). */
    feeRefundedFen: bigint('fee_refunded_fen', { mode: 'number' }).notNull().default(0),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('card_payments_invoice_idx').on(t.invoiceId),
    check('card_payments_refunded', sql`${t.refundedFen} >= 0 AND ${t.refundedFen} <= ${t.amountFen}`),
    check('card_payments_fee_refunded', sql`${t.feeRefundedFen} >= 0 AND ${t.feeRefundedFen} <= ${t.feeFen}`),
  ],
);
export type CardPayment = typeof cardPayments.$inferSelect;

/**
 * Refunds of card payments: written (pending) before the processor is called — its id is the
 * idempotency key — and marked succeeded with its ledger reversal in one transaction afterwards.
 */
export const cardRefunds = pgTable(
  'card_refunds',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    invoiceId: uuid('invoice_id')
      .notNull()
      .references(() => invoices.id),
    externalPaymentId: text('external_payment_id')
      .notNull()
      .references(() => cardPayments.externalId),
    amountFen: bigint('amount_fen', { mode: 'number' }).notNull(),
    currency: char('currency', { length: 3 }).notNull(),
    status: text('status').notNull().default('pending'),
    externalId: text('external_id').unique(),
    requestedBy: uuid('requested_by').references(() => users.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    completedAt: timestamp('completed_at', { withTimezone: true }),
  },
  (t) => [
    index('card_refunds_invoice_idx').on(t.invoiceId),
    check('card_refunds_amount', sql`${t.amountFen} > 0`),
    check('card_refunds_status', sql`${t.status} IN ('pending', 'succeeded', 'failed')`),
  ],
);
export type CardRefund = typeof cardRefunds.$inferSelect;

/** The platform's service fee per region (basis points of a payment, default 0), set by province admins. */
export const platformFeeRates = pgTable(
  'platform_fee_rates',
  {
    regionCode: char('region_code', { length: 6 }).primaryKey(),
    rateBp: integer('rate_bp').notNull().default(0),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    updatedBy: uuid('updated_by').references(() => users.id),
  },
  (t) => [check('platform_fee_rates_bp', sql`${t.rateBp} >= 0 AND ${t.rateBp} <= 10000`)],
);

/**
 * Payouts from a lab's connected account to its bank account, as the processor reports them
 * (payout.paid / payout.failed): once paid the money moves from processor clearing to the bank in
 * the lab's book (bookedAt), and a payout that fails after it was paid (the bank returned it) moves
 * back (reversedAt) — each exactly once, whatever the events' order or repeats.
 */
export const payouts = pgTable(
  'payouts',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    processor: text('processor').notNull().default('stripe'),
    externalId: text('external_id').notNull().unique(),
    labId: uuid('lab_id')
      .notNull()
      .references(() => organisations.id),
    account: text('account').notNull(),
    amountFen: bigint('amount_fen', { mode: 'number' }).notNull(),
    currency: char('currency', { length: 3 }).notNull(),
    /** The processor's status when last read: pending, in_transit, paid, failed, canceled. */
    status: text('status').notNull(),
    arrivalDate: date('arrival_date'),
    bookedAt: timestamp('booked_at', { withTimezone: true }),
    reversedAt: timestamp('reversed_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('payouts_lab_idx').on(t.labId, t.createdAt),
    check('payouts_amount', sql`${t.amountFen} > 0`),
    check('payouts_status', sql`${t.status} IN ('pending', 'in_transit', 'paid', 'failed', 'canceled')`),
    check('payouts_reversed_after_booked', sql`${t.reversedAt} IS NULL OR ${t.bookedAt} IS NOT NULL`),
  ],
);
export type Payout = typeof payouts.$inferSelect;
