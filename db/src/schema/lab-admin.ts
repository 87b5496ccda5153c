import { sql } from 'drizzle-orm';
import { index, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { memberRole } from './enums.ts';
import { organisations, users } from './orgs.ts';

/**
 * An invitation to join a lab, sent to an e-mail address with no account yet. It becomes a
 * membership (and `acceptedAt` is set) when that address registers or signs in; a manager may
 * withdraw it before then (`cancelledAt`). At most one open invitation per lab and address.
 */
export const labInvitations = pgTable(
  'lab_invitations',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    labId: uuid('lab_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'cascade' }),
    /** Trimmed and lower-cased, as accounts store theirs. */
    email: text('email').notNull(),
    role: memberRole('role').notNull(),
    invitedBy: uuid('invited_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    acceptedAt: timestamp('accepted_at', { withTimezone: true }),
    acceptedUserId: uuid('accepted_user_id').references(() => users.id, { onDelete: 'set null' }),
    cancelledAt: timestamp('cancelled_at', { withTimezone: true }),
    /** When the invitation e-mail went out (at most once; null without SMTP). */
    emailedAt: timestamp('emailed_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('lab_invitations_open_uq')
      .on(t.labId, t.email)
      .where(sql`${t.acceptedAt} IS NULL AND ${t.cancelledAt} IS NULL`),
    index('lab_invitations_email_idx').on(t.email),
  ],
);
export type LabInvitation = typeof labInvitations.$inferSelect;
