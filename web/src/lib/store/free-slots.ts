import { mondayOf, localDateOf } from '$lib/time';
import { queryString } from '$lib/query-string';
import type { paths } from '$lib/api/schema';

export type FreeSlotHit =
  paths['/v1/availability/search']['get']['responses'][200]['content']['application/json']['items'][number];

/** The spans and lengths the instrument list offers for "free within … for … hours". */
export const FREE_WITHIN_DAYS = [1, 3, 7, 14, 30];
export const FREE_HOURS = [0.5, 1, 2, 4, 8];
/** How far ahead a catalogue card looks for its instrument's next free hour. */
export const NEXT_FREE_DAYS = 14;
/** Dates typed on the storefront ("free on …") are China dates. */
export const PLATFORM_ZONE = 'Asia/Shanghai';

/**
 * The instrument page's address that opens on a slot: its week, length and mode, with the slot
 * chosen in the booking form (`start`).
 */
export function slotBookingQuery(slotStart: string, minutes: number, timeZone: string, mode: 'self' | 'assisted') {
  return queryString({
    week: mondayOf(localDateOf(new Date(slotStart), timeZone)),
    duration: String(minutes),
    mode,
    start: slotStart,
  });
}
