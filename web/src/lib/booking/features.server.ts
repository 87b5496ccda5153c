import spec from '$lib/api/openapi.json';

const paths = spec.paths as Record<string, unknown>;

/**
 * Which booking endpoints the API has, read from its OpenAPI document: parts of the booking
 * engine land one by one, and a control whose endpoint is missing is hidden rather than broken.
 */
export const bookingFeatures = {
  reschedule: '/v1/bookings/{id}/reschedule' in paths,
  ics: '/v1/bookings/{id}/ics' in paths,
  calendarFeed: '/v1/calendar/feed' in paths,
  waitlist: '/v1/waitlist' in paths,
  policy: '/v1/instruments/{id}/booking-policy' in paths,
  trainingRecords: '/v1/me/training-records' in paths,
};
export type BookingFeatures = typeof bookingFeatures;
