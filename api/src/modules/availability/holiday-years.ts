import type { DbOrTx } from '@qihub/db';
import { setHolidayOverrides, type HolidayOverride } from './calendar.ts';
import { enteredHolidayYears, holidayCalendarStamp } from './repository.ts';

/** The stamp of the calendar this process holds in memory ('none': no year ever entered). */
let loadedStamp: string | undefined;

/**
 * Brings this process's copy of the entered holiday years up to date before an availability or
 * due-date computation: one primary-key read of holiday_calendar_stamp, and a re-read of the few
 * holiday_years rows only when another process (or this one) has changed them since. Call it first
 * in every async entry point that goes on to use `chinaDayKind` (opening windows, working days):
 * a year entered through any API process is then used by the very next computation in every
 * process, API or worker. Inside a transaction, pass it, so the check sees what the transaction sees
 * (and holds no second connection). Every transaction that computes these is READ COMMITTED, so the
 * stamp read never goes back to an older calendar than one this process has already used.
 */
export async function refreshHolidayCalendar(db: DbOrTx): Promise<void> {
  const stamp = (await holidayCalendarStamp(db)) ?? 'none';
  if (stamp === loadedStamp) return;
  const rows = await enteredHolidayYears(db);
  setHolidayOverrides(
    new Map<number, HolidayOverride>(
      rows.map((r) => [r.year, { holidays: new Set(r.holidays), makeupWorkdays: new Set(r.makeupWorkdays) }]),
    ),
  );
  // Read after the stamp, so the rows are at least as new as it (READ COMMITTED sees every later
  // commit): at worst they are newer, and the next check reloads once more for nothing.
  loadedStamp = stamp;
}
