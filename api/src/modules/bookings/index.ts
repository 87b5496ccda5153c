/** Instrument bookings: holds, approval, check-in and out, reschedules, series and the waitlist. */
export { bookingRoutes } from './routes.ts';
export { bookingExtraRoutes } from './extra-routes.ts';
export { canSee, insertHold, toBookingView, vetSlot } from './service.ts';
export { DEFAULT_POLICY, isBlocked } from './rules.ts';
export { IdempotencyHeaders } from './schema.ts';
export { markNoShow } from './lifecycle.ts';
export { runWaitlistSweep } from './waitlist.ts';
export {
  dueNoShows,
  expireHolds,
  findBooking,
  findIdempotent,
  instrumentForBooking,
  saveIdempotent,
} from './repository.ts';
