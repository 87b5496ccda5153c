import { sql } from 'drizzle-orm';
import type { DbOrTx } from '@qihub/db';

export interface HolidayYearRow {
  year: number;
  holidays: string[];
  makeupWorkdays: string[];
  note: string;
  updatedAt: Date;
  updatedBy: string | null;
  updatedByName: string | null;
}

type Raw = {
  year: number;
  holidays: string[];
  makeup_workdays: string[];
  note: string;
  updated_at: Date | string;
  updated_by: string | null;
  display_name: string | null;
};

const toRow = (r: Raw): HolidayYearRow => ({
  year: r.year,
  holidays: r.holidays,
  makeupWorkdays: r.makeup_workdays,
  note: r.note,
  updatedAt: r.updated_at instanceof Date ? r.updated_at : new Date(r.updated_at),
  updatedBy: r.updated_by,
  updatedByName: r.display_name,
});

// Dates as text: node-postgres would turn a date[] into JavaScript Dates at the process's midnight.
const COLUMNS = sql`h.year, h.holidays::text[] AS holidays, h.makeup_workdays::text[] AS makeup_workdays, h.note,
  h.updated_at, h.updated_by, u.display_name`;

export async function holidayYear(tx: DbOrTx, year: number, lock = false): Promise<HolidayYearRow | null> {
  const { rows } = await tx.execute<Raw>(sql`
    SELECT ${COLUMNS} FROM holiday_years h LEFT JOIN users u ON u.id = h.updated_by
    WHERE h.year = ${year} ${lock ? sql`FOR UPDATE OF h` : sql``}`);
  return rows[0] ? toRow(rows[0]) : null;
}

export async function saveHolidayYear(
  tx: DbOrTx,
  row: {
    year: number;
    holidays: string[];
    makeupWorkdays: string[];
    note: string;
    updatedAt: Date;
    updatedBy: string | null;
  },
): Promise<void> {
  // Array literals: the dates are checked YYYY-MM-DD (a JavaScript array would become a list of parameters).
  const list = (dates: string[]) => `{${dates.join(',')}}`;
  await tx.execute(sql`
    INSERT INTO holiday_years (year, holidays, makeup_workdays, note, updated_at, updated_by)
    VALUES (${row.year}, ${list(row.holidays)}::date[], ${list(row.makeupWorkdays)}::date[], ${row.note},
      ${row.updatedAt.toISOString()}::timestamptz, ${row.updatedBy})
    ON CONFLICT (year) DO UPDATE SET holidays = EXCLUDED.holidays, makeup_workdays = EXCLUDED.makeup_workdays,
      note = EXCLUDED.note, updated_at = EXCLUDED.updated_at, updated_by = EXCLUDED.updated_by`);
}

/** A new stamp for the calendar: other processes re-read holiday_years before their next computation. */
export async function stampHolidayCalendar(tx: DbOrTx, at: Date): Promise<void> {
  await tx.execute(sql`
    INSERT INTO holiday_calendar_stamp (id, stamp, changed_at) VALUES (true, gen_random_uuid(), ${at.toISOString()}::timestamptz)
    ON CONFLICT (id) DO UPDATE SET stamp = EXCLUDED.stamp, changed_at = EXCLUDED.changed_at`);
}
