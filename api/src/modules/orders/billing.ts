import type { Order, Tx } from '@qihub/db';
import * as billing from '../invoices/index.ts';

/**
 * The order's money, in the transaction of the step that makes it due: the accepted amount (quote
 * total with any expedite surcharge) when the customer accepts; the surcharge back as a credit
 * note when the report comes late; on cancellation, the order's charge credited and the
 * cancellation fee charged.
 */
export async function chargeAcceptedOrder(tx: Tx, order: Order, now: Date) {
  const surcharge = order.surchargeFen > 0 ? `（含加急费 ${(order.surchargeFen / 100).toFixed(2)} 元）` : '';
  return billing.charge(tx, {
    labId: order.labId,
    customerOrgId: order.customerOrgId,
    source: { kind: 'order', id: order.id },
    charge: 'order',
    descriptionZh: `订单 ${order.number}：${order.titleZh}${surcharge}`,
    descriptionEn: `Order ${order.number}: ${order.titleZh}${order.surchargeFen > 0 ? ` (incl. expedite surcharge CNY ${(order.surchargeFen / 100).toFixed(2)})` : ''}`,
    amount: order.totalFen,
    currency: order.currency,
    at: now,
  });
}

/** A late first report waives the expedite surcharge: a credit note, never an edit of the invoice. */
export async function creditWaivedSurcharge(tx: Tx, before: Order, stamps: Partial<Order>, now: Date) {
  if (!stamps.surchargeWaived || before.surchargeWaived) return;
  await billing.credit(tx, {
    source: { kind: 'order', id: before.id },
    original: 'order',
    charge: 'surcharge_waiver',
    descriptionZh: `订单 ${before.number}：报告逾期，加急费减免`,
    descriptionEn: `Order ${before.number}: report late, expedite surcharge waived`,
    amount: before.surchargeFen,
    reason: '报告逾期，加急费减免 (late report: expedite surcharge waived)',
    at: now,
  });
}

/** Cancelling an accepted order credits what was charged for it and charges the cancellation fee. */
export async function billCancellation(tx: Tx, order: Order, feeFen: number, now: Date) {
  await billing.credit(tx, {
    source: { kind: 'order', id: order.id },
    original: 'order',
    charge: 'cancellation',
    descriptionZh: `订单 ${order.number} 已取消`,
    descriptionEn: `Order ${order.number} cancelled`,
    amount: order.totalFen,
    reason: '订单取消 (order cancelled)',
    at: now,
  });
  await billing.charge(tx, {
    labId: order.labId,
    customerOrgId: order.customerOrgId,
    source: { kind: 'order', id: order.id },
    charge: 'cancellation_fee',
    descriptionZh: `订单 ${order.number} 取消费`,
    descriptionEn: `Order ${order.number}: cancellation fee`,
    amount: feeFen,
    currency: order.currency,
    at: now,
  });
}
