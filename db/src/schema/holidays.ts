import { boolean, check, date, integer, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';

/**
 * The national holiday calendar of a year as the top-level platform admins entered it (from the
 * State Council's notice, 国务院办公厅关于某年部分节假日安排的通知). A year entered here replaces the
 * `chinese-days` package's data for that year, for availability and working-day due dates computed
 * from then on; due dates already promised stay on their orders.
 */
export const holidayYears = pgTable(
  'holiday_years',
  {
    year: integer('year').primaryKey(),
    /** Days off (法定节假日 with their bridging days), YYYY-MM-DD in China. */
    holidays: date('holidays', { mode: 'string' }).array().notNull(),
    /** Weekend days that are working days (调休). */
    makeupWorkdays: date('makeup_workdays', { mode: 'string' }).array().notNull(),
    /** Where it comes from, e.g. the notice's number (国办发明电〔2026〕x号). */
    note: text('note').notNull().default(''),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
    updatedBy: uuid('updated_by'),
  },
  (t) => [check('holiday_years_year', sql`${t.year} BETWEEN 2000 AND 2100`)],
);
export type HolidayYear = typeof holidayYears.$inferSelect;

/**
 * One row: a stamp changed (a new random uuid) in the same transaction as every change to
 * holiday_years. Each process keeps the entered years in memory (the calendar is read synchronously
 * by every availability and due-date computation) and, before such a computation, reads this stamp —
 * one primary-key read — re-reading holiday_years only when it differs from the one it loaded. A
 * change committed by any process is therefore used by every process's next computation, with no
 * wait. A uuid rather than a counter: a process that talks to several databases (tests) cannot take
 * one database's calendar for another's.
 */
export const holidayCalendarStamp = pgTable(
  'holiday_calendar_stamp',
  {
    id: boolean('id').primaryKey().default(true),
    stamp: uuid('stamp').notNull(),
    changedAt: timestamp('changed_at', { withTimezone: true }).notNull(),
  },
  (t) => [check('holiday_calendar_stamp_one_row', sql`${t.id}`)],
);
