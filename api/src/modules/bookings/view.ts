import type { Booking } from '@qihub/db';
import { membershipIn, type Actor } from '../../lib/actor.ts';
import { DEFAULT_POLICY } from '../availability/index.ts';
import { freeCancellationUntil } from './rules.ts';

/** A booking as the API shows it (the policy it was made under completed with the defaults). */
export function toBookingView(b: Booking) {
  const policy = { ...DEFAULT_POLICY, ...b.policy };
  return {
    id: b.id,
    instrumentId: b.instrumentId,
    unitId: b.unitId,
    labId: b.labId,
    customerOrgId: b.customerOrgId,
    mode: b.mode,
    status: b.status,
    start: b.startsAt.toISOString(),
    end: b.endsAt.toISOString(),
    holdExpiresAt: b.holdExpiresAt?.toISOString() ?? null,
    rateTier: b.rateTier,
    price: { amount: b.priceAmount, currency: b.currency },
    cancellationFee: b.cancellationFee === null ? null : { amount: b.cancellationFee, currency: b.currency },
    rejectionReason: b.rejectionReason,
    actualStart: b.actualStart?.toISOString() ?? null,
    actualEnd: b.actualEnd?.toISOString() ?? null,
    billableMinutes: b.billableMinutes,
    billed: b.billedAmount === null ? null : { amount: b.billedAmount, currency: b.currency },
    paymentStatus: b.paymentStatus,
    operatorId: b.operatorId,
    lateArrival: b.lateArrival,
    cancellationFeeWaived:
      b.cancellationFee === null ? null : { amount: b.cancellationFeeWaived, currency: b.currency },
    cancellationTerms: {
      freeUntil: freeCancellationUntil({
        start: b.startsAt,
        policy,
        freeUntil: b.freeCancellationUntil,
      }).toISOString(),
      feeBasisPoints: policy.cancellationFeeBasisPoints,
      cutoffMinutes: policy.cancellationCutoffMinutes,
    },
    notes: b.notes,
    seriesId: b.seriesId,
    createdAt: b.createdAt.toISOString(),
  };
}
export type BookingView = ReturnType<typeof toBookingView>;

/** Customers see their organisation's bookings; labs see bookings of their instruments; others 404. */
export function canSee(actor: Actor | null, b: Booking) {
  return !!membershipIn(actor, b.customerOrgId) || !!membershipIn(actor, b.labId);
}
