import type { Order, Tx } from '@qihub/db';
import { requireActor, type Actor } from '../../lib/actor.ts';
import { conflict, forbidden } from '../../lib/errors.ts';
import { loadOrderFor, type OrderAccess } from './access.ts';
import { fromStates, mayAct, roleOf, type FlowAction, type FlowRole } from './flow.ts';
import type { OrderDeps } from './deps.ts';
import { orderDetail } from './view.ts';

/**
 * One step on one order in one transaction: locks the order, resolves the caller's side (404 to
 * strangers), checks the flow's roles (403), then runs the step, which moves the state through
 * `transitionOrder` (409 illegal_transition). Answers the order as the caller now sees it.
 */
export async function runStep(
  deps: OrderDeps,
  actor: Actor | null,
  orderId: string,
  action: FlowAction,
  body: (tx: Tx, access: OrderAccess, role: FlowRole, now: Date) => Promise<void>,
) {
  const a = requireActor(actor);
  return deps.db.transaction(async (tx) => {
    const access = await loadOrderFor(tx, a, orderId, { forUpdate: true });
    const role = roleOf(access);
    if (!mayAct(action, role)) throw forbidden(`Only ${whoText(action)} may do this.`);
    const now = deps.clock();
    await body(tx, access, role, now);
    const fresh = await loadOrderFor(tx, a, orderId);
    return orderDetail(tx, fresh);
  });
}

function whoText(action: FlowAction): string {
  switch (action) {
    case 'accept':
    case 'decline':
    case 'object':
    case 'close':
      return 'the customer';
    case 'cancel':
      return "the customer or the lab's manager";
    case 'resolve_upheld':
    case 'resolve_dismissed':
      return "the lab's manager";
    default:
      return "the lab's managers and staff";
  }
}

/** Guard for a step that must start from the flow's states (for steps that are not a status change). */
export function assertFrom(order: Order, action: FlowAction, role: FlowRole) {
  const from = fromStates(action, role);
  if (!from.includes(order.status)) {
    throw conflict(
      'illegal_transition',
      `The order is ${order.status}; this step needs it to be ${from.join(' or ')}.`,
    );
  }
}
