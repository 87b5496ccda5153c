/** Instrument bookings: holds, approval, check-in and out, reschedules, series and the waitlist. */
export { bookingRoutes } from './routes.ts';
export { bookingRescheduleRoutes } from './reschedule-routes.ts';
export { bookingSeriesRoutes } from './series-routes.ts';
export { waitlistRoutes } from './waitlist-routes.ts';
export { auditBooking } from './audit.ts';
export { insertHold } from './holds.ts';
export { canSee, toBookingView } from './view.ts';
export { vetSlot } from './vetting.ts';
export { DEFAULT_POLICY } from '../availability/index.ts';
export { isBlocked } from '../training-and-violations/index.ts';
export { BookingOut, IdempotencyHeaders } from './schema.ts';
export { bookingJobHandlers } from './jobs.ts';
export { cancelWithFee, CHECK_IN_EARLY_MINUTES, markNoShow } from './lifecycle.ts';
export { runWaitlistSweep } from './waitlist.ts';
export { dueNoShows, findBooking, instrumentForBooking } from './repository.ts';
export { bookingOperatorRoutes } from './operator-routes.ts';
