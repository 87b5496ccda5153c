import { sql } from 'drizzle-orm';
import { bigserial, check, index, pgEnum, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { orderSamples, orders } from './orders.ts';
import { users } from './orgs.ts';

/**
 * One handover of a sample (样品流转): received at the lab, stored (where), taken for testing (by
 * whom), back to storage, returned to the customer (by courier with a tracking number, or collected
 * in person) or disposed of. The log is append-only (a trigger refuses UPDATE and DELETE); a
 * sample's current state and place follow from its latest entries.
 */
export const custodyStep = pgEnum('custody_step', ['received', 'stored', 'taken', 'back', 'returned', 'disposed']);
export type CustodyStep = (typeof custodyStep.enumValues)[number];

export const sampleCustodyEntries = pgTable(
  'sample_custody_entries',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    sampleId: uuid('sample_id')
      .notNull()
      .references(() => orderSamples.id),
    orderId: uuid('order_id')
      .notNull()
      .references(() => orders.id),
    step: custodyStep('step').notNull(),
    /** When it happened, on the app clock (not the database's). */
    at: timestamp('at', { withTimezone: true }).notNull(),
    /** Who recorded it; null for entries carried over from before the log existed. */
    actorUserId: uuid('actor_user_id').references(() => users.id),
    /** Where the sample is kept after this step (received, stored, back), e.g. "样品间 A-3". */
    location: text('location'),
    /** Who took it for testing (taken). */
    takenBy: text('taken_by'),
    /** How it went back to the customer (returned): by courier, or collected in person. */
    returnMethod: text('return_method'),
    courier: text('courier'),
    trackingNumber: text('tracking_number'),
    collectedBy: text('collected_by'),
    /** Why, where the step was not the lab's own choice: "cancellation", "backfill". */
    cause: text('cause'),
    note: text('note').notNull().default(''),
  },
  (t) => [
    index('sample_custody_sample_idx').on(t.sampleId, t.id),
    index('sample_custody_order_idx').on(t.orderId, t.id),
    check('sample_custody_stored_where', sql`${t.step} NOT IN ('stored', 'back') OR coalesce(${t.location}, '') <> ''`),
    check('sample_custody_taken_by', sql`${t.step} <> 'taken' OR coalesce(${t.takenBy}, '') <> ''`),
    check(
      'sample_custody_return_method',
      sql`${t.returnMethod} IS NULL OR (${t.step} = 'returned' AND ${t.returnMethod} IN ('courier', 'in_person'))`,
    ),
    check(
      'sample_custody_courier',
      sql`${t.returnMethod} IS DISTINCT FROM 'courier' OR (coalesce(${t.courier}, '') <> '' AND coalesce(${t.trackingNumber}, '') <> '')`,
    ),
  ],
);
export type SampleCustodyEntry = typeof sampleCustodyEntries.$inferSelect;
