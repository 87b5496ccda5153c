import type { Actor } from '../../lib/actor.ts';
import { openingWindows, type WeeklyHours, type Window } from '../availability/index.ts';
import { parseSpan, refreshHolidayCalendar } from '../availability/index.ts';
import * as repo from './repository.ts';
import { assertReader, type ScheduleDeps } from './access.ts';
import { toClosureView, toScheduleBooking } from './closures.ts';

/** The lab's resource calendar: instruments with units, opening windows, bookings and closures (3 queries). */
export async function labSchedule(
  deps: ScheduleDeps,
  actor: Actor | null,
  labId: string,
  query: { from: string; to: string },
) {
  assertReader(actor, labId, 'lab');
  const { from, to } = parseSpan(query.from, query.to);
  const [instrumentRows, bookingRows, closureRows] = await Promise.all([
    refreshHolidayCalendar(deps.db).then(() => repo.scheduleInstruments(deps.db, labId)),
    repo.scheduleBookings(deps.db, labId, from, to),
    repo.listClosures(deps.db, labId, from, to),
  ]);
  const windowsByKey = new Map<string, Window[]>();
  const windowsOf = (timeZone: string, hours: WeeklyHours[]) => {
    const key = `${timeZone}|${JSON.stringify(hours)}`;
    let w = windowsByKey.get(key);
    if (!w) windowsByKey.set(key, (w = openingWindows(from, to, timeZone, hours)));
    return w;
  };
  const closures = closureRows.map(toClosureView);
  const bookingsOf = new Map<string, ReturnType<typeof toScheduleBooking>[]>();
  for (const b of bookingRows) {
    const list = bookingsOf.get(b.instrumentId) ?? [];
    list.push(toScheduleBooking(b));
    bookingsOf.set(b.instrumentId, list);
  }
  return {
    labId,
    from: from.toISOString(),
    to: to.toISOString(),
    instruments: instrumentRows.map((i) => ({
      id: i.id,
      nameZh: i.nameZh,
      nameEn: i.nameEn,
      status: i.status,
      timeZone: i.timeZone,
      units: i.units,
      openingWindows: windowsOf(i.timeZone, i.hours).map((w) => ({
        start: w.start.toISOString(),
        end: w.end.toISOString(),
      })),
      bookings: bookingsOf.get(i.id) ?? [],
      closures: closures.filter((c) => c.instrumentId === i.id),
    })),
    labClosures: closures.filter((c) => c.instrumentId === null),
  };
}
