import { sql } from 'drizzle-orm';
import {
  boolean,
  check,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { orders } from './orders.ts';
import { organisations, users } from './orgs.ts';

/** Test reports and certificates, their numbering and signatories, and objections to them. */
export const reportStatus = pgEnum('report_status', ['draft', 'reviewed', 'issued', 'replaced', 'revoked']);
export type ReportStatus = (typeof reportStatus.enumValues)[number];
export const objectionStatus = pgEnum('objection_status', ['open', 'upheld', 'dismissed']);

/** Per-lab, per-year report sequence: numbers are taken under a row lock and never reused. */
export const reportSequences = pgTable(
  'report_sequences',
  {
    labId: uuid('lab_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'cascade' }),
    year: integer('year').notNull(),
    lastValue: integer('last_value').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.labId, t.year] })],
);

/** Lab members authorised to sign reports (授权签字人). */
export const labSignatories = pgTable(
  'lab_signatories',
  {
    labId: uuid('lab_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'cascade' }),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    /** What they may sign for, as listed on the CMA certificate (free text). */
    scopeZh: text('scope_zh').notNull().default(''),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
  },
  (t) => [primaryKey({ columns: [t.labId, t.userId] })],
);

/** One result row on a report. */
export interface ReportResultItem {
  lineId: string | null;
  parameterZh: string;
  parameterEn: string;
  standardCode: string;
  requirement: string;
  result: string;
  unit: string;
  verdict: 'pass' | 'fail' | 'info';
  /** Inside a valid CMA / CNAS scope on the issue date: only then the marks may appear. */
  inCmaScope: boolean;
  inCnasScope: boolean;
}

export const reports = pgTable(
  'reports',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orderId: uuid('order_id')
      .notNull()
      .references(() => orders.id),
    labId: uuid('lab_id')
      .notNull()
      .references(() => organisations.id),
    /** Assigned when issued: "<prefix>-<year>-<6 digits>"; unique and never reused. */
    number: text('number'),
    status: reportStatus('status').notNull().default('draft'),
    /** "test" report or calibration "certificate". */
    kind: text('kind').notNull().default('test'),
    language: text('language').notNull().default('zh'),
    /** Random public code in the verification URL; reveals nothing by itself. */
    verificationCode: text('verification_code').notNull(),
    sampleSummary: jsonb('sample_summary').$type<Record<string, unknown>>().notNull().default({}),
    results: jsonb('results').$type<ReportResultItem[]>().notNull().default([]),
    conclusionZh: text('conclusion_zh').notNull().default(''),
    conclusionEn: text('conclusion_en').notNull().default(''),
    /** Whether the CMA / CNAS marks are printed: only when at least one item is in a valid scope. */
    cmaMark: boolean('cma_mark').notNull().default(false),
    cnasMark: boolean('cnas_mark').notNull().default(false),
    testerId: uuid('tester_id').references(() => users.id),
    reviewerId: uuid('reviewer_id').references(() => users.id),
    reviewedAt: timestamp('reviewed_at', { withTimezone: true }),
    signatoryId: uuid('signatory_id').references(() => users.id),
    issuedAt: timestamp('issued_at', { withTimezone: true }),
    /** Stored PDF (relative path under the report folder) and its SHA-256 in hex. */
    pdfPath: text('pdf_path'),
    pdfSha256: text('pdf_sha256'),
    /**
     * The order's lines this report covers. A line is covered by at most one live (draft, reviewed
     * or issued) report, except that a replacement covers the same lines as the report it replaces
     * (the service checks under the order's row lock; a trigger is the backstop).
     */
    lineIds: uuid('line_ids')
      .array()
      .notNull()
      .default(sql`'{}'::uuid[]`),
    replacesReportId: uuid('replaces_report_id'),
    replacedByReportId: uuid('replaced_by_report_id'),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
    revokeReason: text('revoke_reason'),
    createdBy: uuid('created_by').references(() => users.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('reports_number_uq').on(t.number),
    uniqueIndex('reports_verification_uq').on(t.verificationCode),
    index('reports_order_idx').on(t.orderId),
    check('reports_language', sql`${t.language} IN ('zh', 'en', 'both')`),
    check('reports_kind', sql`${t.kind} IN ('test', 'certificate', 'deliverable')`),
    check(
      'reports_issued_has_number',
      sql`${t.status} = 'draft' OR ${t.status} = 'reviewed' OR ${t.number} IS NOT NULL`,
    ),
  ],
);
export type Report = typeof reports.$inferSelect;

export const orderObjections = pgTable(
  'order_objections',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orderId: uuid('order_id')
      .notNull()
      .references(() => orders.id, { onDelete: 'cascade' }),
    reportId: uuid('report_id').references(() => reports.id),
    raisedBy: uuid('raised_by')
      .notNull()
      .references(() => users.id),
    reason: text('reason').notNull(),
    status: objectionStatus('status').notNull().default('open'),
    resolution: text('resolution'),
    resolvedBy: uuid('resolved_by').references(() => users.id),
    resolvedAt: timestamp('resolved_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('order_objections_order_idx').on(t.orderId)],
);
