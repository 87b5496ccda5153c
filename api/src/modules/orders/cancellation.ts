import { requireActor, type Actor } from '../../lib/actor.ts';
import { applyBasisPoints } from '../../lib/money.ts';
import { CUSTOMER_FREE_CANCEL, CUSTOMER_LATE_CANCEL_FEE_PCT, fromStates } from './flow.ts';
import { billCancellation } from './billing.ts';
import { notifySide } from './notify.ts';
import { cancelOrderBookings } from './repository/bookings-and-reports.ts';
import { holdsReceivedSample, settleReceivedSamples } from './repository/samples.ts';
import type { OrderDeps } from './deps.ts';
import { assertFrom, runStep } from './step.ts';
import { logCancellation } from './custody.ts';
import { recordOrderEvent, transitionOrder } from './transition.ts';

export function cancelOrder(deps: OrderDeps, actor: Actor | null, orderId: string, reason: string) {
  return runStep(deps, actor, orderId, 'cancel', async (tx, { order }, role, now) => {
    assertFrom(order, 'cancel', role);
    const a = requireActor(actor);
    const customer = role === 'customer';
    // The late fee is owed once the lab holds any sample: after all arrived (samples_received), or
    // while waiting for the rest of them when some have already been received.
    let late = customer && !CUSTOMER_FREE_CANCEL.includes(order.status);
    if (customer && !late && order.status === 'awaiting_samples') {
      late = await holdsReceivedSample(tx, order.id);
    }
    const fee = late ? applyBasisPoints(order.subtotalFen, CUSTOMER_LATE_CANCEL_FEE_PCT * 100) : 0;
    const updated = await transitionOrder(
      tx,
      order,
      fromStates('cancel', role),
      'cancelled',
      { actor: a, side: customer ? 'customer' : 'lab', action: 'order.cancelled', data: { reason, feeFen: fee } },
      { cancelledAt: now, cancelledBy: a.userId, cancelReason: reason, cancellationFeeFen: fee },
      now,
    );
    await billCancellation(tx, order, fee, now);
    // Instrument time booked for the order is released.
    const released = await cancelOrderBookings(tx, order.id, a.userId, now);
    // Samples in the lab's hands go back or are disposed of, as the commission form says.
    const disposition = order.commission?.leftoverSamples === 'dispose' ? 'disposed' : 'returned';
    const samples = await settleReceivedSamples(tx, order.id, disposition, now);
    await logCancellation(
      tx,
      order.id,
      samples.map((s) => s.id),
      disposition,
      a.userId,
      now,
    );
    if (released.length > 0 || samples.length > 0) {
      await recordOrderEvent(
        tx,
        updated,
        {
          actor: a,
          side: customer ? 'customer' : 'lab',
          action: 'order.cancel_cleanup',
          data: { bookingsCancelled: released.map((b) => b.id), samples: samples.length, disposition },
        },
        now,
      );
    }
    const other = customer ? 'lab' : 'customer';
    await notifySide(tx, updated, other, {
      at: now,
      kind: 'order_cancelled',
      titleZh: `订单 ${order.number} 已取消`,
      titleEn: `Order ${order.number} was cancelled`,
      bodyZh: `${customer ? '客户' : '实验室'}取消了订单：${reason}${fee > 0 ? `（取消费 ${(fee / 100).toFixed(2)} 元）` : ''}`,
      bodyEn: `Cancelled by the ${customer ? 'customer' : 'lab'}: ${reason}${fee > 0 ? ` (fee CNY ${(fee / 100).toFixed(2)})` : ''}`,
    });
  });
}
