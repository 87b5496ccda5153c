import type { Order, OrderStatus, Tx } from '@qihub/db';
import type { Actor } from '../../lib/actor.ts';
import { recordAudit } from '../../lib/audit.ts';
import { conflict } from '../../lib/errors.ts';
import type { OrderSide } from './access.ts';
import { updateOrderStatusIfIn, type OrderChanges } from './repository/orders.ts';
import { insertOrderEvent } from './repository/timeline.ts';

/** Who acted, for the timeline: a side of the order, or the system (sweeps). */
export type EventSide = OrderSide | 'system';

export interface TimelineInput {
  actor: Actor | null;
  side: EventSide;
  /** e.g. "order.quoted", "sample.received", "report.issued". */
  action: string;
  from?: OrderStatus | null;
  to?: OrderStatus | null;
  data?: Record<string, unknown>;
}

/**
 * Appends one entry to the order's timeline and the same to the audit log, in the caller's
 * transaction. `at` is the app clock's time of the step (never the database's `now()`), so the
 * timeline agrees with every other time the step stamps (quotedAt, receivedAt, issuedAt …).
 */
export async function recordOrderEvent(
  tx: Tx,
  order: Pick<Order, 'id' | 'customerOrgId' | 'labId'>,
  input: TimelineInput,
  at: Date,
) {
  await insertOrderEvent(tx, {
    orderId: order.id,
    at,
    actorUserId: input.actor?.userId ?? null,
    actorSide: input.side,
    action: input.action,
    fromStatus: input.from ?? null,
    toStatus: input.to ?? null,
    data: input.data ?? {},
  });
  await recordAudit(tx, input.actor, {
    action: input.action,
    entityType: 'order',
    entityId: order.id,
    // The customer's trail; the lab reads its orders' trail through the order timeline.
    orgId: input.side === 'lab' ? order.labId : order.customerOrgId,
    before: input.from ? { status: input.from } : undefined,
    after: { ...(input.to ? { status: input.to } : {}), ...(input.data ?? {}) },
    at,
  });
}

/**
 * Moves an order from one of `from` to `to` with a guarded UPDATE (the state is re-checked in the
 * statement itself, so two racing requests cannot both pass), applies `set`, and records the
 * event. 409 `illegal_transition` when the order is no longer in an allowed state.
 */
export async function transitionOrder(
  tx: Tx,
  order: Order,
  from: readonly OrderStatus[],
  to: OrderStatus,
  input: Omit<TimelineInput, 'from' | 'to'>,
  set: OrderChanges,
  now: Date,
): Promise<Order> {
  const updated = await updateOrderStatusIfIn(tx, order.id, from, to, set, now);
  if (!updated) {
    throw conflict(
      'illegal_transition',
      `The order is ${order.status}; this step needs it to be ${from.join(' or ')}.`,
    );
  }
  await recordOrderEvent(tx, updated, { ...input, from: order.status, to }, now);
  return updated;
}
