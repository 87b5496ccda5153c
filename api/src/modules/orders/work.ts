import { creditWaivedSurcharge } from './billing.ts';
import { requireActor, type Actor } from '../../lib/actor.ts';
import { conflict, notFound } from '../../lib/errors.ts';
import { auditBooking, insertHold, instrumentForBooking, vetSlot } from '../bookings/index.ts';
import { issueStamps } from './deadline.ts';
import { notifySide } from './notify.ts';
import { confirmBookingForOrder } from './repository/bookings-and-reports.ts';
import { termsOfOrder } from './settings.ts';
import type { OrderDeps } from './deps.ts';
import { assertFrom, runStep } from './step.ts';
import { recordOrderEvent, transitionOrder } from './transition.ts';

/* The lab's work on an order: its instrument time, the start, and the delivery of what has no report. */

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
    const instrument = await instrumentForBooking(tx, input.instrumentId);
    if (!instrument || instrument.labId !== order.labId) throw notFound('instrument');
    const slot = await vetSlot({ db: deps.db, clock: deps.clock }, a, {
      instrumentId: input.instrumentId,
      start: new Date(input.start),
      end: new Date(input.end),
      mode: input.mode ?? 'self',
      notes: input.notes ?? `订单 ${order.number}`,
    });
    const held = await insertHold(tx, slot, now);
    const booking = await confirmBookingForOrder(tx, held.id, order.id, now);
    await auditBooking(tx, a, 'booking.scheduled_for_order', booking, {
      after: booking,
      orgId: order.labId,
      note: { orderId: order.id },
      at: now,
    });
    await recordOrderEvent(
      tx,
      order,
      {
        actor: a,
        side: 'lab',
        action: 'order.scheduled',
        data: {
          bookingId: booking.id,
          instrumentId: instrument.id,
          start: booking.startsAt.toISOString(),
          end: booking.endsAt.toISOString(),
        },
      },
      now,
    );
  });
}

export function startOrder(deps: OrderDeps, actor: Actor | null, orderId: string) {
  return runStep(deps, actor, orderId, 'start', async (tx, { order }, role, now) => {
    assertFrom(order, 'start', role);
    await transitionOrder(
      tx,
      order,
      ['samples_received'],
      'in_progress',
      { actor: requireActor(actor), side: 'lab', action: 'order.work_started' },
      { workStartedAt: order.workStartedAt ?? now },
      now,
    );
  });
}

export function deliverOrder(deps: OrderDeps, actor: Actor | null, orderId: string) {
  return runStep(deps, actor, orderId, 'deliver', async (tx, { order }, role, now) => {
    assertFrom(order, 'deliver', role);
    if (order.needsSamples) {
      throw conflict('illegal_transition', 'Orders with samples are completed by issuing a test report.');
    }
    const terms = await termsOfOrder(tx, order);
    const stamps = issueStamps(order, terms, now);
    const updated = await transitionOrder(
      tx,
      order,
      ['in_progress'],
      'report_issued',
      { actor: requireActor(actor), side: 'lab', action: 'order.delivered' },
      stamps,
      now,
    );
    await creditWaivedSurcharge(tx, order, stamps, now);
    await notifySide(tx, updated, 'customer', {
      at: now,
      kind: 'order_delivered',
      occurrence: String(now.getTime()),
      titleZh: `订单 ${order.number} 已交付`,
      titleEn: `Order ${order.number} delivered`,
      bodyZh: `如有异议，请在 ${terms.objectionDays} 天内提出。`,
      bodyEn: `Raise any objection within ${terms.objectionDays} days.`,
    });
  });
}
