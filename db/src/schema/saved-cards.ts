import { sql } from 'drizzle-orm';
import {
  bigint,
  char,
  check,
  index,
  integer,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { invoices } from './money.ts';
import { organisations, users } from './orgs.ts';

/**
 * A card on file (issue 11): a customer saves a card with a lab once (Checkout in setup mode on the
 * lab's connected account) and the lab's booking charges are then made off-session. Only the
 * processor's ids and what a person needs to recognise the card (brand, last four digits, expiry)
 * are kept here — never card data.
 */

/** The customer organisation as a Customer on one lab's connected account (created once). */
export const processorCustomers = pgTable(
  'processor_customers',
  {
    customerOrgId: uuid('customer_org_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'cascade' }),
    labId: uuid('lab_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'cascade' }),
    /** The lab's connected account the Customer lives on. */
    account: text('account').notNull(),
    customerId: text('customer_id').notNull().unique(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ name: 'processor_customers_pk', columns: [t.customerOrgId, t.labId] })],
);

/** A saved card of a customer with a lab; at most one in use per (customer, lab) — a new one replaces it. */
export const savedCards = pgTable(
  'saved_cards',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    customerOrgId: uuid('customer_org_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'cascade' }),
    labId: uuid('lab_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'cascade' }),
    account: text('account').notNull(),
    customerId: text('customer_id').notNull(),
    /** The processor's PaymentMethod id: a card is stored once whichever event brought it. */
    paymentMethodId: text('payment_method_id').notNull().unique(),
    brand: text('brand').notNull(),
    last4: char('last4', { length: 4 }).notNull(),
    expMonth: integer('exp_month').notNull(),
    expYear: integer('exp_year').notNull(),
    savedBy: uuid('saved_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    removedAt: timestamp('removed_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('saved_cards_in_use_uq')
      .on(t.customerOrgId, t.labId)
      .where(sql`${t.removedAt} IS NULL`),
  ],
);
export type SavedCard = typeof savedCards.$inferSelect;

/**
 * The off-session charge of one invoice with a saved card: exactly one per invoice (its key), so the
 * job that makes it can run twice and the processor is asked once (idempotency key
 * `off-session:<invoiceId>`, with the amount and fee stored here so a retry sends the same request).
 */
export const offSessionCharges = pgTable(
  'off_session_charges',
  {
    invoiceId: uuid('invoice_id')
      .primaryKey()
      .references(() => invoices.id),
    savedCardId: uuid('saved_card_id')
      .notNull()
      .references(() => savedCards.id),
    amountFen: bigint('amount_fen', { mode: 'number' }).notNull(),
    feeFen: bigint('fee_fen', { mode: 'number' }).notNull().default(0),
    currency: char('currency', { length: 3 }).notNull(),
    /** pending (asked, or about to be) → succeeded | failed (declined: the customer pays another way). */
    status: text('status').notNull().default('pending'),
    paymentIntentId: text('payment_intent_id'),
    failureCode: text('failure_code'),
    failureMessage: text('failure_message'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('off_session_charges_pending_idx')
      .on(t.createdAt)
      .where(sql`${t.status} = 'pending'`),
    check('off_session_charges_status', sql`${t.status} IN ('pending', 'succeeded', 'failed')`),
    check('off_session_charges_amount', sql`${t.amountFen} > 0`),
  ],
);
export type OffSessionCharge = typeof offSessionCharges.$inferSelect;
