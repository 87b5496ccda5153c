/**
 * The instant every browser journey starts at: Friday 27 November 2026, 09:00 in China, a working
 * day just after the demo seed's latest events. The API and the web server run on a clock that
 * starts here and keeps running (the pages show what the server renders), so a journey books "next Monday" on the same Monday every day
 * of the year (and the seeded quotes, events and recalls are where the seed put them).
 */
export const JOURNEY_START = new Date('2026-11-27T01:00:00Z');

export interface JourneyClock {
  /** "Now" on the journey's clock. */
  readonly now: Date;
  /** Real time plus this is the journey's time (handed to the web server). */
  readonly offsetMs: number;
  advance(ms: number): void;
}

export function journeyClock(start = JOURNEY_START): JourneyClock {
  let offsetMs = start.getTime() - Date.now();
  return {
    get now() {
      return new Date(Date.now() + offsetMs);
    },
    get offsetMs() {
      return offsetMs;
    },
    advance(ms: number) {
      offsetMs += ms;
    },
  };
}

/** A local date (YYYY-MM-DD, China time) `days` after the journey clock's now. */
export function chinaDate(clock: JourneyClock, days = 0): string {
  const t = new Date(clock.now.getTime() + days * 86_400_000 + 8 * 3_600_000);
  return t.toISOString().slice(0, 10);
}

/** The first date, `fromDays` or more ahead, that falls on the given ISO weekday (1 = Monday) in China. */
export function nextChinaWeekday(clock: JourneyClock, isoWeekday: number, fromDays = 1): string {
  for (let d = fromDays; d < fromDays + 7; d++) {
    const date = chinaDate(clock, d);
    const wd = new Date(`${date}T00:00:00Z`).getUTCDay() || 7;
    if (wd === isoWeekday) return date;
  }
  throw new Error('unreachable');
}
