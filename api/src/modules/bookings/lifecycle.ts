import type { Booking, BookingPolicySnapshot, Tx } from '@qihub/db';
import { membershipIn, requireActor, type Actor } from '../../lib/actor.ts';
import { enqueueAfterCommit } from '../../lib/audit.ts';
import { AppError, notFound } from '../../lib/errors.ts';
import * as billing from '../invoices/index.ts';
import * as standing from '../training-and-violations/index.ts';
import { auditBooking } from './audit.ts';
import * as repo from './repository.ts';
import { DEFAULT_POLICY } from '../availability/index.ts';
import { arrival, billableMinutes, customerCancellationFee, priceForMinutes } from './rules.ts';
import { waiveFeesFilledBy } from './reschedule.ts';
import { canSee, toBookingView } from './view.ts';
import type { BookingDeps } from './vetting.ts';

/** Minutes after the booked end within which an overrun is not billed. */
const OVERRUN_GRACE_MINUTES = 10;
/** Check-in opens this long before the start (the check-in page at the instrument shows the same window). */
export const CHECK_IN_EARLY_MINUTES = 30;

/**
 * Who acts on a booking: `lab` = a manager or staff member of the booking's lab (approves,
 * rejects, cancels for the lab); `operator` = one of the lab's operators (checks in and out only);
 * `customer` = a member of the customer organisation — for a lab's internal booking, only the
 * person who booked.
 */
type Role = 'customer' | 'lab' | 'operator';

function rolesOf(actor: Actor, b: Booking): Role[] {
  const roles: Role[] = [];
  const lab = membershipIn(actor, b.labId);
  if (lab && lab.orgKind === 'lab') {
    if (lab.role === 'manager' || lab.role === 'staff') roles.push('lab');
    if (lab.role === 'operator') roles.push('operator');
  }
  const internal = b.customerOrgId === b.labId;
  if (membershipIn(actor, b.customerOrgId) && (!internal || actor.userId === b.userId)) roles.push('customer');
  return roles;
}

/** Policy snapshots on old rows may lack newer fields. */
const policyOf = (b: Booking): BookingPolicySnapshot => ({ ...DEFAULT_POLICY, ...b.policy });

function illegal(b: Booking, action: string): AppError {
  return new AppError(409, 'illegal_transition', `A ${b.status} booking cannot be ${action}.`);
}

/**
 * Runs one transition: loads and locks the booking, checks who may do it, applies the guarded
 * update and audits before/after, all in one transaction.
 */
async function transition(
  deps: BookingDeps,
  actor: Actor | null,
  id: string,
  spec: {
    action: string;
    /** For messages: "a confirmed booking cannot be <done>". */
    done: string;
    who: Role[];
    apply: (b: Booking, now: Date, tx: Tx, roles: Role[]) => Promise<Booking | undefined>;
  },
) {
  const a = requireActor(actor);
  return deps.db.transaction(async (tx) => {
    const before = await repo.findBooking(tx, id, true);
    if (!before || !canSee(a, before)) throw notFound('booking');
    const roles = rolesOf(a, before);
    if (!roles.some((r) => spec.who.includes(r))) {
      throw new AppError(403, 'forbidden', `Only the ${spec.who.join(' or ')} may ${spec.action} this booking.`);
    }
    const now = deps.clock();
    const after = await spec.apply(before, now, tx, roles);
    if (!after) throw illegal(before, spec.done);
    await auditBooking(tx, a, `booking.${spec.action}`, before, { before, after, at: now });
    return toBookingView(after);
  });
}

/**
 * The customer turns their hold into a commitment (bound from then on to the price, the
 * cancellation fee and no-show strikes), so only the customer confirms — for an internal booking
 * the lab member who booked it. The lab approves or rejects; it cannot commit a customer (403).
 */
export function confirmBooking(deps: BookingDeps, actor: Actor | null, id: string) {
  return transition(deps, actor, id, {
    action: 'confirm',
    done: 'confirmed',
    who: ['customer'],
    apply: async (b, now, tx) => {
      if (b.status === 'held' && b.holdExpiresAt && b.holdExpiresAt <= now) {
        throw new AppError(409, 'hold_expired', 'The hold has expired; book the slot again.');
      }
      const to = b.policy.requiresApproval ? 'pending_approval' : 'confirmed';
      const after = await repo.transitionBooking(tx, b.id, ['held'], to, { holdExpiresAt: null, updatedAt: now });
      if (after?.status === 'confirmed') await waiveFeesFilledBy(tx, after, now);
      return after;
    },
  });
}

export function approveBooking(deps: BookingDeps, actor: Actor | null, id: string) {
  return transition(deps, actor, id, {
    action: 'approve',
    done: 'approved',
    who: ['lab'],
    apply: async (b, now, tx) => {
      const after = await repo.transitionBooking(tx, b.id, ['pending_approval'], 'confirmed', { updatedAt: now });
      if (after) await waiveFeesFilledBy(tx, after, now);
      return after;
    },
  });
}

export function rejectBooking(deps: BookingDeps, actor: Actor | null, id: string, reason: string) {
  return transition(deps, actor, id, {
    action: 'reject',
    done: 'rejected',
    who: ['lab'],
    apply: (b, now, tx) =>
      repo.transitionBooking(tx, b.id, ['pending_approval', 'held'], 'rejected', {
        rejectionReason: reason.trim(),
        updatedAt: now,
      }),
  });
}

export function checkInBooking(deps: BookingDeps, actor: Actor | null, id: string) {
  return transition(deps, actor, id, {
    action: 'check-in',
    done: 'checked in',
    who: ['lab', 'operator', 'customer'],
    apply: async (b, now, tx) => {
      const policy = policyOf(b);
      const when = arrival(b.startsAt, now, policy);
      if (b.status === 'confirmed' && when === 'void') {
        throw new AppError(
          409,
          'late_arrival_void',
          `No check-in within ${policy.lateVoidMinutes} minutes of the start: the booking is void as a no-show.`,
        );
      }
      if (now.getTime() < b.startsAt.getTime() - CHECK_IN_EARLY_MINUTES * 60_000 || now >= b.endsAt) {
        throw new AppError(409, 'outside_check_in_window', 'Check in from 30 minutes before the start until the end.');
      }
      return repo.transitionBooking(tx, b.id, ['confirmed'], 'in_use', {
        actualStart: now,
        lateArrival: when === 'late',
        updatedAt: now,
      });
    },
  });
}

export function checkOutBooking(deps: BookingDeps, actor: Actor | null, id: string) {
  return transition(deps, actor, id, {
    action: 'check-out',
    done: 'checked out',
    who: ['lab', 'operator', 'customer'],
    apply: async (b, now, tx) => {
      const booked = (b.endsAt.getTime() - b.startsAt.getTime()) / 60_000;
      const actual = Math.ceil((now.getTime() - (b.actualStart ?? b.startsAt).getTime()) / 60_000);
      const minutes = billableMinutes({
        bookedMinutes: booked,
        actualMinutes: actual,
        slotMinutes: b.policy.slotMinutes,
        graceMinutes: OVERRUN_GRACE_MINUTES,
      });
      const after = await repo.transitionBooking(tx, b.id, ['in_use'], 'completed', {
        actualEnd: now,
        billableMinutes: minutes,
        billedAmount: priceForMinutes(b.hourlyRate, minutes),
        updatedAt: now,
      });
      if (after) await chargeBooking(tx, after, 'use', after.billedAmount ?? 0, now);
      return after;
    },
  });
}

/**
 * Cancellation by the customer or the lab. A customer cancelling a commitment (pending approval or
 * confirmed) after its free period pays the snapshot policy's fee (`customerCancellationFee`: for
 * a moved booking the free period ends at the cut-off before the earlier start), and when that fee
 * is above zero it counts as a `late_cancellation` violation for the person who booked. A hold is
 * no commitment: cancelling it is free, as letting it lapse is. A lab cancelling charges no fee and
 * records nothing against the customer (for an internal booking, the booker cancelling counts as
 * the customer).
 */
export function cancelBooking(deps: BookingDeps, actor: Actor | null, id: string) {
  return transition(deps, actor, id, {
    action: 'cancel',
    done: 'cancelled',
    who: ['customer', 'lab'],
    apply: async (b, now, tx, roles) => {
      const byCustomer = roles.includes('customer');
      const fee = byCustomer ? customerCancellationFee(b, now) : 0;
      return cancelWithFee(tx, b, actor?.userId ?? null, fee, now);
    },
  });
}

/**
 * Cancels a held, pending or confirmed booking with the fee charged; a fee above zero counts as a
 * `late_cancellation` violation for the person who booked. Undefined when it had already moved on.
 */
export async function cancelWithFee(tx: Tx, b: Booking, by: string | null, fee: number, now: Date) {
  const after = await repo.transitionBooking(tx, b.id, ['held', 'pending_approval', 'confirmed'], 'cancelled', {
    cancelledAt: now,
    cancelledBy: by,
    cancellationFee: fee,
    updatedAt: now,
  });
  if (after && fee > 0) {
    await chargeBooking(tx, after, 'late_cancellation', fee, now);
    await standing.recordViolation(tx, {
      labId: b.labId,
      userId: b.userId,
      bookingId: b.id,
      kind: 'late_cancellation',
      occurredAt: now,
    });
  }
  return after;
}

/**
 * The no-show sweep's step for one booking, inside the caller's transaction: a confirmed booking
 * nobody checked in by start + the policy's late-void time becomes `no_show` (its slot and operator
 * are released, as no_show is not active), a `no_show` violation is recorded for the person who
 * booked (once per booking), and it is audited as the system. Returns the booking, or undefined
 * when there was nothing to do (not due yet, checked in, or already moved on) — so repeats are harmless.
 */
export async function markNoShow(tx: Tx, bookingId: string, now: Date) {
  const b = await repo.findBooking(tx, bookingId, true);
  if (!b || b.status !== 'confirmed' || b.actualStart !== null) return undefined;
  if (arrival(b.startsAt, now, policyOf(b)) !== 'void') return undefined;
  const after = await repo.transitionBooking(tx, b.id, ['confirmed'], 'no_show', { updatedAt: now });
  if (!after) return undefined;
  // A no-show owes what a cancellation at the last minute would: the policy's late fee.
  await chargeBooking(tx, after, 'no_show', customerCancellationFee(b, now), now);
  await standing.recordViolation(tx, {
    labId: b.labId,
    userId: b.userId,
    bookingId: b.id,
    kind: 'no_show',
    occurredAt: now,
  });
  await auditBooking(tx, null, 'booking.no_show', b, { before: b, after, at: now });
  return toBookingView(after);
}

const CHARGE_TEXT = {
  use: { zh: '仪器机时', en: 'Instrument time' },
  late_cancellation: { zh: '迟取消费', en: 'Late cancellation fee' },
  no_show: { zh: '爽约费', en: 'No-show fee' },
} as const;

/**
 * Bills a customer's booking, exactly once per charge. A lab's own bookings — its internal use and
 * the instrument time it books for an order's work — are not billed as bookings (the order is).
 */
async function chargeBooking(tx: Tx, b: Booking, kind: keyof typeof CHARGE_TEXT, amount: number, now: Date) {
  if (b.orderId !== null || b.customerOrgId === b.labId || amount <= 0) return;
  const label = await billing.bookingLabel(tx, b.id);
  const minutes = kind === 'use' && b.billableMinutes ? `（${b.billableMinutes / 60} 小时）` : '';
  const charged = await billing.charge(tx, {
    labId: b.labId,
    customerOrgId: b.customerOrgId,
    source: { kind: 'booking', id: b.id },
    charge: kind,
    descriptionZh: `${CHARGE_TEXT[kind].zh}：${label.zh}${minutes}`,
    descriptionEn: `${CHARGE_TEXT[kind].en}: ${label.en}${kind === 'use' && b.billableMinutes ? ` (${b.billableMinutes / 60} h)` : ''}`,
    amount,
    currency: b.currency,
    at: now,
  });
  // A card on file pays it off-session — in a job after commit, never inside this transaction
  // (payments/off-session.ts: charged now, not held since booking, as a hold lapses in days).
  const invoiceId = charged?.invoice?.status === 'open' ? charged.invoice.id : null;
  if (invoiceId) {
    await enqueueAfterCommit(
      tx,
      'payments.charge-saved-card',
      { invoiceId },
      `payments.charge-saved-card:${invoiceId}`,
    );
  }
}
