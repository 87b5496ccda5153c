import { sql } from 'drizzle-orm';
import { bigint, char, check, index, integer, pgTable, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { invoices } from './money.ts';
import { organisations } from './orgs.ts';

/**
 * The platform's own service fee (issue 11): once a month a platform invoices each lab of a region
 * with a positive rate for rate × the lab's fee base of the month before (what the lab received by
 * bank transfer, recorded by hand, and from voucher programmes — not by card, whose fee the
 * processor already took as the application fee). One row per (lab, month), inserted in the same
 * transaction as the invoice: a rerun or a second worker finds it and issues nothing.
 */
export const platformFeeInvoices = pgTable(
  'platform_fee_invoices',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    labId: uuid('lab_id')
      .notNull()
      .references(() => organisations.id),
    /** The platform that issues it: the one nearest the region whose rate applies. */
    platformOrgId: uuid('platform_org_id')
      .notNull()
      .references(() => organisations.id),
    /** The month the base was received in, "YYYY-MM" (China time). */
    month: char('month', { length: 7 }).notNull(),
    /** The region whose rate applied, and the rate (basis points). */
    regionCode: char('region_code', { length: 6 }).notNull(),
    rateBp: integer('rate_bp').notNull(),
    baseFen: bigint('base_fen', { mode: 'number' }).notNull(),
    invoiceId: uuid('invoice_id')
      .notNull()
      .references(() => invoices.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('platform_fee_invoices_lab_month_uq').on(t.labId, t.month),
    index('platform_fee_invoices_platform_idx').on(t.platformOrgId, t.month),
    check('platform_fee_invoices_month', sql`${t.month} ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'`),
    check('platform_fee_invoices_rate', sql`${t.rateBp} > 0 AND ${t.rateBp} <= 10000 AND ${t.baseFen} > 0`),
  ],
);
export type PlatformFeeInvoice = typeof platformFeeInvoices.$inferSelect;
