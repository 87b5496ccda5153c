import { sql } from 'drizzle-orm';
import { check, index, jsonb, pgEnum, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { organisations, users } from './orgs.ts';

/** A case joins (入驻) or leaves (退出) the platform; both go through a public notice (公示). */
export const admissionCaseKind = pgEnum('admission_case_kind', ['admission', 'exit']);

/**
 * admission: draft → submitted ⇄ changes_requested → on_notice → admitted | rejected
 *            (submitted/changes_requested → rejected too);
 * exit:      on_notice → exited (the platform starts it, the lab is suspended meanwhile).
 */
export const admissionCaseStatus = pgEnum('admission_case_status', [
  'draft',
  'submitted',
  'changes_requested',
  'on_notice',
  'admitted',
  'rejected',
  'exited',
]);

/** What a lab declares when it applies (DB33/T 2428-2022): entity, sites, certificates, self-evaluation. */
export interface AdmissionApplication {
  entity: { legalName: string; creditCode: string; legalRepresentative: string; address: string };
  /** What it applies to provide (拟提供服务), shown on the public notice. */
  offering: string;
  sites: { name: string; regionCode: string; address: string }[];
  certificates: {
    kind: 'cma' | 'cnas';
    number: string;
    validFrom: string;
    validUntil: string;
    scopeSummary: string;
    file: { id: string; fileName: string; contentType: string; sizeBytes: number } | null;
  }[];
  selfEvaluation: { item: string; answer: 'yes' | 'partly' | 'no'; note: string }[];
}

export const admissionCases = pgTable(
  'admission_cases',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    labId: uuid('lab_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'cascade' }),
    kind: admissionCaseKind('kind').notNull(),
    status: admissionCaseStatus('status').notNull(),
    application: jsonb('application').$type<AdmissionApplication>(),
    /** The platform's last word: changes asked for, the rejection or the exit reason. */
    reason: text('reason'),
    submittedAt: timestamp('submitted_at', { withTimezone: true }),
    noticeStartsAt: timestamp('notice_starts_at', { withTimezone: true }),
    noticeEndsAt: timestamp('notice_ends_at', { withTimezone: true }),
    decidedAt: timestamp('decided_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('admission_cases_lab_idx').on(t.labId, t.kind),
    // One open admission case per lab: a lab rejected, or admitted and gone, may apply again (a new
    // case; the closed ones stay as its history). An exit may be started again after a lab came back.
    uniqueIndex('admission_cases_one_open_admission_uq')
      .on(t.labId)
      .where(sql`${t.kind} = 'admission' AND ${t.status} NOT IN ('rejected', 'admitted')`),
    index('admission_cases_notice_idx').on(t.noticeStartsAt),
    check(
      'admission_cases_notice_dates',
      sql`(${t.noticeStartsAt} IS NULL) = (${t.noticeEndsAt} IS NULL) AND (${t.noticeEndsAt} IS NULL OR ${t.noticeEndsAt} > ${t.noticeStartsAt})`,
    ),
  ],
);
export type AdmissionCase = typeof admissionCases.$inferSelect;

/** An objection to a public notice, by anyone, and how the platform handled it. */
export const admissionObjections = pgTable(
  'admission_objections',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    caseId: uuid('case_id')
      .notNull()
      .references(() => admissionCases.id, { onDelete: 'cascade' }),
    reason: text('reason').notNull(),
    contact: text('contact').notNull(),
    /** Set when the objector was signed in; never shown publicly. */
    filedBy: uuid('filed_by').references(() => users.id),
    filedAt: timestamp('filed_at', { withTimezone: true }).notNull(),
    handling: text('handling'),
    handledAt: timestamp('handled_at', { withTimezone: true }),
    handledBy: uuid('handled_by').references(() => users.id),
  },
  (t) => [
    index('admission_objections_case_idx').on(t.caseId),
    check('admission_objections_handled', sql`(${t.handling} IS NULL) = (${t.handledAt} IS NULL)`),
  ],
);
export type AdmissionObjection = typeof admissionObjections.$inferSelect;
