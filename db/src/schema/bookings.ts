import { sql } from 'drizzle-orm';
import {
  boolean,
  check,
  customType,
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
import { instrumentUnits, instruments, sites } from './labs.ts';
import { orders } from './orders.ts';
import { organisations, users } from './orgs.ts';

export const bookingStatus = pgEnum('booking_status', [
  'held',
  'pending_approval',
  'confirmed',
  'in_use',
  'completed',
  'cancelled',
  'rejected',
  'expired',
  'no_show',
]);
export const bookingMode = pgEnum('booking_mode', ['self', 'assisted']);
export const rateTier = pgEnum('rate_tier', ['internal', 'external']);

/** PostgreSQL tstzrange, read and written in its text form, e.g. ["2026-12-01 01:00:00+00","2026-12-01 03:00:00+00"). */
const tstzrange = customType<{ data: string }>({ dataType: () => 'tstzrange' });

/** How an instrument may be booked; copied onto each booking when it is made. */
export interface BookingPolicySnapshot {
  slotMinutes: number;
  minMinutes: number;
  maxMinutes: number;
  leadMinutes: number;
  horizonDays: number;
  setupMinutes: number;
  cleanupMinutes: number;
  modes: ('self' | 'assisted')[];
  requiresApproval: boolean;
  holdMinutes: number;
  cancellationCutoffMinutes: number;
  cancellationFeeBasisPoints: number;
  /** Self-operation needs a valid training record for the instrument. */
  qualificationRequired: boolean;
  /** Check-in later than start + grace is recorded as a late arrival. */
  noShowGraceMinutes: number;
  /** No check-in by start + this: the booking is void (no_show), the slot released, a violation counted. */
  lateVoidMinutes: number;
  /** Per user, per instrument, per ISO week in the site's zone; null = no quota. */
  quotaMinutesPerWeek: number | null;
}

export const bookingPolicies = pgTable(
  'booking_policies',
  {
    instrumentId: uuid('instrument_id')
      .primaryKey()
      .references(() => instruments.id, { onDelete: 'cascade' }),
    slotMinutes: integer('slot_minutes').notNull().default(30),
    minMinutes: integer('min_minutes').notNull().default(30),
    maxMinutes: integer('max_minutes').notNull().default(480),
    leadMinutes: integer('lead_minutes')
      .notNull()
      .default(24 * 60),
    horizonDays: integer('horizon_days').notNull().default(60),
    setupMinutes: integer('setup_minutes').notNull().default(0),
    cleanupMinutes: integer('cleanup_minutes').notNull().default(0),
    modes: bookingMode('modes')
      .array()
      .notNull()
      .default(sql`'{self,assisted}'::booking_mode[]`),
    requiresApproval: boolean('requires_approval').notNull().default(true),
    holdMinutes: integer('hold_minutes').notNull().default(15),
    cancellationCutoffMinutes: integer('cancellation_cutoff_minutes')
      .notNull()
      .default(24 * 60),
    cancellationFeeBasisPoints: integer('cancellation_fee_bp').notNull().default(5000),
    qualificationRequired: boolean('qualification_required').notNull().default(false),
    noShowGraceMinutes: integer('no_show_grace_minutes').notNull().default(15),
    lateVoidMinutes: integer('late_void_minutes').notNull().default(60),
    quotaMinutesPerWeek: integer('quota_minutes_per_week'),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    check('booking_policies_slot', sql`${t.slotMinutes} BETWEEN 5 AND 1440`),
    check('booking_policies_durations', sql`${t.minMinutes} > 0 AND ${t.maxMinutes} >= ${t.minMinutes}`),
    check('booking_policies_fee', sql`${t.cancellationFeeBasisPoints} BETWEEN 0 AND 10000`),
    check(
      'booking_policies_no_show',
      sql`${t.noShowGraceMinutes} >= 0 AND ${t.lateVoidMinutes} >= ${t.noShowGraceMinutes}`,
    ),
    check('booking_policies_quota', sql`${t.quotaMinutesPerWeek} IS NULL OR ${t.quotaMinutesPerWeek} > 0`),
  ],
);

export const bookings = pgTable(
  'bookings',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    instrumentId: uuid('instrument_id')
      .notNull()
      .references(() => instruments.id),
    unitId: uuid('unit_id')
      .notNull()
      .references(() => instrumentUnits.id),
    labId: uuid('lab_id')
      .notNull()
      .references(() => organisations.id),
    customerOrgId: uuid('customer_org_id')
      .notNull()
      .references(() => organisations.id),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    mode: bookingMode('mode').notNull(),
    status: bookingStatus('status').notNull(),
    startsAt: timestamp('starts_at', { withTimezone: true }).notNull(),
    endsAt: timestamp('ends_at', { withTimezone: true }).notNull(),
    /** The booked time plus set-up and clean-up buffers: what the unit is unavailable for. */
    occupied: tstzrange('occupied').notNull(),
    holdExpiresAt: timestamp('hold_expires_at', { withTimezone: true }),
    rateTier: rateTier('rate_tier').notNull(),
    /** Price snapshot in fen: rate for the tier × booked hours, never recomputed. */
    priceAmount: integer('price_amount').notNull(),
    currency: text('currency').notNull().default('CNY'),
    policy: jsonb('policy').$type<BookingPolicySnapshot>().notNull(),
    notes: text('notes').notNull().default(''),
    /** Hourly rate of the customer's tier when the booking was made (fen). */
    hourlyRate: integer('hourly_rate').notNull().default(0),
    rejectionReason: text('rejection_reason'),
    actualStart: timestamp('actual_start', { withTimezone: true }),
    actualEnd: timestamp('actual_end', { withTimezone: true }),
    /** On completion: max(booked, actual rounded up to the slot) minutes, and its price in fen. */
    billableMinutes: integer('billable_minutes'),
    billedAmount: integer('billed_amount'),
    paymentStatus: text('payment_status').notNull().default('unpaid'),
    cancelledAt: timestamp('cancelled_at', { withTimezone: true }),
    cancelledBy: uuid('cancelled_by'),
    /** Fee in fen charged for a late cancellation, per the snapshot policy. */
    cancellationFee: integer('cancellation_fee'),
    /** Part of the cancellation fee (fen) waived because someone else booked the freed time. */
    cancellationFeeWaived: integer('cancellation_fee_waived').notNull().default(0),
    /** Assisted mode: the lab operator who runs the instrument (never double-booked either). */
    operatorId: uuid('operator_id').references(() => users.id),
    /** Recurring bookings: the series this occurrence belongs to. */
    seriesId: uuid('series_id'),
    /** Reschedule: the booking that replaced this one (this one is then cancelled without a fee). */
    rescheduledTo: uuid('rescheduled_to'),
    /** When the reminders went out; a reminder is sent at most once. */
    reminded24hAt: timestamp('reminded_24h_at', { withTimezone: true }),
    reminded1hAt: timestamp('reminded_1h_at', { withTimezone: true }),
    /** Check-in after start + grace. */
    lateArrival: boolean('late_arrival').notNull().default(false),
    /** Order work the lab scheduled onto the instrument (outsourced experiment, commissioned test). */
    orderId: uuid('order_id').references(() => orders.id),
    /**
     * Set on a booking that replaced a committed one (a reschedule): free cancellation ends here, the
     * cut-off before the earlier of the two starts ("the earlier start decides"). Null: the cut-off
     * of the policy snapshot before this booking's own start.
     */
    freeCancellationUntil: timestamp('free_cancellation_until', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('bookings_customer_idx').on(t.customerOrgId, t.startsAt),
    index('bookings_lab_idx').on(t.labId, t.startsAt),
    index('bookings_instrument_idx').on(t.instrumentId, t.startsAt),
    index('bookings_user_idx').on(t.userId, t.startsAt),
    index('bookings_series_idx').on(t.seriesId),
    index('bookings_order_idx')
      .on(t.orderId)
      .where(sql`${t.orderId} IS NOT NULL`),
    index('bookings_active_start_idx')
      .on(t.startsAt)
      .where(sql`${t.status} IN ('pending_approval', 'confirmed')`),
    // The hold-expiry sweep's filter (status = 'held' AND hold_expires_at <= now).
    index('bookings_hold_expiry_idx')
      .on(t.holdExpiresAt)
      .where(sql`${t.status} = 'held'`),
    // A person's live holds (hold_expires_at > now), counted against the lab's hold limits on every hold.
    index('bookings_user_holds_idx')
      .on(t.userId, t.holdExpiresAt)
      .where(sql`${t.status} = 'held'`),
    check('bookings_times', sql`${t.endsAt} > ${t.startsAt}`),
    check('bookings_price', sql`${t.priceAmount} >= 0`),
  ],
);
export type Booking = typeof bookings.$inferSelect;

/** Idempotency-Key replay store: the first answer to a creating POST, per user and key. */
export const idempotencyKeys = pgTable(
  'idempotency_keys',
  {
    userId: uuid('user_id').notNull(),
    key: text('key').notNull(),
    requestHash: text('request_hash').notNull(),
    statusCode: integer('status_code').notNull(),
    response: jsonb('response').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('idempotency_keys_uq').on(t.userId, t.key)],
);

/**
 * Weekly opening hours in the site's wall-clock time; rows for an instrument replace its site's.
 * No rows at all means the default working week (see the availability module).
 */
export const openingHours = pgTable(
  'opening_hours',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    siteId: uuid('site_id').references(() => sites.id, { onDelete: 'cascade' }),
    instrumentId: uuid('instrument_id').references(() => instruments.id, { onDelete: 'cascade' }),
    /** ISO weekday, 1 = Monday … 7 = Sunday. */
    weekday: integer('weekday').notNull(),
    opensAt: text('opens_at').notNull(),
    closesAt: text('closes_at').notNull(),
  },
  (t) => [
    check('opening_hours_owner', sql`(${t.siteId} IS NULL) <> (${t.instrumentId} IS NULL)`),
    check('opening_hours_weekday', sql`${t.weekday} BETWEEN 1 AND 7`),
    check(
      'opening_hours_times',
      sql`${t.opensAt} ~ '^[0-2][0-9]:[0-5][0-9]$' AND ${t.closesAt} ~ '^[0-2][0-9]:[0-5][0-9]$' AND ${t.opensAt} < ${t.closesAt}`,
    ),
    index('opening_hours_site_idx').on(t.siteId),
    index('opening_hours_instrument_idx').on(t.instrumentId),
  ],
);

/** A lab closure, or maintenance taking one instrument or one unit offline, over a span of time. */
export const closures = pgTable(
  'closures',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    labId: uuid('lab_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'cascade' }),
    instrumentId: uuid('instrument_id').references(() => instruments.id, { onDelete: 'cascade' }),
    unitId: uuid('unit_id').references(() => instrumentUnits.id, { onDelete: 'cascade' }),
    during: tstzrange('during').notNull(),
    reason: text('reason').notNull().default(''),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('closures_lab_idx').on(t.labId)],
);

/** A recurring booking: the rule and the wall-clock start it was expanded from. */
export const bookingSeries = pgTable('booking_series', {
  id: uuid('id').primaryKey().defaultRandom(),
  instrumentId: uuid('instrument_id')
    .notNull()
    .references(() => instruments.id),
  userId: uuid('user_id')
    .notNull()
    .references(() => users.id),
  customerOrgId: uuid('customer_org_id')
    .notNull()
    .references(() => organisations.id),
  /** RFC 5545 RRULE, e.g. FREQ=WEEKLY;BYDAY=TU;COUNT=8. */
  rule: text('rule').notNull(),
  /** First occurrence in the site's wall-clock time, e.g. 2026-12-01T09:00, and its zone. */
  localStart: text('local_start').notNull(),
  timeZone: text('time_zone').notNull(),
  durationMinutes: integer('duration_minutes').notNull(),
  mode: bookingMode('mode').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

/**
 * Training / qualification on an instrument: lets a customer self-operate it, or makes a lab
 * member a qualified operator for assisted bookings.
 */
export const trainingRecords = pgTable(
  'training_records',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    labId: uuid('lab_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'cascade' }),
    instrumentId: uuid('instrument_id')
      .notNull()
      .references(() => instruments.id, { onDelete: 'cascade' }),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    qualifiedAt: timestamp('qualified_at', { withTimezone: true }).notNull(),
    /** Null: does not expire. */
    expiresAt: timestamp('expires_at', { withTimezone: true }),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
    note: text('note').notNull().default(''),
    recordedBy: uuid('recorded_by').references(() => users.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('training_records_user_idx').on(t.userId, t.instrumentId),
    index('training_records_instrument_idx').on(t.instrumentId),
    check('training_records_expiry', sql`${t.expiresAt} IS NULL OR ${t.expiresAt} > ${t.qualifiedAt}`),
  ],
);
export type TrainingRecord = typeof trainingRecords.$inferSelect;

export const violationKind = pgEnum('violation_kind', ['no_show', 'late_cancellation', 'overbooking']);

/** A strike against a user at a lab; past the lab's threshold the user may not self-book there. */
export const bookingViolations = pgTable(
  'booking_violations',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    labId: uuid('lab_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'cascade' }),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    bookingId: uuid('booking_id').references(() => bookings.id, { onDelete: 'set null' }),
    kind: violationKind('kind').notNull(),
    occurredAt: timestamp('occurred_at', { withTimezone: true }).notNull(),
    note: text('note').notNull().default(''),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('booking_violations_user_idx').on(t.labId, t.userId, t.occurredAt),
    uniqueIndex('booking_violations_once_uq').on(t.bookingId, t.kind),
  ],
);

/** A lab manager lifting a user's block: violations before it no longer count. */
export const bookingBlockLifts = pgTable(
  'booking_block_lifts',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    labId: uuid('lab_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'cascade' }),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    liftedBy: uuid('lifted_by').references(() => users.id),
    reason: text('reason').notNull().default(''),
    liftedAt: timestamp('lifted_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('booking_block_lifts_idx').on(t.labId, t.userId, t.liftedAt)],
);

/** Per-lab booking settings (defaults apply when a lab has no row). */
export const labBookingSettings = pgTable(
  'lab_booking_settings',
  {
    labId: uuid('lab_id')
      .primaryKey()
      .references(() => organisations.id, { onDelete: 'cascade' }),
    /** Blocked when violations in the window are MORE than this. */
    violationThreshold: integer('violation_threshold').notNull().default(3),
    violationWindowDays: integer('violation_window_days').notNull().default(365),
    /**
     * Live holds (held, not yet lapsed) one person may have at once on one instrument of the lab,
     * and across the lab; a series counts as one hold. Keeps one customer from hoarding slots.
     */
    maxHoldsPerInstrument: integer('max_holds_per_instrument').notNull().default(2),
    maxHoldsPerLab: integer('max_holds_per_lab').notNull().default(5),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    check('lab_booking_settings_threshold', sql`${t.violationThreshold} >= 0`),
    check('lab_booking_settings_window', sql`${t.violationWindowDays} BETWEEN 1 AND 3650`),
    check(
      'lab_booking_settings_holds',
      sql`${t.maxHoldsPerInstrument} BETWEEN 1 AND 1000 AND ${t.maxHoldsPerLab} BETWEEN ${t.maxHoldsPerInstrument} AND 1000`,
    ),
  ],
);

export const waitlistStatus = pgEnum('waitlist_status', ['waiting', 'offered', 'accepted', 'expired', 'cancelled']);

/** Someone waiting for a taken time; when it frees up, the first in line is offered a hold. */
export const waitlistEntries = pgTable(
  'waitlist_entries',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    instrumentId: uuid('instrument_id')
      .notNull()
      .references(() => instruments.id, { onDelete: 'cascade' }),
    labId: uuid('lab_id')
      .notNull()
      .references(() => organisations.id),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    customerOrgId: uuid('customer_org_id')
      .notNull()
      .references(() => organisations.id),
    startsAt: timestamp('starts_at', { withTimezone: true }).notNull(),
    endsAt: timestamp('ends_at', { withTimezone: true }).notNull(),
    mode: bookingMode('mode').notNull(),
    status: waitlistStatus('status').notNull().default('waiting'),
    /** The held booking offered to this entry, and until when the offer stands. */
    offeredBookingId: uuid('offered_booking_id').references(() => bookings.id),
    offerExpiresAt: timestamp('offer_expires_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('waitlist_instrument_idx').on(t.instrumentId, t.startsAt),
    index('waitlist_user_idx').on(t.userId),
    check('waitlist_times', sql`${t.endsAt} > ${t.startsAt}`),
  ],
);

/** Per-user secret iCal feed. */
export const calendarFeeds = pgTable('calendar_feeds', {
  userId: uuid('user_id')
    .primaryKey()
    .references(() => users.id, { onDelete: 'cascade' }),
  /**
   * SHA-256 (hex) of the random secret in the feed URL, like sessions and API tokens: a database
   * leak reveals no feed. The URL is shown once, when it is made; rotating it revokes the old one.
   */
  tokenHash: text('token_hash').notNull().unique(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});
