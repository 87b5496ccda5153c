import { boolean, date, index, integer, pgTable, smallint, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { orders, orderStatus } from './orders.ts';

/**
 * The efficiency evaluation's facts (效能评价), one row per order: the workflow stamps the figures
 * read, summed up from the order, its timeline, lines, objections and rating. Kept by triggers on
 * those tables in the same transaction as the change (so the figures stay live);
 * `rebuild_order_efficiency_facts()` recomputes them from the records. What depends on something
 * else than the order is read when the figures are: the lab's region and name (joined), and the
 * turnaround in working days (from the two China dates here and the holiday calendar as entered
 * then), so a moved lab or a changed holiday year needs no rebuild.
 */
export const orderEfficiencyFacts = pgTable(
  'order_efficiency_facts',
  {
    orderId: uuid('order_id')
      .primaryKey()
      .references(() => orders.id, { onDelete: 'cascade' }),
    labId: uuid('lab_id').notNull(),
    status: orderStatus('status').notNull(),
    /** The request (the order's creation). */
    requestedAt: timestamp('requested_at', { withTimezone: true }).notNull(),
    /** The first quote: the quote stamp, or the timeline's first `order.quoted` when that is earlier. */
    firstQuotedAt: timestamp('first_quoted_at', { withTimezone: true }),
    /** China dates (Asia/Shanghai) of the clock start and the first report issued: the turnaround's ends. */
    clockStartedDate: date('clock_started_date'),
    reportIssuedAt: timestamp('report_issued_at', { withTimezone: true }),
    reportIssuedDate: date('report_issued_date'),
    onTime: boolean('on_time'),
    retestCount: integer('retest_count').notNull().default(0),
    upheldObjections: integer('upheld_objections').notNull().default(0),
    /** The kind of the order's first line (by position, withdrawn lines last); null without lines. */
    kind: text('kind'),
    ratingScore: smallint('rating_score'),
    ratedAt: timestamp('rated_at', { withTimezone: true }),
  },
  (t) => [
    index('order_efficiency_facts_requested_idx').on(t.requestedAt),
    index('order_efficiency_facts_issued_idx').on(t.reportIssuedAt),
    index('order_efficiency_facts_rated_idx').on(t.ratedAt),
    index('order_efficiency_facts_lab_idx').on(t.labId),
  ],
);
