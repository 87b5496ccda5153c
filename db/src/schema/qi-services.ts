import { sql } from 'drizzle-orm';
import { check, date, index, integer, pgEnum, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { services } from './labs.ts';
import { orders } from './orders.ts';
import { reports } from './reports.ts';
import { organisations, users } from './orgs.ts';

/**
 * Calibration / verification of the customer's own instruments: one row per certificate issued,
 * with the next due date; a sweep reminds the customer before it falls due (recall).
 */
export const calibrationRecords = pgTable(
  'calibration_records',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    customerOrgId: uuid('customer_org_id')
      .notNull()
      .references(() => organisations.id),
    labId: uuid('lab_id')
      .notNull()
      .references(() => organisations.id),
    orderId: uuid('order_id').references(() => orders.id),
    reportId: uuid('report_id').references(() => reports.id),
    instrumentName: text('instrument_name').notNull(),
    model: text('model').notNull().default(''),
    serialNumber: text('serial_number').notNull(),
    measuringRange: text('measuring_range').notNull().default(''),
    accuracyClass: text('accuracy_class').notNull().default(''),
    /** "calibration" (校准) or "verification" (检定). */
    method: text('method').notNull().default('calibration'),
    calibratedOn: date('calibrated_on').notNull(),
    nextDueOn: date('next_due_on').notNull(),
    /** When the recall reminder went out (at most once per record). */
    recallRemindedAt: timestamp('recall_reminded_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('calibration_records_customer_idx').on(t.customerOrgId, t.nextDueOn),
    index('calibration_records_due_idx')
      .on(t.nextDueOn)
      .where(sql`${t.recallRemindedAt} IS NULL`),
    check('calibration_records_dates', sql`${t.nextDueOn} > ${t.calibratedOn}`),
    check('calibration_records_method', sql`${t.method} IN ('calibration', 'verification')`),
  ],
);
export type CalibrationRecord = typeof calibrationRecords.$inferSelect;

/** Each enterprise has one named service officer (服务专员 / 质量管家) of a platform. */
export const enterpriseOfficers = pgTable('enterprise_officers', {
  enterpriseId: uuid('enterprise_id')
    .primaryKey()
    .references(() => organisations.id, { onDelete: 'cascade' }),
  platformOrgId: uuid('platform_org_id')
    .notNull()
    .references(() => organisations.id),
  officerUserId: uuid('officer_user_id')
    .notNull()
    .references(() => users.id),
  assignedAt: timestamp('assigned_at', { withTimezone: true }).notNull().defaultNow(),
});

export const assistanceStatus = pgEnum('assistance_status', ['open', 'assigned', 'in_progress', 'resolved', 'closed']);

/** 质量技术帮扶: an enterprise asks for help (often after a failed spot check); an officer assigns an expert. */
export const assistanceRequests = pgTable(
  'assistance_requests',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    enterpriseId: uuid('enterprise_id')
      .notNull()
      .references(() => organisations.id),
    requestedBy: uuid('requested_by')
      .notNull()
      .references(() => users.id),
    titleZh: text('title_zh').notNull(),
    problemZh: text('problem_zh').notNull(),
    /** e.g. "spot_check_failure", "customer_complaint", "new_product", "other". */
    trigger: text('trigger').notNull().default('other'),
    productZh: text('product_zh').notNull().default(''),
    status: assistanceStatus('status').notNull().default('open'),
    officerUserId: uuid('officer_user_id').references(() => users.id),
    /** The expert: a user on the platform (lab staff or platform expert) … */
    expertUserId: uuid('expert_user_id').references(() => users.id),
    /** … or named, for an outside expert. */
    expertName: text('expert_name'),
    assignedAt: timestamp('assigned_at', { withTimezone: true }),
    resolvedAt: timestamp('resolved_at', { withTimezone: true }),
    closedAt: timestamp('closed_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('assistance_requests_enterprise_idx').on(t.enterpriseId, t.createdAt)],
);

export const assistanceVisits = pgTable(
  'assistance_visits',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    requestId: uuid('request_id')
      .notNull()
      .references(() => assistanceRequests.id, { onDelete: 'cascade' }),
    visitedOn: date('visited_on').notNull(),
    recordedBy: uuid('recorded_by')
      .notNull()
      .references(() => users.id),
    notesZh: text('notes_zh').notNull(),
    problemsFound: integer('problems_found').notNull().default(0),
    problemsSolved: integer('problems_solved').notNull().default(0),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('assistance_visits_request_idx').on(t.requestId),
    check(
      'assistance_visits_counts',
      sql`${t.problemsFound} >= 0 AND ${t.problemsSolved} >= 0 AND ${t.problemsSolved} <= ${t.problemsFound}`,
    ),
  ],
);

export const eventKind = pgEnum('event_kind', ['course', 'standards_day', 'open_day', 'seminar']);
export const eventStatus = pgEnum('event_status', ['draft', 'published', 'cancelled']);
export const registrationStatus = pgEnum('registration_status', [
  'registered',
  'waitlisted',
  'cancelled',
  'attended',
  'absent',
]);

/** Training courses and events (World Standards Day, lab open days) run by a lab or a platform. */
export const events = pgTable(
  'events',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    organiserOrgId: uuid('organiser_org_id')
      .notNull()
      .references(() => organisations.id),
    serviceId: uuid('service_id').references(() => services.id),
    kind: eventKind('kind').notNull(),
    titleZh: text('title_zh').notNull(),
    titleEn: text('title_en').notNull().default(''),
    descriptionZh: text('description_zh').notNull().default(''),
    descriptionEn: text('description_en').notNull().default(''),
    venueZh: text('venue_zh').notNull().default(''),
    regionCode: text('region_code'),
    /** Per seat, fen; 0 = free. */
    feeFen: integer('fee_fen').notNull().default(0),
    status: eventStatus('status').notNull().default('draft'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('events_organiser_idx').on(t.organiserOrgId), check('events_fee', sql`${t.feeFen} >= 0`)],
);

export const eventSessions = pgTable(
  'event_sessions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    eventId: uuid('event_id')
      .notNull()
      .references(() => events.id, { onDelete: 'cascade' }),
    startsAt: timestamp('starts_at', { withTimezone: true }).notNull(),
    endsAt: timestamp('ends_at', { withTimezone: true }).notNull(),
    seats: integer('seats').notNull(),
    /** Seats taken by 'registered' and 'attended' registrations; kept under the session's row lock. */
    seatsTaken: integer('seats_taken').notNull().default(0),
    reminderSentAt: timestamp('reminder_sent_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('event_sessions_event_idx').on(t.eventId, t.startsAt),
    check('event_sessions_times', sql`${t.endsAt} > ${t.startsAt}`),
    check('event_sessions_seats', sql`${t.seats} >= 1 AND ${t.seatsTaken} BETWEEN 0 AND ${t.seats}`),
  ],
);

export const eventRegistrations = pgTable(
  'event_registrations',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    sessionId: uuid('session_id')
      .notNull()
      .references(() => eventSessions.id, { onDelete: 'cascade' }),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    orgId: uuid('org_id').references(() => organisations.id),
    status: registrationStatus('status').notNull(),
    /** Order on the waitlist (registration time); promotion takes the smallest. */
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('event_registrations_active_uq')
      .on(t.sessionId, t.userId)
      .where(sql`${t.status} <> 'cancelled'`),
    index('event_registrations_session_idx').on(t.sessionId, t.status, t.createdAt),
  ],
);
