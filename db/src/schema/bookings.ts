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
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    check('booking_policies_slot', sql`${t.slotMinutes} BETWEEN 5 AND 1440`),
    check('booking_policies_durations', sql`${t.minMinutes} > 0 AND ${t.maxMinutes} >= ${t.minMinutes}`),
    check('booking_policies_fee', sql`${t.cancellationFeeBasisPoints} BETWEEN 0 AND 10000`),
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
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('bookings_customer_idx').on(t.customerOrgId, t.startsAt),
    index('bookings_lab_idx').on(t.labId, t.startsAt),
    index('bookings_instrument_idx').on(t.instrumentId, t.startsAt),
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
