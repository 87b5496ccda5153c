import { bookingMode, bookingStatus, rateTier } from '@qihub/db';
import { Type } from 'typebox';
import { DateTime, ListQuery, Money, Nullable, Uuid } from '../../lib/schema.ts';

/** A UTC instant in a request (reschedule, waitlist). */
export const Instant = Type.String({ format: 'date-time', description: 'UTC instant, e.g. 2026-12-01T01:00:00Z' });

export const BookingCreate = Type.Object(
  {
    instrumentId: Uuid,
    start: Type.String({ format: 'date-time', description: 'UTC instant, e.g. 2026-12-01T01:00:00Z' }),
    end: Type.String({ format: 'date-time' }),
    mode: Type.Enum(bookingMode.enumValues),
    notes: Type.Optional(Type.String({ maxLength: 2000 })),
  },
  { $id: 'BookingCreate', additionalProperties: false },
);

export const IdempotencyHeaders = Type.Object({
  'idempotency-key': Type.Optional(Type.String({ minLength: 8, maxLength: 200 })),
});

export const BookingOut = Type.Object(
  {
    id: Uuid,
    instrumentId: Uuid,
    unitId: Uuid,
    labId: Uuid,
    customerOrgId: Uuid,
    mode: Type.Enum(bookingMode.enumValues, { $id: 'BookingMode' }),
    status: Type.Enum(bookingStatus.enumValues, { $id: 'BookingStatus' }),
    start: DateTime,
    end: DateTime,
    holdExpiresAt: Nullable(DateTime),
    rateTier: Type.Enum(rateTier.enumValues, { $id: 'RateTier' }),
    price: Money,
    cancellationFee: Nullable(Money),
    rejectionReason: Nullable(Type.String()),
    actualStart: Nullable(DateTime),
    actualEnd: Nullable(DateTime),
    billableMinutes: Nullable(Type.Integer()),
    billed: Nullable(Money),
    paymentStatus: Type.String(),
    /** Assisted mode: the lab operator allocated to the booking. */
    operatorId: Nullable(Uuid),
    lateArrival: Type.Boolean({ description: 'Checked in after start + the policy grace period' }),
    /** Part of the cancellation fee waived because someone else booked the freed time. */
    cancellationFeeWaived: Nullable(Money),
    cancellationTerms: Type.Object(
      {
        freeUntil: DateTime,
        feeBasisPoints: Type.Integer({ description: '5000 = 50 % of the price' }),
        cutoffMinutes: Type.Integer({ description: 'Free cancellation ends this long before the start (or earlier)' }),
      },
      {
        description:
          'The terms the customer cancels under (snapshotted when booked): free until freeUntil, then the fee. ' +
          'A moved booking keeps the terms of the one it replaced, and its free period ends at the cut-off before ' +
          'the earlier of the two starts. A hold (not yet confirmed) cancels free at any time.',
      },
    ),
    notes: Type.String(),
    /** Recurring bookings: the series this occurrence belongs to (GET /v1/booking-series/{id}). */
    seriesId: Nullable(Uuid),
    createdAt: DateTime,
  },
  { $id: 'Booking' },
);

export const BookingListQuery = Type.Object({ ...ListQuery });
