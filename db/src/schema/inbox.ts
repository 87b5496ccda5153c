import { pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';
import { users } from './orgs.ts';

/**
 * A person's choices about their inbox. Every notice always lands in the in-app inbox; `emailOff`
 * lists the notice categories (bookings, orders, money, events, platform) that are NOT also sent
 * by e-mail. Stored as what is switched off, so a category added later is mailed by default, and a
 * user without a row gets everything by e-mail (the behaviour before preferences existed).
 */
export const notificationPreferences = pgTable('notification_preferences', {
  userId: uuid('user_id')
    .primaryKey()
    .references(() => users.id, { onDelete: 'cascade' }),
  emailOff: text('email_off')
    .array()
    .notNull()
    .default(sql`'{}'::text[]`),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});
export type NotificationPreferences = typeof notificationPreferences.$inferSelect;
