import * as billing from '../invoices/index.ts';
import type { Booking, Tx } from '@qihub/db';
import { membershipIn, requireActor, type Actor } from '../../lib/actor.ts';
import { recordAudit } from '../../lib/audit.ts';
import { AppError, conflict, notFound } from '../../lib/errors.ts';
import { isLostRace } from '../../lib/pg-errors.ts';
import { auditBooking } from './audit.ts';
import * as repo from './repository.ts';
import { DEFAULT_POLICY } from '../availability/index.ts';
import { freeCancellationUntil } from './rules.ts';
import { insertHold } from './holds.ts';
import { canSee, toBookingView } from './view.ts';
import { vetSlot, type BookingDeps, type VettedSlot } from './vetting.ts';

/** Statuses a booking may be moved from: it holds a slot and has not started. */
const MOVABLE: readonly Booking['status'][] = ['held', 'pending_approval', 'confirmed'];

/**
 * Moves a booking to another time, atomically: in one transaction the old booking is released
 * (cancelled, no fee, `rescheduled_to` the new one) and the new slot is held on the same
 * instrument; if the new slot cannot be held the transaction rolls back and the old booking is
 * untouched — from the outside, the new slot is held before the old one is released. Releasing
 * first inside the transaction lets the new time overlap the old one on the same unit.
 *
 * Who: a member of the booking's customer organisation (the lab cancels or rejects instead).
 * When: any time before the booking starts, also inside the cancellation cut-off, and without a fee
 * at the time of the move. The new time must satisfy every booking rule (lead time, grid, opening
 * hours …) as a new booking would; the user's own old booking does not count against their quota.
 *
 * The earlier start decides: a committed booking (pending approval or confirmed) that moves keeps
 * the cancellation terms it was made under — the cut-off and fee of its policy snapshot — and its
 * free cancellation ends at the cut-off before the earlier of the old and new starts (never later
 * than the old booking's own end of free cancellation). So moving a booking out of its cut-off
 * and cancelling it costs what cancelling it directly would have. A hold is no commitment yet: a
 * moved hold takes the current terms, and keeps its hold expiry (a move is not a new hold).
 *
 * The new booking keeps its progress and its ties: a held booking stays held; a pending or
 * confirmed one goes to pending_approval when the instrument's current policy needs the lab's
 * approval, otherwise straight to confirmed (order work, which the lab does not approve, stays
 * confirmed); the order, the series and the waitlist offer it belongs to follow it.
 */
export async function rescheduleBooking(
  deps: BookingDeps,
  actor: Actor | null,
  id: string,
  input: { start: string; end: string },
) {
  const a = requireActor(actor);
  const current = await repo.findBooking(deps.db, id);
  if (!current || !canSee(a, current)) throw notFound('booking');
  if (!isCustomerOf(a, current)) {
    throw new AppError(403, 'forbidden', 'Only the customer may reschedule this booking.');
  }
  const now = deps.clock();
  assertMovable(current, now);
  const vetted = await vetSlot(
    deps,
    a,
    {
      instrumentId: current.instrumentId,
      start: new Date(input.start),
      end: new Date(input.end),
      mode: current.mode,
      notes: current.notes,
    },
    { ignoreBookingId: current.id },
  );
  // The booking stays with its customer organisation and the person who booked it (a colleague
  // may move it; the rules about the user were checked for the one moving it).
  const slot: VettedSlot = {
    ...vetted,
    customer: { orgId: current.customerOrgId, tier: vetted.customer.tier },
    userId: current.userId,
  };

  try {
    return await deps.db.transaction(async (tx) => {
      const before = await repo.findBooking(tx, id, true);
      if (!before) throw notFound('booking');
      assertMovable(before, now);
      const released = await repo.transitionBooking(tx, before.id, MOVABLE, 'cancelled', {
        cancelledAt: now,
        cancelledBy: a.userId,
        cancellationFee: 0,
        updatedAt: now,
      });
      if (!released) throw illegal(before);
      const committed = before.status !== 'held';
      const terms = committed ? carriedTerms(before, slot) : undefined;
      // An occurrence of a series stays in it (so "this and following" still covers it), order work
      // stays with its order.
      const held = await insertHold(tx, { ...slot, policy: { ...slot.policy, ...terms?.policy } }, now, {
        seriesId: before.seriesId ?? undefined,
        orderId: before.orderId,
        freeCancellationUntil: terms?.freeCancellationUntil ?? null,
        holdExpiresAt: committed ? undefined : (before.holdExpiresAt ?? undefined),
      });
      let next = held;
      if (committed) {
        const to = slot.policy.requiresApproval && !before.orderId ? 'pending_approval' : 'confirmed';
        next = (await repo.transitionBooking(tx, held.id, ['held'], to, { holdExpiresAt: null, updatedAt: now }))!;
        if (next.status === 'confirmed') await waiveFeesFilledBy(tx, next, now);
      } else {
        // A waitlist offer that moves is still the offer: the entry follows it.
        await repo.moveWaitlistOffer(tx, before.id, next.id, now);
      }
      const old = (await repo.transitionBooking(tx, before.id, ['cancelled'], 'cancelled', {
        rescheduledTo: next.id,
        updatedAt: now,
      }))!;
      await auditBooking(tx, a, 'booking.rescheduled', before, {
        before,
        after: old,
        note: { rescheduledTo: next.id },
        at: now,
      });
      await auditBooking(tx, a, 'booking.rescheduled_from', next, {
        after: next,
        note: { rescheduledFrom: before.id },
        at: now,
      });
      return { booking: toBookingView(next), previous: { ...toBookingView(old), rescheduledTo: next.id } };
    });
  } catch (error) {
    if (isLostRace(error)) throw conflict('slot_unavailable', 'This time was just taken.');
    throw error;
  }
}

/**
 * The cancellation terms a committed booking passes to the booking replacing it: its snapshot's
 * cut-off and fee, and free cancellation until the cut-off before the earlier of the two starts
 * (never later than its own end of free cancellation, so moving twice never pushes it back).
 */
function carriedTerms(before: Booking, slot: VettedSlot) {
  const policy = { ...DEFAULT_POLICY, ...before.policy };
  const kept = {
    cancellationCutoffMinutes: policy.cancellationCutoffMinutes,
    cancellationFeeBasisPoints: policy.cancellationFeeBasisPoints,
  };
  const own = freeCancellationUntil({ start: before.startsAt, policy, freeUntil: before.freeCancellationUntil });
  const next = freeCancellationUntil({ start: slot.request.start, policy: kept });
  return { policy: kept, freeCancellationUntil: own < next ? own : next };
}

function illegal(b: Booking) {
  return new AppError(409, 'illegal_transition', `A ${b.status} booking cannot be rescheduled.`);
}

function assertMovable(b: Booking, now: Date) {
  if (!MOVABLE.includes(b.status)) throw illegal(b);
  if (b.startsAt <= now)
    throw new AppError(409, 'illegal_transition', 'A booking that has begun cannot be rescheduled.');
  if (b.status === 'held' && b.holdExpiresAt && b.holdExpiresAt <= now) {
    throw new AppError(409, 'hold_expired', 'The hold has expired; book the slot again.');
  }
}

/**
 * The customer side of a booking or series: a member of its customer organisation — for an
 * internal booking (the lab booking its own instrument) only the person who booked it.
 */
export function isCustomerOf(actor: Actor, b: { customerOrgId: string; labId: string; userId: string }) {
  const internal = b.customerOrgId === b.labId;
  return !!membershipIn(actor, b.customerOrgId) && (!internal || actor.userId === b.userId);
}

/** The lab side: a manager or staff member of the booking's lab (operators run, they do not manage). */
export function isLabStaffOf(actor: Actor, labId: string) {
  const m = membershipIn(actor, labId);
  return !!m && m.orgKind === 'lab' && (m.role === 'manager' || m.role === 'staff');
}

/**
 * A booking became confirmed on time someone else cancelled late: their fee is waived pro rata
 * (`repo.waiveFreedFees`), audited as the system — as a single confirm or approve does.
 */
export async function waiveFeesFilledBy(tx: Tx, booking: Booking, now: Date) {
  for (const w of await repo.waiveFreedFees(tx, booking, now)) {
    // Billed already: the waived part comes back as a credit note, never an edit of the invoice.
    await billing.credit(tx, {
      source: { kind: 'booking', id: w.id },
      original: 'late_cancellation',
      charge: `fee_waiver:${booking.id}`,
      descriptionZh: '迟取消费减免（时段已被他人预约）',
      descriptionEn: 'Late cancellation fee waived (the freed time was booked)',
      amount: w.added,
      reason: '时段已被他人预约 (the freed time was booked)',
      at: now,
    });
    await recordAudit(tx, null, {
      at: now,
      action: 'booking.fee_waived',
      entityType: 'booking',
      entityId: w.id,
      orgId: w.customer_org_id,
      after: { cancellationFee: w.fee, cancellationFeeWaived: w.waived, added: w.added, byBooking: booking.id },
    });
  }
}
