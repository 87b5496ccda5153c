import { sql } from 'drizzle-orm';
import { bigint, date, integer, numeric, pgTable, primaryKey, text, uuid } from 'drizzle-orm/pg-core';

/**
 * Rollups of the programme's statistics (附件2), per month of China time, kept by triggers on the
 * rows they count (bookings, orders, reports) in the same transaction as the change, so the figures
 * stay live; `rebuild_statistics_rollups()` recomputes them from the records. Keyed by the
 * enterprise / instrument, not its region or size: those are joined when the figures are read, so a
 * moved or re-sized enterprise is counted where and as it is now, exactly as the records say.
 * The figures read whole months here and the days at the edges of a period from the records.
 */
/** The sums an enterprise's services add up to; the same columns per enterprise and per region. */
const enterpriseSums = () => ({
  serviceTimes: integer('service_times').notNull().default(0),
  reportsIssued: integer('reports_issued').notNull().default(0),
  ordersCompleted: integer('orders_completed').notNull().default(0),
  listValueFen: bigint('list_value_fen', { mode: 'number' }).notNull().default(0),
  chargedListedFen: bigint('charged_listed_fen', { mode: 'number' }).notNull().default(0),
});

export const statEnterpriseMonths = pgTable(
  'stat_enterprise_months',
  {
    /** First day of the month (Asia/Shanghai). */
    month: date('month').notNull(),
    /** The customer organisation (an enterprise when the figures count it). */
    enterpriseId: uuid('enterprise_id').notNull(),
    /** Service kind of the service times; '' for the figures that have none (orders completed). */
    kind: text('kind').notNull(),
    ...enterpriseSums(),
  },
  (t) => [primaryKey({ columns: [t.month, t.enterpriseId, t.kind] })],
);

export const statInstrumentMonths = pgTable(
  'stat_instrument_months',
  {
    month: date('month').notNull(),
    instrumentId: uuid('instrument_id').notNull(),
    /** The lab the bookings were at (where lab and instrument figures count). */
    labId: uuid('lab_id').notNull(),
    /** Checked-in → checked-out seconds of completed bookings, and those of other organisations than the lab. */
    machineSeconds: numeric('machine_seconds')
      .notNull()
      .default(sql`0`),
    externalSeconds: numeric('external_seconds')
      .notNull()
      .default(sql`0`),
    externalUses: integer('external_uses').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.month, t.instrumentId, t.labId] })],
);

/**
 * The enterprise rollup summed by where the enterprises are registered: one row per month, region
 * (the enterprise's own GB/T 2260 code) and kind, with the same sums. A province's year is a few
 * thousand rows here against ≈ 150,000 per-enterprise rows. Kept by `stat_add_enterprise()` with
 * the per-enterprise row (enterprises only), and moved when an enterprise's region changes (a
 * trigger on organisations), so it always equals the per-enterprise rows summed by current region.
 */
export const statRegionMonths = pgTable(
  'stat_region_months',
  {
    month: date('month').notNull(),
    regionCode: text('region_code').notNull(),
    kind: text('kind').notNull(),
    ...enterpriseSums(),
  },
  (t) => [primaryKey({ columns: [t.month, t.regionCode, t.kind] })],
);

/**
 * The enterprises served: one row per customer organisation and year with its service times in
 * each month (element 1 = January). Counting the enterprises served in a period reads one row per
 * enterprise instead of one per enterprise, month and kind. Kept by `stat_add_enterprise()`.
 */
export const statEnterpriseYears = pgTable(
  'stat_enterprise_years',
  {
    year: integer('year').notNull(),
    enterpriseId: uuid('enterprise_id').notNull(),
    serviceTimes: integer('service_times')
      .array()
      .notNull()
      .default(sql`'{0,0,0,0,0,0,0,0,0,0,0,0}'`),
  },
  (t) => [primaryKey({ columns: [t.year, t.enterpriseId] })],
);
