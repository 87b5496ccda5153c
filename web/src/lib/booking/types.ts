// Shapes of the booking endpoints, named from the generated OpenAPI types.
import type { paths } from '$lib/api/schema';
import type { Ok } from '$lib/api-response';

export type Booking = Ok<paths['/v1/bookings/{id}']['get']>;
export type BookingMode = Booking['mode'];
/** The instrument's booking rules (what GET …/booking-policy answers, without `isDefault`). */
export type BookingPolicy = Omit<Ok<paths['/v1/instruments/{id}/booking-policy']['get']>, 'isDefault'>;
export type WaitlistEntry = Ok<paths['/v1/waitlist']['get']>['items'][number];
export type TrainingRecord = Ok<paths['/v1/me/training-records']['get']>['items'][number];

/** What a booking list shows of its instrument. */
export interface InstrumentBrief {
  id: string;
  nameZh: string;
  nameEn: string;
  labNameZh: string;
  labNameEn: string;
  timeZone: string;
}
