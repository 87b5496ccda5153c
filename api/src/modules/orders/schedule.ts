import { eq } from 'drizzle-orm';
import { bookings } from '@qihub/db';
import { requireActor, type Actor } from '../../lib/actor.ts';
import { recordAudit } from '../../lib/audit.ts';
import { notFound } from '../../lib/errors.ts';
import * as bookingRepo from '../bookings/index.ts';
import { insertHold, toBookingView, vetSlot } from '../bookings/index.ts';
import { assertFrom, runStep, type OrderDeps } from './service.ts';
import { recordOrderEvent } from './transition.ts';

export interface ScheduleInput {
  instrumentId: string;
  start: string;
  end: string;
  mode?: 'self' | 'assisted';
  notes?: string;
}

/**
 * Books the lab's own instrument for an order through the booking engine, so order work and rental
 * customers share capacity: every booking rule applies (`vetSlot`), the exclusion constraint decides
 * races (`insertHold`: 409 slot_unavailable), the customer is the lab itself at the internal rate,
 * and the booking is confirmed at once (the lab does not approve its own work).
 */
export function scheduleOrder(deps: OrderDeps, actor: Actor | null, orderId: string, input: ScheduleInput) {
  const a = requireActor(actor);
  return runStep(deps, a, orderId, 'schedule', async (tx, { order }, role, now) => {
    assertFrom(order, 'schedule', role);
    const instrument = await bookingRepo.instrumentForBooking(tx, input.instrumentId);
    if (!instrument || instrument.labId !== order.labId) throw notFound('instrument');
    const slot = await vetSlot({ db: deps.db, clock: deps.clock }, a, {
      instrumentId: input.instrumentId,
      start: new Date(input.start),
      end: new Date(input.end),
      mode: input.mode ?? 'self',
      notes: input.notes ?? `订单 ${order.number}`,
    });
    const held = await insertHold(tx, slot, now);
    const [booking] = await tx
      .update(bookings)
      .set({ status: 'confirmed', holdExpiresAt: null, orderId: order.id, updatedAt: now })
      .where(eq(bookings.id, held.id))
      .returning();
    await recordAudit(tx, a, {
      action: 'booking.scheduled_for_order',
      entityType: 'booking',
      entityId: booking!.id,
      orgId: order.labId,
      after: { ...toBookingView(booking!), orderId: order.id },
    });
    await recordOrderEvent(tx, order, {
      actor: a,
      side: 'lab',
      action: 'order.scheduled',
      data: {
        bookingId: booking!.id,
        instrumentId: instrument.id,
        start: booking!.startsAt.toISOString(),
        end: booking!.endsAt.toISOString(),
      },
    });
  });
}
