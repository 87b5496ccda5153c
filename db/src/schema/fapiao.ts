import { sql } from 'drizzle-orm';
import {
  bigint,
  char,
  check,
  date,
  index,
  jsonb,
  pgEnum,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { invoices } from './money.ts';
import { organisations, users } from './orgs.ts';

/**
 * Fapiao (发票, issue 11). The VAT invoice itself is issued by the lab in the national tax system;
 * the platform keeps the buyer's title, takes the customer's request and records what the lab says
 * it issued. It never talks to the tax system.
 */

/** 普通发票 (ordinary: name and taxpayer number) or 增值税专用发票 (special: every field of the title). */
export const fapiaoType = pgEnum('fapiao_type', ['normal', 'special']);
export type FapiaoType = (typeof fapiaoType.enumValues)[number];

export const fapiaoRequestStatus = pgEnum('fapiao_request_status', ['pending', 'issued', 'rejected']);
export type FapiaoRequestStatus = (typeof fapiaoRequestStatus.enumValues)[number];

/** The buyer's invoice title (发票抬头) as the customer keeps it, once per organisation. */
export interface FapiaoTitleFields {
  name: string;
  /** 纳税人识别号: the organisation's 18-character unified social credit code. */
  taxpayerNumber: string;
  address: string;
  phone: string;
  bankName: string;
  bankAccount: string;
}

export const fapiaoTitles = pgTable(
  'fapiao_titles',
  {
    orgId: uuid('org_id')
      .primaryKey()
      .references(() => organisations.id, { onDelete: 'cascade' }),
    /** The type the customer usually asks for; a request may ask for the other. */
    type: fapiaoType('type').notNull().default('normal'),
    name: text('name').notNull(),
    taxpayerNumber: char('taxpayer_number', { length: 18 }).notNull(),
    address: text('address').notNull().default(''),
    phone: text('phone').notNull().default(''),
    bankName: text('bank_name').notNull().default(''),
    bankAccount: text('bank_account').notNull().default(''),
    updatedBy: uuid('updated_by').references(() => users.id),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [check('fapiao_titles_name', sql`length(${t.name}) > 0`)],
);
export type FapiaoTitle = typeof fapiaoTitles.$inferSelect;

/** One VAT rate's share of the amount a fapiao is asked for (VAT-inclusive fen). */
export interface FapiaoRateShare {
  rateBp: number;
  amountFen: number;
  taxFen: number;
}

/**
 * A customer's request for a fapiao on one paid invoice. The title and the amounts are snapshots
 * taken when it was made: a later change of title does not alter it. At most one live (pending or
 * issued) request per invoice; after a rejection the customer may ask again.
 */
export const fapiaoRequests = pgTable(
  'fapiao_requests',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    invoiceId: uuid('invoice_id')
      .notNull()
      .references(() => invoices.id),
    /** The issuer of the invoice, who issues the fapiao. */
    labId: uuid('lab_id')
      .notNull()
      .references(() => organisations.id),
    customerOrgId: uuid('customer_org_id')
      .notNull()
      .references(() => organisations.id),
    type: fapiaoType('type').notNull(),
    status: fapiaoRequestStatus('status').notNull().default('pending'),
    title: jsonb('title').$type<FapiaoTitleFields>().notNull(),
    /** VAT-inclusive amount of the fapiao (the invoice total less credit notes), fen. */
    amountFen: bigint('amount_fen', { mode: 'number' }).notNull(),
    taxFen: bigint('tax_fen', { mode: 'number' }).notNull(),
    rates: jsonb('rates').$type<FapiaoRateShare[]>().notNull(),
    currency: char('currency', { length: 3 }).notNull().default('CNY'),
    note: text('note').notNull().default(''),
    requestedBy: uuid('requested_by').references(() => users.id),
    requestedAt: timestamp('requested_at', { withTimezone: true }).notNull(),
    /** 发票号码: 20 digits for a fully digital (全电) fapiao, 8 for the older kinds. */
    fapiaoNumber: text('fapiao_number'),
    issuedOn: date('issued_on'),
    labNote: text('lab_note').notNull().default(''),
    rejectReason: text('reject_reason'),
    decidedBy: uuid('decided_by').references(() => users.id),
    decidedAt: timestamp('decided_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('fapiao_requests_live_uq')
      .on(t.invoiceId)
      .where(sql`${t.status} IN ('pending', 'issued')`),
    index('fapiao_requests_lab_idx').on(t.labId, t.status, t.requestedAt),
    index('fapiao_requests_customer_idx').on(t.customerOrgId, t.requestedAt),
    check(
      'fapiao_requests_issued',
      sql`(${t.status} = 'issued') = (${t.fapiaoNumber} IS NOT NULL AND ${t.issuedOn} IS NOT NULL)`,
    ),
    check('fapiao_requests_number', sql`${t.fapiaoNumber} IS NULL OR ${t.fapiaoNumber} ~ '^([0-9]{8}|[0-9]{20})$'`),
    check('fapiao_requests_rejected', sql`(${t.status} = 'rejected') = (${t.rejectReason} IS NOT NULL)`),
    check('fapiao_requests_amount', sql`${t.amountFen} >= 0 AND ${t.taxFen} >= 0`),
  ],
);
export type FapiaoRequest = typeof fapiaoRequests.$inferSelect;
