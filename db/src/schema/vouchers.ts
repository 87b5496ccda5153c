import { sql } from 'drizzle-orm';
import {
  bigint,
  char,
  check,
  date,
  index,
  integer,
  pgEnum,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { serviceKind } from './enums.ts';
import { invoices } from './money.ts';
import { organisations, users } from './orgs.ts';

/**
 * Innovation vouchers (创新券, DOMAIN.md). A province or city platform runs a programme that pays a
 * share of an SME's fee at admitted labs; the enterprise applies for a quota, spends it on eligible
 * invoices (the voucher share), and the lab redeems what was spent with an evidence pack. The
 * programme pays the lab directly — the platform never holds the money.
 */

export const voucherProgrammeStatus = pgEnum('voucher_programme_status', ['active', 'closed']);
export const voucherApplicationStatus = pgEnum('voucher_application_status', ['pending', 'approved', 'rejected']);
export const voucherUseStatus = pgEnum('voucher_use_status', ['applied', 'restored']);
export const voucherClaimStatus = pgEnum('voucher_claim_status', ['submitted', 'approved', 'rejected', 'paid', 'void']);
export type VoucherClaimStatus = (typeof voucherClaimStatus.enumValues)[number];

export const voucherProgrammes = pgTable(
  'voucher_programmes',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** The platform organisation that runs (and pays through) the programme. */
    issuerOrgId: uuid('issuer_org_id')
      .notNull()
      .references(() => organisations.id),
    /** The issuer's region when created: only labs active in it are admitted. */
    regionCode: char('region_code', { length: 6 }).notNull(),
    nameZh: text('name_zh').notNull(),
    nameEn: text('name_en').notNull().default(''),
    /** Share of the fee the programme pays, basis points (5000 = 50 %). */
    shareBp: integer('share_bp').notNull(),
    /** Most one enterprise may be granted per year, fen. */
    capFen: bigint('cap_fen', { mode: 'number' }).notNull(),
    eligibleKinds: serviceKind('eligible_kinds').array().notNull(),
    validFrom: date('valid_from').notNull(),
    validTo: date('valid_to').notNull(),
    status: voucherProgrammeStatus('status').notNull().default('active'),
    createdBy: uuid('created_by').references(() => users.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('voucher_programmes_issuer_idx').on(t.issuerOrgId),
    check('voucher_programmes_share', sql`${t.shareBp} BETWEEN 1 AND 10000`),
    check('voucher_programmes_cap', sql`${t.capFen} > 0`),
    check('voucher_programmes_validity', sql`${t.validTo} >= ${t.validFrom}`),
  ],
);
export type VoucherProgramme = typeof voucherProgrammes.$inferSelect;

/**
 * An enterprise's application; once approved, its quota and what is left of it. At most one live
 * (pending or approved) application per programme, enterprise and year, so the cap per year holds.
 * `remaining_fen` never goes below zero: spending locks the row, and the database checks it too.
 */
export const voucherApplications = pgTable(
  'voucher_applications',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    programmeId: uuid('programme_id')
      .notNull()
      .references(() => voucherProgrammes.id),
    enterpriseOrgId: uuid('enterprise_org_id')
      .notNull()
      .references(() => organisations.id),
    year: integer('year').notNull(),
    requestedFen: bigint('requested_fen', { mode: 'number' }).notNull(),
    purpose: text('purpose').notNull(),
    status: voucherApplicationStatus('status').notNull().default('pending'),
    quotaFen: bigint('quota_fen', { mode: 'number' }).notNull().default(0),
    remainingFen: bigint('remaining_fen', { mode: 'number' }).notNull().default(0),
    reason: text('reason'),
    appliedBy: uuid('applied_by').references(() => users.id),
    decidedBy: uuid('decided_by').references(() => users.id),
    decidedAt: timestamp('decided_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('voucher_applications_programme_idx').on(t.programmeId, t.createdAt),
    index('voucher_applications_enterprise_idx').on(t.enterpriseOrgId),
    uniqueIndex('voucher_applications_live_uq')
      .on(t.programmeId, t.enterpriseOrgId, t.year)
      .where(sql`${t.status} IN ('pending', 'approved')`),
    check('voucher_applications_requested', sql`${t.requestedFen} > 0`),
    check('voucher_applications_remaining', sql`${t.remainingFen} >= 0 AND ${t.remainingFen} <= ${t.quotaFen}`),
  ],
);
export type VoucherApplication = typeof voucherApplications.$inferSelect;

/** A voucher share taken on one invoice; `restored` when a rejected or voided claim gave it back. */
export const voucherUses = pgTable(
  'voucher_uses',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    applicationId: uuid('application_id')
      .notNull()
      .references(() => voucherApplications.id),
    programmeId: uuid('programme_id')
      .notNull()
      .references(() => voucherProgrammes.id),
    invoiceId: uuid('invoice_id')
      .notNull()
      .references(() => invoices.id),
    labId: uuid('lab_id')
      .notNull()
      .references(() => organisations.id),
    customerOrgId: uuid('customer_org_id')
      .notNull()
      .references(() => organisations.id),
    amountFen: bigint('amount_fen', { mode: 'number' }).notNull(),
    /** The programme's share when used (a later change of the programme does not rewrite it). */
    shareBp: integer('share_bp').notNull(),
    status: voucherUseStatus('status').notNull().default('applied'),
    usedBy: uuid('used_by').references(() => users.id),
    usedAt: timestamp('used_at', { withTimezone: true }).notNull(),
    restoredAt: timestamp('restored_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('voucher_uses_invoice_uq')
      .on(t.invoiceId)
      .where(sql`${t.status} = 'applied'`),
    index('voucher_uses_application_idx').on(t.applicationId),
    check('voucher_uses_amount', sql`${t.amountFen} > 0`),
  ],
);
export type VoucherUse = typeof voucherUses.$inferSelect;

/** A lab's redemption claim (兑付申请) for one voucher use. */
export const voucherClaims = pgTable(
  'voucher_claims',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    useId: uuid('use_id')
      .notNull()
      .references(() => voucherUses.id),
    programmeId: uuid('programme_id')
      .notNull()
      .references(() => voucherProgrammes.id),
    labId: uuid('lab_id')
      .notNull()
      .references(() => organisations.id),
    invoiceId: uuid('invoice_id')
      .notNull()
      .references(() => invoices.id),
    amountFen: bigint('amount_fen', { mode: 'number' }).notNull(),
    paidFen: bigint('paid_fen', { mode: 'number' }).notNull().default(0),
    status: voucherClaimStatus('status').notNull().default('submitted'),
    reason: text('reason'),
    submittedBy: uuid('submitted_by').references(() => users.id),
    submittedAt: timestamp('submitted_at', { withTimezone: true }).notNull(),
    decidedBy: uuid('decided_by').references(() => users.id),
    decidedAt: timestamp('decided_at', { withTimezone: true }),
    paidAt: timestamp('paid_at', { withTimezone: true }),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('voucher_claims_use_uq').on(t.useId),
    index('voucher_claims_programme_idx').on(t.programmeId, t.status),
    index('voucher_claims_lab_idx').on(t.labId, t.submittedAt),
    check('voucher_claims_amounts', sql`${t.amountFen} > 0 AND ${t.paidFen} >= 0 AND ${t.paidFen} <= ${t.amountFen}`),
  ],
);
export type VoucherClaim = typeof voucherClaims.$inferSelect;

/** The programme's payments to the lab for a claim (bank receipt recorded by an admin). */
export const voucherClaimPayments = pgTable(
  'voucher_claim_payments',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    claimId: uuid('claim_id')
      .notNull()
      .references(() => voucherClaims.id),
    amountFen: bigint('amount_fen', { mode: 'number' }).notNull(),
    receivedOn: date('received_on').notNull(),
    note: text('note').notNull().default(''),
    /** The lab's bank statement line it was matched from (the programme's transfer), if any. */
    bankLineId: uuid('bank_line_id'),
    recordedBy: uuid('recorded_by').references(() => users.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('voucher_claim_payments_claim_idx').on(t.claimId),
    check('voucher_claim_payments_amount', sql`${t.amountFen} > 0`),
  ],
);
export type VoucherClaimPayment = typeof voucherClaimPayments.$inferSelect;
