import type { Db } from '@qihub/db';
import { notFound, validationFailed } from '../../lib/errors.ts';
import { policyFor } from '../bookings/policy.ts';
import { checkBookingRules } from '../bookings/rules.ts';
import { instrumentForBooking } from '../bookings/repository.ts';
import { openingWindows, toMultirange } from './calendar.ts';
import * as repo from './repository.ts';

export interface AvailabilityDeps {
  db: Db;
  clock: () => Date;
}

const MINUTE = 60_000;
/** At most this long a span per request, so one call stays cheap. */
const MAX_SPAN_DAYS = 31;

/**
 * Free slots of `durationMinutes` on the instrument's grid between two instants, with how many
 * units are free for each. Every slot offered passes the booking rules of the instrument's policy.
 */
export async function instrumentAvailability(
  deps: AvailabilityDeps,
  input: { instrumentId: string; from: string; to: string; durationMinutes: number; mode: 'self' | 'assisted' },
) {
  const from = new Date(input.from);
  const to = new Date(input.to);
  if (!(to > from) || to.getTime() - from.getTime() > MAX_SPAN_DAYS * 24 * 60 * MINUTE) {
    throw validationFailed([
      { path: '/to', code: 'invalid_span', message: `Ask for up to ${MAX_SPAN_DAYS} days after from.` },
    ]);
  }
  const instrument = await instrumentForBooking(deps.db, input.instrumentId);
  if (!instrument || instrument.status === 'retired') throw notFound('instrument');
  const policy = await policyFor(deps.db, instrument.id);
  const week = await repo.weeklyHoursOf(deps.db, instrument.id, instrument.siteId);
  const windows = openingWindows(from, to, instrument.timeZone, week);
  if (instrument.status !== 'active' || windows.length === 0) return { timeZone: instrument.timeZone, slots: [] };
  const free = await repo.freeRanges(deps.db, {
    instrumentId: instrument.id,
    labId: instrument.labId,
    opening: toMultirange(windows),
    from,
    to,
  });
  const now = deps.clock();
  const slots: { start: string; end: string; unitsFree: number }[] = [];
  const duration = input.durationMinutes * MINUTE;
  for (const w of windows) {
    for (let t = w.start.getTime(); t + duration <= w.end.getTime(); t += MINUTE * 5) {
      const start = new Date(t);
      const end = new Date(t + duration);
      // The rules decide the grid, lead time, horizon and duration, exactly as booking does.
      if (checkBookingRules({ start, end, now, mode: input.mode, policy, timeZone: instrument.timeZone }).length > 0)
        continue;
      const occupiedFrom = t - policy.setupMinutes * MINUTE;
      const occupiedTo = t + duration + policy.cleanupMinutes * MINUTE;
      const units = new Set(
        free.filter((f) => f.start.getTime() <= occupiedFrom && occupiedTo <= f.end.getTime()).map((f) => f.unitId),
      );
      if (units.size > 0) slots.push({ start: start.toISOString(), end: end.toISOString(), unitsFree: units.size });
    }
  }
  return { timeZone: instrument.timeZone, slots };
}
