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
