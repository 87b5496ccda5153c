/** The programme's reference zone: qualification validity and report dates are Beijing dates. */
export const PLATFORM_TIME_ZONE = 'Asia/Shanghai';

/** YYYY-MM-DD of `instant` in `timeZone`. */
export function localDate(instant: Date, timeZone = PLATFORM_TIME_ZONE): string {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(instant);
  return parts;
}

/**
 * The years an instant or a local date in a request may fall in (checked with the formats
 * `date-time` and `date`, so a value outside is a 400 like any malformed one). Nothing the platform
 * records or plans lies outside them, and outside them the tools disagree: before 1900 zones run on
 * local mean time (Shanghai was +08:05:43), JavaScript reads years 0–99 as 1900–1999, and PostgreSQL
 * has no year 0.
 */
export const FIRST_YEAR = 1900;
export const LAST_YEAR = 2099;

/** Whether an ISO date or date-time text ("2026-12-01", "2026-12-01T02:00:00Z") is inside those years. */
export function withinYears(isoText: string): boolean {
  const year = Number(isoText.slice(0, 4));
  return year >= FIRST_YEAR && year <= LAST_YEAR;
}
