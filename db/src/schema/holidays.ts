import { check, date, integer, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
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
