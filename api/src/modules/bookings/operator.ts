import { membershipIn, requireActor, type Actor } from '../../lib/actor.ts';
import { AppError, conflict, notFound, unprocessable } from '../../lib/errors.ts';
import { notifyEach } from '../../lib/notify.ts';
import { isLostRace } from '../../lib/pg-errors.ts';
import { auditBooking } from './audit.ts';
import * as repo from './repository.ts';
import { canSee, toBookingView } from './view.ts';
import type { BookingDeps } from './vetting.ts';

/** Bookings whose operator may still change: not started, not over. */
const REASSIGNABLE = ['held', 'pending_approval', 'confirmed'] as const;

/** The lab's managers and staff run its bookings; an operator only runs the instrument. */
function assertLabDesk(actor: Actor | null, labId: string): Actor {
  const a = requireActor(actor);
  const m = membershipIn(a, labId);
  if (!m || m.orgKind !== 'lab') throw notFound('booking');
  if (m.role !== 'manager' && m.role !== 'staff') {
    throw new AppError(403, 'forbidden', 'Only the lab’s managers and staff assign operators.');
  }
  return a;
}

/**
 * Hands an assisted booking to another operator of the lab: a member with the operator role,
 * qualified on the instrument for the whole booking and not operating another booking at that time
 * (the operator exclusion constraint has the last word: 409 operator_unavailable). Audited; the new
 * operator finds it in their inbox.
 */
export async function reassignOperator(deps: BookingDeps, actor: Actor | null, id: string, operatorId: string) {
  const a = requireActor(actor);
  return deps.db.transaction(async (tx) => {
    const before = await repo.findBooking(tx, id, true);
    if (!before || !canSee(a, before) || !membershipIn(a, before.labId)) throw notFound('booking');
    assertLabDesk(a, before.labId);
    if (before.mode !== 'assisted' || !(REASSIGNABLE as readonly string[]).includes(before.status)) {
      throw conflict(
        'illegal_transition',
        before.mode !== 'assisted'
          ? 'A self-operated booking has no operator.'
          : `A ${before.status} booking keeps its operator.`,
      );
    }
    const member = await repo.labMemberRole(tx, before.labId, operatorId);
    if (!member || member.role !== 'operator') {
      throw unprocessable('not_a_member', 'The operator must be a member of the lab with the operator role.', [
        { path: '/operatorId', code: 'not_a_member', message: 'Not an operator of this lab' },
      ]);
    }
    if (!(await repo.qualifiedOn(tx, operatorId, before.instrumentId, before.startsAt, before.endsAt))) {
      throw unprocessable('qualification_required', 'The operator is not qualified on this instrument then.', [
        { path: '/operatorId', code: 'qualification_required', message: 'Not qualified on the instrument' },
      ]);
    }
    if (before.operatorId === operatorId) return toBookingView(before);
    const now = deps.clock();
    let after;
    try {
      after = await tx.transaction((sp) => repo.setOperator(sp, id, REASSIGNABLE, operatorId, now));
    } catch (error) {
      if (isLostRace(error)) {
        throw conflict('operator_unavailable', 'The operator runs another booking at that time.');
      }
      throw error;
    }
    if (!after) throw conflict('illegal_transition', `A ${before.status} booking keeps its operator.`);
    await auditBooking(tx, a, 'booking.operator', before, { before, after, orgId: before.labId, at: now });
    await notifyEach(
      tx,
      [
        {
          userId: operatorId,
          kind: 'booking_operator',
          titleZh: '您被指派为预约的操作员',
          titleEn: 'You are the operator of a booking',
          link: `/console/bookings/${id}?lab=${before.labId}`,
          dedupeKey: `booking-operator:${id}:${operatorId}:${now.getTime()}`,
        },
      ],
      now,
    );
    return toBookingView(after);
  });
}

/** The booker and their organisation, with how to reach them: for the booking's lab only. */
export async function bookingContact(deps: BookingDeps, actor: Actor | null, id: string) {
  const a = requireActor(actor);
  const b = await repo.findBooking(deps.db, id);
  if (!b) throw notFound('booking');
  const m = membershipIn(a, b.labId);
  if (!m || m.orgKind !== 'lab') throw notFound('booking');
  const c = (await repo.bookingContact(deps.db, id))!;
  return {
    booker: { displayName: c.display_name, email: c.email, phone: c.phone },
    customer: { nameZh: c.org_name_zh, nameEn: c.org_name_en, phone: c.org_phone, email: c.org_email },
    operator: b.operatorId ? { id: b.operatorId, displayName: c.operator_name ?? '' } : null,
  };
}
