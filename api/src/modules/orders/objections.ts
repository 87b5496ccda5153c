import type { Order, Tx } from '@qihub/db';
import { requireActor, type Actor } from '../../lib/actor.ts';
import { conflict, notFound } from '../../lib/errors.ts';
import { notifySide } from './notify.ts';
import { latestIssuedReport } from './repository/bookings-and-reports.ts';
import {
  findOpenObjection,
  insertObjection,
  lockObjection,
  lockOpenObjectionOnReport,
  updateObjection,
} from './repository/objections.ts';
import type { OrderDeps } from './deps.ts';
import { assertFrom, runStep } from './step.ts';
import { recordOrderEvent, transitionOrder, type TimelineInput } from './transition.ts';

export function raiseObjection(deps: OrderDeps, actor: Actor | null, orderId: string, reason: string) {
  return runStep(deps, actor, orderId, 'object', async (tx, { order }, role, now) => {
    if (order.status === 'closed' || (order.status === 'report_issued' && !windowOpen(order, now))) {
      throw conflict('objection_window_closed', 'The objection period for this report has ended.');
    }
    assertFrom(order, 'object', role);
    if (await findOpenObjection(tx, order.id))
      throw conflict('objection_open', 'An objection is already open on this order.');
    const report = await latestIssuedReport(tx, order.id);
    const a = requireActor(actor);
    const objection = await insertObjection(tx, {
      orderId: order.id,
      reportId: report?.id ?? null,
      raisedBy: a.userId!,
      reason,
      createdAt: now,
    });
    await recordOrderEvent(
      tx,
      order,
      {
        actor: a,
        side: 'customer',
        action: 'objection.raised',
        data: { objectionId: objection.id, reason },
      },
      now,
    );
    await notifySide(tx, order, 'lab', {
      at: now,
      kind: 'order_objection',
      occurrence: objection.id,
      titleZh: `订单 ${order.number} 收到异议`,
      titleEn: `Objection on order ${order.number}`,
      bodyZh: reason,
      bodyEn: reason,
    });
  });
}

function windowOpen(order: Order, now: Date) {
  return order.objectionUntil !== null && now.getTime() < order.objectionUntil.getTime();
}

export function resolveObjection(
  deps: OrderDeps,
  actor: Actor | null,
  orderId: string,
  objectionId: string,
  input: { outcome: 'upheld' | 'dismissed'; resolution: string },
) {
  const action = input.outcome === 'upheld' ? 'resolve_upheld' : 'resolve_dismissed';
  return runStep(deps, actor, orderId, action, async (tx, { order }, role, now) => {
    const objection = await lockObjection(tx, order.id, objectionId);
    if (!objection) throw notFound('objection');
    if (objection.status !== 'open') throw conflict('objection_resolved', 'This objection was already resolved.');
    assertFrom(order, action, role);
    const a = requireActor(actor);
    await updateObjection(tx, objection.id, {
      status: input.outcome,
      resolution: input.resolution,
      resolvedBy: a.userId,
      resolvedAt: now,
    });
    if (input.outcome === 'upheld') {
      await transitionOrder(
        tx,
        order,
        ['report_issued'],
        'in_progress',
        { actor: a, side: 'lab', action: 'order.retest', data: { objectionId, resolution: input.resolution } },
        { retestCount: order.retestCount + 1, workStartedAt: now },
        now,
      );
    } else {
      await recordOrderEvent(
        tx,
        order,
        {
          actor: a,
          side: 'lab',
          action: 'objection.dismissed',
          data: { objectionId, resolution: input.resolution },
        },
        now,
      );
    }
    await notifySide(tx, order, 'customer', {
      at: now,
      kind: `objection_${input.outcome}`,
      occurrence: objectionId,
      titleZh:
        input.outcome === 'upheld'
          ? `订单 ${order.number} 的异议成立，将重新检测`
          : `订单 ${order.number} 的异议未被采纳`,
      titleEn:
        input.outcome === 'upheld'
          ? `Objection upheld on order ${order.number}: it will be re-tested`
          : `Objection dismissed on order ${order.number}`,
      bodyZh: input.resolution,
      bodyEn: input.resolution,
    });
  });
}

/**
 * A report revoked while the customer's objection to it is open: the lab has withdrawn what was
 * objected to, so the objection stands (upheld, counted as such in the efficiency figures), resolved
 * by the revocation with its reason. Left open, it could be answered neither while the order is back
 * in work nor, once a new report is issued, without sending the order back to work a second time.
 * Returns the objection's id, or null when none was open on this report.
 */
export async function upholdObjectionOnRevokedReport(
  tx: Tx,
  order: Order,
  report: { id: string; number: string | null },
  input: { userId: string | null; reason: string; at: Date },
): Promise<string | null> {
  const objection = await lockOpenObjectionOnReport(tx, order.id, report.id);
  if (!objection) return null;
  await updateObjection(tx, objection.id, {
    status: 'upheld',
    resolution: `报告 ${report.number ?? ''} 已撤销 / Report ${report.number ?? ''} revoked: ${input.reason}`,
    resolvedBy: input.userId,
    resolvedAt: input.at,
  });
  return objection.id;
}

export function closeOrder(deps: OrderDeps, actor: Actor | null, orderId: string) {
  return runStep(deps, actor, orderId, 'close', async (tx, { order }, role, now) => {
    assertFrom(order, 'close', role);
    if (await findOpenObjection(tx, order.id))
      throw conflict('objection_open', 'An objection is still open on this order.');
    await closeIssuedOrder(
      tx,
      order,
      { actor: requireActor(actor), side: 'customer', data: { early: true } },
      now,
      'lab',
      {
        bodyZh: '客户已确认报告。',
        bodyEn: 'The customer accepted the report.',
      },
    );
  });
}

/**
 * An issued order closes — early by its customer, or by the sweep once the objection window has passed —
 * and the side `tell` is told.
 */
export async function closeIssuedOrder(
  tx: Tx,
  order: Order,
  by: Pick<TimelineInput, 'actor' | 'side' | 'data'>,
  now: Date,
  tell: 'customer' | 'lab',
  note: { bodyZh: string; bodyEn: string },
) {
  const updated = await transitionOrder(
    tx,
    order,
    ['report_issued'],
    'closed',
    { ...by, action: 'order.closed' },
    { closedAt: now },
    now,
  );
  await notifySide(tx, updated, tell, {
    at: now,
    kind: 'order_closed',
    titleZh: `订单 ${order.number} 已结案`,
    titleEn: `Order ${order.number} closed`,
    ...note,
  });
}
