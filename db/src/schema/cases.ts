import { sql } from 'drizzle-orm';
import { bigint, check, index, integer, pgEnum, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { organisations, users } from './orgs.ts';

/**
 * Typical cases (典型案例, the programme notice's 附件1): a service officer or a lab writes up one
 * enterprise's problem, the service given and its result with figures; the platform administrator of
 * the case's region edits it and publishes it (or returns it with a reason). Only published cases
 * are public, and only their write-up: never who submitted them or how to reach the enterprise.
 */
export const typicalCaseStatus = pgEnum('typical_case_status', ['draft', 'submitted', 'returned', 'published']);

export const typicalCases = pgTable(
  'typical_cases',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** The organisation that wrote it: a lab, or the officer's platform. */
    orgId: uuid('org_id')
      .notNull()
      .references(() => organisations.id),
    authorUserId: uuid('author_user_id')
      .notNull()
      .references(() => users.id),
    /** GB/T 2260 region the case belongs to (the submitting organisation's); admins of it review it. */
    regionCode: text('region_code').notNull(),
    title: text('title').notNull(),
    /** As it is to be published: a name, or a description such as 苏州某精密零部件企业. */
    enterpriseName: text('enterprise_name').notNull(),
    industry: text('industry').notNull().default(''),
    problem: text('problem').notNull(),
    service: text('service').notNull(),
    result: text('result').notNull(),
    costSavedFen: bigint('cost_saved_fen', { mode: 'number' }),
    timeSavedDays: integer('time_saved_days'),
    /** Other figures and remarks in the author's words (e.g. 合格率由 92% 提升至 99.3%). */
    notes: text('notes').notNull().default(''),
    status: typicalCaseStatus('status').notNull().default('draft'),
    returnReason: text('return_reason'),
    submittedAt: timestamp('submitted_at', { withTimezone: true }),
    publishedAt: timestamp('published_at', { withTimezone: true }),
    publishedBy: uuid('published_by').references(() => users.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('typical_cases_org_idx').on(t.orgId, t.createdAt),
    index('typical_cases_published_idx')
      .on(t.publishedAt)
      .where(sql`${t.status} = 'published'`),
    check(
      'typical_cases_figures_ck',
      sql`coalesce(${t.costSavedFen}, 0) >= 0 AND coalesce(${t.timeSavedDays}, 0) >= 0`,
    ),
    check('typical_cases_published_ck', sql`${t.status} <> 'published' OR ${t.publishedAt} IS NOT NULL`),
  ],
);
export type TypicalCase = typeof typicalCases.$inferSelect;
