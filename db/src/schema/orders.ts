import { sql } from 'drizzle-orm';
import {
  bigserial,
  boolean,
  char,
  check,
  date,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { serviceKind } from './enums.ts';
import { qualificationScopeItems, qualifications, services } from './labs.ts';
import { organisations, users } from './orgs.ts';

/**
 * One order of one customer organisation at one provider lab (DOMAIN: commissioned testing flow).
 * requested → quoted → accepted → awaiting_samples → samples_received → in_progress → report_review
 * → report_issued → closed; side exits cancelled and expired (the quote lapsed). Orders with no
 * samples to receive (consulting, outsourced work on the lab's own material) go accepted → in_progress,
 * and orders with nothing to report go in_progress → report_issued through "deliver".
 */
export const orderStatus = pgEnum('order_status', [
  'requested',
  'quoted',
  'accepted',
  'awaiting_samples',
  'samples_received',
  'in_progress',
  'report_review',
  'report_issued',
  'closed',
  'cancelled',
  'expired',
]);
export const ORDER_STATUSES = orderStatus.enumValues;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

/** Expedite tiers (DOMAIN): ≤72 h +30 %, ≤24 h +100 %, ≤8 h +150 % by default, per lab. */
export const expediteTier = pgEnum('expedite_tier', ['none', 'h72', 'h24', 'h8']);
export type ExpediteTier = (typeof expediteTier.enumValues)[number];

export const sampleStatus = pgEnum('sample_status', ['expected', 'received', 'rejected', 'returned', 'disposed']);

/** 委托单: the commission form the customer fills when accepting a quote. */
export interface CommissionForm {
  sampleName: string;
  specification: string;
  manufacturer: string;
  batch: string;
  quantity: number;
  trademark: string;
  productionDate: string | null;
  packagingCondition: string;
  testScope: 'full' | 'single' | 'partial';
  purpose: string;
  testBasis: string;
  evaluationBasis: string;
  subcontractingAllowed: boolean;
  leftoverSamples: 'return' | 'dispose';
  storageConditions: string;
  reportCopies: number;
  reportLanguage: 'zh' | 'en' | 'both';
  reportDelivery: 'pickup' | 'post' | 'electronic';
  /** Postal address when delivery is by post. */
  deliveryAddress: string;
}

/**
 * The lab's terms shown with a quote, copied onto the order when it is quoted (as bookings copy
 * their policy): accepting binds the customer to these, whatever the lab's settings say later.
 */
export interface QuoteTerms {
  /** Expedite surcharges in per cent of the subtotal, per tier (≤72 h, ≤24 h, ≤8 h). */
  expediteH72Pct: number;
  expediteH24Pct: number;
  expediteH8Pct: number;
  /** Days after the report is issued during which the customer may object (异议期). */
  objectionDays: number;
}

/** Defaults (DOMAIN): expedite ≤72 h +30 %, ≤24 h +100 %, ≤8 h +150 %; a 15-day objection window. */
export const DEFAULT_QUOTE_TERMS: Readonly<QuoteTerms> = {
  expediteH72Pct: 30,
  expediteH24Pct: 100,
  expediteH8Pct: 150,
  objectionDays: 15,
};

/** Per-lab rules for orders and reports. */
export const labOrderSettings = pgTable(
  'lab_order_settings',
  {
    labId: uuid('lab_id')
      .primaryKey()
      .references(() => organisations.id, { onDelete: 'cascade' }),
    /** Report numbers are "<prefix>-<year>-<6-digit sequence>", e.g. "SZTI-2026-000123". */
    reportPrefix: text('report_prefix').notNull(),
    objectionDays: integer('objection_days').notNull().default(DEFAULT_QUOTE_TERMS.objectionDays),
    expediteH72Pct: integer('expedite_h72_pct').notNull().default(DEFAULT_QUOTE_TERMS.expediteH72Pct),
    expediteH24Pct: integer('expedite_h24_pct').notNull().default(DEFAULT_QUOTE_TERMS.expediteH24Pct),
    expediteH8Pct: integer('expedite_h8_pct').notNull().default(DEFAULT_QUOTE_TERMS.expediteH8Pct),
    /** Fixed-price services are quoted automatically when requested. */
    autoQuoteFixedPrice: boolean('auto_quote_fixed_price').notNull().default(true),
    quoteValidityDays: integer('quote_validity_days').notNull().default(30),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    // A prefix names one lab across the platform (report numbers identify their lab).
    uniqueIndex('lab_order_settings_report_prefix_uq').on(t.reportPrefix),
    check('lab_order_settings_prefix', sql`${t.reportPrefix} ~ '^[A-Z0-9]{2,12}$'`),
    check('lab_order_settings_objection', sql`${t.objectionDays} BETWEEN 0 AND 90`),
    check(
      'lab_order_settings_expedite',
      sql`${t.expediteH72Pct} BETWEEN 0 AND 500 AND ${t.expediteH24Pct} BETWEEN 0 AND 500 AND ${t.expediteH8Pct} BETWEEN 0 AND 500`,
    ),
  ],
);
export type LabOrderSettings = typeof labOrderSettings.$inferSelect;

export const orders = pgTable(
  'orders',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** Human order number, "QI" + year + 6-digit sequence, e.g. "QI2026000123". */
    number: text('number').notNull(),
    customerOrgId: uuid('customer_org_id')
      .notNull()
      .references(() => organisations.id),
    labId: uuid('lab_id')
      .notNull()
      .references(() => organisations.id),
    requestedBy: uuid('requested_by')
      .notNull()
      .references(() => users.id),
    status: orderStatus('status').notNull().default('requested'),
    titleZh: text('title_zh').notNull(),
    /** What the customer asked for, in their words. */
    requestNotes: text('request_notes').notNull().default(''),
    /** Quote */
    quotedAt: timestamp('quoted_at', { withTimezone: true }),
    quotedBy: uuid('quoted_by').references(() => users.id),
    quoteValidUntil: date('quote_valid_until'),
    quoteNotes: text('quote_notes').notNull().default(''),
    /** The lab's terms as shown with the quote; null until quoted. */
    quoteTerms: jsonb('quote_terms').$type<QuoteTerms>(),
    /** Money in fen: lines, expedite surcharge (waived if late), total. */
    subtotalFen: integer('subtotal_fen').notNull().default(0),
    surchargeFen: integer('surcharge_fen').notNull().default(0),
    surchargeWaived: boolean('surcharge_waived').notNull().default(false),
    totalFen: integer('total_fen').notNull().default(0),
    currency: char('currency', { length: 3 }).notNull().default('CNY'),
    /** Acceptance and the commission form (委托单). */
    acceptedAt: timestamp('accepted_at', { withTimezone: true }),
    acceptedBy: uuid('accepted_by').references(() => users.id),
    commission: jsonb('commission').$type<CommissionForm>(),
    /** Turnaround: a tier of working days, or an expedite tier counted in hours. */
    deadlineTierDays: integer('deadline_tier_days'),
    expedite: expediteTier('expedite').notNull().default('none'),
    expeditePct: integer('expedite_pct').notNull().default(0),
    /** The clock starts when work can start (samples received, or acceptance when none are needed). */
    clockStartedAt: timestamp('clock_started_at', { withTimezone: true }),
    dueAt: timestamp('due_at', { withTimezone: true }),
    needsSamples: boolean('needs_samples').notNull().default(true),
    workStartedAt: timestamp('work_started_at', { withTimezone: true }),
    reportIssuedAt: timestamp('report_issued_at', { withTimezone: true }),
    /** Recorded when the (first) report is issued: the efficiency figures come from here. */
    onTime: boolean('on_time'),
    objectionUntil: timestamp('objection_until', { withTimezone: true }),
    retestCount: integer('retest_count').notNull().default(0),
    closedAt: timestamp('closed_at', { withTimezone: true }),
    cancelledAt: timestamp('cancelled_at', { withTimezone: true }),
    cancelledBy: uuid('cancelled_by').references(() => users.id),
    cancelReason: text('cancel_reason'),
    cancellationFeeFen: integer('cancellation_fee_fen'),
    /** Reminder stamps, so a sweep never sends one twice. */
    dueReminderAt: timestamp('due_reminder_at', { withTimezone: true }),
    overdueAlertAt: timestamp('overdue_alert_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('orders_number_uq').on(t.number),
    index('orders_customer_idx').on(t.customerOrgId, t.createdAt),
    index('orders_lab_status_idx').on(t.labId, t.status, t.createdAt),
    index('orders_open_due_idx')
      .on(t.dueAt)
      .where(sql`${t.status} IN ('samples_received', 'in_progress', 'report_review')`),
    check('orders_money', sql`${t.subtotalFen} >= 0 AND ${t.surchargeFen} >= 0 AND ${t.totalFen} >= 0`),
    check('orders_deadline_tier', sql`${t.deadlineTierDays} IS NULL OR ${t.deadlineTierDays} IN (5, 15, 25, 30)`),
    check('orders_customer_not_lab', sql`${t.customerOrgId} <> ${t.labId}`),
  ],
);
export type Order = typeof orders.$inferSelect;

/** Lines are never deleted once the order is quoted; a withdrawn line keeps its row with removed_at. */
export const orderLines = pgTable(
  'order_lines',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orderId: uuid('order_id')
      .notNull()
      .references(() => orders.id, { onDelete: 'cascade' }),
    position: integer('position').notNull(),
    /** The catalogue service; null for a line the lab adds by hand. */
    serviceId: uuid('service_id').references(() => services.id),
    kind: serviceKind('kind').notNull(),
    descriptionZh: text('description_zh').notNull(),
    descriptionEn: text('description_en').notNull().default(''),
    /** Test parameter and standard method: what CMA/CNAS scope marking is checked against. */
    parameterZh: text('parameter_zh').notNull().default(''),
    standardCode: text('standard_code').notNull().default(''),
    /** The priced quantity, in `unit` (96 hours of salt spray), not the number of samples. */
    quantity: integer('quantity').notNull().default(1),
    /** "sample", "hour", "item", "day", "person" … */
    unit: text('unit').notNull().default('item'),
    /** How many samples (or instruments to calibrate) the line is for; null where none are sent. */
    sampleCount: integer('sample_count'),
    /** Fen; set when quoted, copied from the catalogue or priced by the lab. */
    unitPriceFen: integer('unit_price_fen'),
    amountFen: integer('amount_fen'),
    /** Kind-specific details, e.g. calibration: instrument name, model, serial, range, accuracy class. */
    details: jsonb('details').$type<Record<string, unknown>>().notNull().default({}),
    /**
     * The item of the lab's own CMA / CNAS scope (parameter × standard) the lab chose for the line
     * when quoting; its parameter and standard are then the line's.
     */
    scopeItemId: uuid('scope_item_id').references(() => qualificationScopeItems.id, { onDelete: 'set null' }),
    /** Scope marking at quote time: inside a valid CMA / CNAS scope on that date. */
    cmaQualificationId: uuid('cma_qualification_id').references(() => qualifications.id),
    cnasQualificationId: uuid('cnas_qualification_id').references(() => qualifications.id),
    inCmaScope: boolean('in_cma_scope').notNull().default(false),
    inCnasScope: boolean('in_cnas_scope').notNull().default(false),
    scopeCheckedOn: date('scope_checked_on'),
    addedBy: text('added_by').notNull().default('customer'),
    removedAt: timestamp('removed_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('order_lines_position_uq').on(t.orderId, t.position),
    check('order_lines_quantity', sql`${t.quantity} BETWEEN 1 AND 100000`),
    check('order_lines_sample_count', sql`${t.sampleCount} IS NULL OR ${t.sampleCount} BETWEEN 1 AND 100000`),
    check('order_lines_money', sql`coalesce(${t.unitPriceFen}, 0) >= 0 AND coalesce(${t.amountFen}, 0) >= 0`),
    check('order_lines_added_by', sql`${t.addedBy} IN ('customer', 'lab')`),
  ],
);
export type OrderLine = typeof orderLines.$inferSelect;

/** The order's timeline: every transition and notable act, in order. */
export const orderEvents = pgTable(
  'order_events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    orderId: uuid('order_id')
      .notNull()
      .references(() => orders.id, { onDelete: 'cascade' }),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
    actorUserId: uuid('actor_user_id'),
    /** "customer", "lab", "platform" or "system". */
    actorSide: text('actor_side').notNull(),
    action: text('action').notNull(),
    fromStatus: orderStatus('from_status'),
    toStatus: orderStatus('to_status'),
    data: jsonb('data').$type<Record<string, unknown>>().notNull().default({}),
  },
  (t) => [index('order_events_order_idx').on(t.orderId, t.id)],
);
export type OrderEvent = typeof orderEvents.$inferSelect;

export const orderSamples = pgTable(
  'order_samples',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orderId: uuid('order_id')
      .notNull()
      .references(() => orders.id, { onDelete: 'cascade' }),
    /** Lab sample number, "<order number>-S<n>". */
    code: text('code').notNull(),
    nameZh: text('name_zh').notNull(),
    quantity: integer('quantity').notNull().default(1),
    unit: text('unit').notNull().default('件'),
    status: sampleStatus('status').notNull().default('expected'),
    conditionOnArrival: text('condition_on_arrival'),
    /** Relative path of the arrival photo under the upload folder. */
    photoPath: text('photo_path'),
    receivedAt: timestamp('received_at', { withTimezone: true }),
    receivedBy: uuid('received_by').references(() => users.id),
    rejectedReason: text('rejected_reason'),
    storageLocation: text('storage_location').notNull().default(''),
    dispositionAt: timestamp('disposition_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('order_samples_code_uq').on(t.code),
    index('order_samples_order_idx').on(t.orderId),
    check('order_samples_quantity', sql`${t.quantity} BETWEEN 1 AND 100000`),
  ],
);
export type OrderSample = typeof orderSamples.$inferSelect;

/** Platform-wide order number sequence per year. */
export const orderSequences = pgTable('order_sequences', {
  year: integer('year').primaryKey(),
  lastValue: integer('last_value').notNull().default(0),
});
