import type { Booking, Tx } from '@qihub/db';
import { membershipIn, requireActor, type Actor } from '../../lib/actor.ts';
import { recordAudit } from '../../lib/audit.ts';
import { AppError, notFound } from '../../lib/errors.ts';
import * as repo from './repository.ts';
import { billableMinutes, cancellationFee, priceForMinutes } from './rules.ts';
import { canSee, toBookingView, type BookingDeps } from './service.ts';

/** Minutes after the booked end within which an overrun is not billed. */
const OVERRUN_GRACE_MINUTES = 10;
/** Check-in opens this long before the start. */
const CHECK_IN_EARLY_MINUTES = 30;

type Role = 'customer' | 'lab';

function roleOf(actor: Actor, b: Booking): Role | null {
  const lab = membershipIn(actor, b.labId);
  if (lab && lab.orgKind === 'lab') return 'lab';
  if (membershipIn(actor, b.customerOrgId)) return 'customer';
  return null;
}

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
    apply: (b: Booking, now: Date, tx: Tx) => Promise<Booking | undefined>;
  },
) {
  const a = requireActor(actor);
  return deps.db.transaction(async (tx) => {
    const before = await repo.findBooking(tx, id, true);
    if (!before || !canSee(a, before)) throw notFound('booking');
    const role = roleOf(a, before);
    if (!role || !spec.who.includes(role)) {
      throw new AppError(403, 'forbidden', `Only the ${spec.who.join(' or ')} may ${spec.action} this booking.`);
    }
    const now = deps.clock();
    const after = await spec.apply(before, now, tx);
    if (!after) throw illegal(before, spec.done);
    await recordAudit(tx, a, {
      action: `booking.${spec.action}`,
      entityType: 'booking',
      entityId: id,
      orgId: before.customerOrgId,
      before: toBookingView(before),
      after: toBookingView(after),
    });
    return toBookingView(after);
  });
}

export function confirmBooking(deps: BookingDeps, actor: Actor | null, id: string) {
  return transition(deps, actor, id, {
    action: 'confirm',
    done: 'confirmed',
    who: ['customer', 'lab'],
    apply: async (b, now, tx) => {
      if (b.status === 'held' && b.holdExpiresAt && b.holdExpiresAt <= now) {
        throw new AppError(409, 'hold_expired', 'The hold has expired; book the slot again.');
      }
      const to = b.policy.requiresApproval ? 'pending_approval' : 'confirmed';
      return repo.transitionBooking(tx, b.id, ['held'], to, { holdExpiresAt: null, updatedAt: now });
    },
  });
}

export function approveBooking(deps: BookingDeps, actor: Actor | null, id: string) {
  return transition(deps, actor, id, {
    action: 'approve',
    done: 'approved',
    who: ['lab'],
    apply: (b, now, tx) => repo.transitionBooking(tx, b.id, ['pending_approval'], 'confirmed', { updatedAt: now }),
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
    who: ['lab', 'customer'],
    apply: async (b, now, tx) => {
      if (now.getTime() < b.startsAt.getTime() - CHECK_IN_EARLY_MINUTES * 60_000 || now >= b.endsAt) {
        throw new AppError(409, 'outside_check_in_window', 'Check in from 30 minutes before the start until the end.');
      }
      return repo.transitionBooking(tx, b.id, ['confirmed'], 'in_use', { actualStart: now, updatedAt: now });
    },
  });
}

export function checkOutBooking(deps: BookingDeps, actor: Actor | null, id: string) {
  return transition(deps, actor, id, {
    action: 'check-out',
    done: 'checked out',
    who: ['lab', 'customer'],
    apply: async (b, now, tx) => {
      const booked = (b.endsAt.getTime() - b.startsAt.getTime()) / 60_000;
      const actual = Math.ceil((now.getTime() - (b.actualStart ?? b.startsAt).getTime()) / 60_000);
      const minutes = billableMinutes({
        bookedMinutes: booked,
        actualMinutes: actual,
        slotMinutes: b.policy.slotMinutes,
        graceMinutes: OVERRUN_GRACE_MINUTES,
      });
      return repo.transitionBooking(tx, b.id, ['in_use'], 'completed', {
        actualEnd: now,
        billableMinutes: minutes,
        billedAmount: priceForMinutes(b.hourlyRate, minutes),
        updatedAt: now,
      });
    },
  });
}

/** Cancellation by the customer or the lab; inside the cut-off the snapshot policy's fee applies. */
export function cancelBooking(deps: BookingDeps, actor: Actor | null, id: string) {
  return transition(deps, actor, id, {
    action: 'cancel',
    done: 'cancelled',
    who: ['customer', 'lab'],
    apply: (b, now, tx) =>
      repo.transitionBooking(tx, b.id, ['held', 'pending_approval', 'confirmed'], 'cancelled', {
        cancelledAt: now,
        cancelledBy: actor?.userId ?? null,
        cancellationFee: cancellationFee({ price: b.priceAmount, start: b.startsAt, now, policy: b.policy }),
        updatedAt: now,
      }),
  });
}
