import type { CommissionForm, Order, Tx } from '@qihub/db';
import { requireActor, type Actor } from '../../lib/actor.ts';
import { conflict, unprocessable } from '../../lib/errors.ts';
import { applyBasisPoints } from '../../lib/money.ts';
import { localDate } from '../../lib/time.ts';
import { promiseDueAt, type Expedite } from './deadline.ts';
import { chargeAcceptedOrder } from './billing.ts';
import { notifySide } from './notify.ts';
import { expeditePct, fitsInt4, MAX_FEN } from './pricing.ts';
import { insertSamples, samplesOfOrder } from './repository/samples.ts';
import { termsOfOrder } from './settings.ts';
import type { OrderDeps } from './deps.ts';
import { assertFrom, runStep } from './step.ts';
import { transitionOrder } from './transition.ts';

export interface AcceptInput {
  /** The instant of the quote the customer saw (the order's `quotedAt`): a re-quote since is refused. */
  quotedAt: string;
  commission: CommissionForm;
  deadlineTierDays?: 5 | 15 | 25 | 30;
  expedite?: Expedite;
  samples?: { nameZh: string; quantity: number; unit?: string }[];
}

export function acceptOrder(deps: OrderDeps, actor: Actor | null, orderId: string, input: AcceptInput) {
  return runStep(deps, actor, orderId, 'accept', async (tx, { order }, role, now) => {
    assertFrom(order, 'accept', role);
    const seen = Date.parse(input.quotedAt);
    if (!order.quotedAt || Number.isNaN(seen) || seen !== order.quotedAt.getTime()) {
      throw conflict(
        'quote_changed',
        `The lab changed the quote (now of ${order.quotedAt?.toISOString() ?? 'none'}); check it and accept again.`,
      );
    }
    if (order.quoteValidUntil && order.quoteValidUntil < localDate(now)) {
      throw conflict('quote_expired', `The quote was valid until ${order.quoteValidUntil}; ask the lab for a new one.`);
    }
    if ((input.deadlineTierDays === undefined) === (input.expedite === undefined)) {
      throw unprocessable(
        'deadline_required',
        'Choose either a deadline tier (5/15/25/30 working days) or an expedite tier.',
      );
    }
    if (input.commission.reportDelivery === 'post' && input.commission.deliveryAddress.trim() === '') {
      throw unprocessable('validation_failed', 'Delivery by post needs an address.', [
        { path: '/commission/deliveryAddress', code: 'required', message: '邮寄交付需填写地址' },
      ]);
    }
    // The terms shown with the quote bind, not the lab's settings today.
    const terms = await termsOfOrder(tx, order);
    const pct = input.expedite ? expeditePct(terms, input.expedite) : 0;
    const surcharge = applyBasisPoints(order.subtotalFen, pct * 100);
    // Checked before anything is written: the total is a 32-bit integer of fen.
    if (!fitsInt4(surcharge) || !fitsInt4(order.subtotalFen + surcharge)) {
      throw unprocessable(
        'amount_too_large',
        `With the ${pct} % expedite surcharge the order comes to more than ${MAX_FEN / 100} yuan; choose another tier or split the order.`,
      );
    }
    const a = requireActor(actor);
    const accepted = await transitionOrder(
      tx,
      order,
      ['quoted'],
      'accepted',
      {
        actor: a,
        side: 'customer',
        action: 'order.accepted',
        data: {
          deadlineTierDays: input.deadlineTierDays ?? null,
          expedite: input.expedite ?? 'none',
          surchargeFen: surcharge,
        },
      },
      {
        acceptedAt: now,
        acceptedBy: a.userId,
        commission: input.commission,
        deadlineTierDays: input.deadlineTierDays ?? null,
        expedite: input.expedite ?? 'none',
        expeditePct: pct,
        surchargeFen: surcharge,
        totalFen: order.subtotalFen + surcharge,
      },
      now,
    );
    const billed = await chargeAcceptedOrder(tx, accepted, now);
    // Prepay: the work waits in `accepted` until the invoice is paid (`invoices.paid` continues it).
    const awaitingPayment = billed?.invoice?.terms === 'prepay' && billed.invoice.status !== 'paid';
    await notifySide(tx, accepted, 'lab', {
      at: now,
      kind: 'order_accepted',
      titleZh: `订单 ${order.number} 已确认委托`,
      titleEn: `Order ${order.number} accepted`,
      bodyZh: awaitingPayment
        ? '客户已填写委托单；按预付款条款，收到货款后开始。'
        : order.needsSamples
          ? '客户已填写委托单，等待送样。'
          : '客户已填写委托单，可开始工作。',
      bodyEn: awaitingPayment
        ? 'The customer filled in the commission form; under prepayment, work starts once the invoice is paid.'
        : order.needsSamples
          ? 'The customer filled in the commission form; samples are on their way.'
          : 'The customer filled in the commission form; work can start.',
    });
    if (accepted.needsSamples) {
      const wanted = input.samples ?? [{ nameZh: input.commission.sampleName, quantity: input.commission.quantity }];
      await insertSamples(
        tx,
        wanted.map((s, i) => ({
          orderId: order.id,
          code: `${order.number}-S${i + 1}`,
          nameZh: s.nameZh,
          quantity: s.quantity,
          unit: s.unit ?? '件',
          createdAt: now,
        })),
      );
    }
    if (!awaitingPayment) await continueAccepted(tx, accepted, { actor: a, side: 'customer' }, now);
  });
}

/**
 * An accepted order goes on: to `awaiting_samples` when it needs samples (they were listed at
 * acceptance), else straight to `in_progress` with its deadline clock started. At acceptance, or —
 * under prepay — when its invoice is paid (then the clock starts at the payment).
 */
export async function continueAccepted(
  tx: Tx,
  accepted: Order,
  by: { actor: Actor | null; side: 'customer' | 'system' },
  now: Date,
) {
  if (accepted.needsSamples) {
    const samples = await samplesOfOrder(tx, accepted.id);
    await transitionOrder(
      tx,
      accepted,
      ['accepted'],
      'awaiting_samples',
      { ...by, action: 'order.awaiting_samples', data: { samples: samples.length } },
      {},
      now,
    );
  } else {
    await transitionOrder(
      tx,
      accepted,
      ['accepted'],
      'in_progress',
      { ...by, action: 'order.work_started', data: { clockStarted: true } },
      { clockStartedAt: now, dueAt: await promiseDueAt(tx, accepted, now), workStartedAt: now },
      now,
    );
  }
}

export function declineOrder(deps: OrderDeps, actor: Actor | null, orderId: string, reason: string | undefined) {
  return runStep(deps, actor, orderId, 'decline', async (tx, { order }, role, now) => {
    assertFrom(order, 'decline', role);
    const a = requireActor(actor);
    const updated = await transitionOrder(
      tx,
      order,
      ['quoted'],
      'cancelled',
      { actor: a, side: 'customer', action: 'order.declined', data: { reason: reason ?? '' } },
      {
        cancelledAt: now,
        cancelledBy: a.userId,
        cancelReason: reason || '客户拒绝报价 (quote declined)',
        cancellationFeeFen: 0,
      },
      now,
    );
    await notifySide(tx, updated, 'lab', {
      at: now,
      kind: 'order_declined',
      titleZh: `订单 ${order.number} 的报价被拒绝`,
      titleEn: `The quote for order ${order.number} was declined`,
      bodyZh: reason ?? '',
      bodyEn: reason ?? '',
    });
  });
}
