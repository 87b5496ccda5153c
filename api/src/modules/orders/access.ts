import type { DbOrTx, MemberRole, Order } from '@qihub/db';
import { membershipIn, platformScopes, requireActor, type Actor } from '../../lib/actor.ts';
import { forbidden, notFound } from '../../lib/errors.ts';
import { regionContains } from '../../lib/region.ts';
import { findOrder } from './repository/orders.ts';
import { findOrganisationSummary } from '../../lib/repository/organisation-summary.ts';
import { isOfficerOf } from './repository/parties.ts';

/**
 * How the caller stands to an order:
 * - `customer`: a member of the ordering enterprise;
 * - `lab`: a member of the provider lab;
 * - `officer`: the enterprise's named service officer (reads only);
 * - `platform`: a platform admin whose region covers the lab (reads only, for reconciliation).
 * Anyone else gets 404, never 403: a stranger must not learn that the order exists.
 */
export type OrderSide = 'customer' | 'lab' | 'officer' | 'platform';

export interface OrderAccess {
  order: Order;
  side: OrderSide;
  /** The caller's role in the organisation that gives them access (null for officer/platform reads). */
  role: MemberRole | null;
}

export interface LoadOrderOptions {
  /** Take a row lock (SELECT … FOR UPDATE): use inside the transaction that changes the order. */
  forUpdate?: boolean;
}

/** Loads the order and decides the caller's side; 404 `not_found` for anyone with no business seeing it. */
export async function loadOrderFor(
  tx: DbOrTx,
  actor: Actor | null,
  orderId: string,
  options: LoadOrderOptions = {},
): Promise<OrderAccess> {
  const a = requireActor(actor);
  const order = await findOrder(tx, orderId, options);
  if (!order) throw notFound('order');
  const side = await sideOf(tx, a, order);
  if (!side) throw notFound('order');
  return side;
}

export async function sideOf(tx: DbOrTx, actor: Actor, order: Order): Promise<OrderAccess | null> {
  const customer = membershipIn(actor, order.customerOrgId);
  if (customer && customer.orgKind === 'enterprise') return { order, side: 'customer', role: customer.role };
  const lab = membershipIn(actor, order.labId);
  if (lab && lab.orgKind === 'lab' && lab.orgStatus !== 'suspended') return { order, side: 'lab', role: lab.role };
  if (actor.userId && platformScopes(actor, ['service_officer']).length > 0) {
    if (await isOfficerOf(tx, order.customerOrgId, actor.userId)) return { order, side: 'officer', role: null };
  }
  const adminScopes = platformScopes(actor, ['admin']);
  if (adminScopes.length > 0) {
    const labRegion = (await findOrganisationSummary(tx, order.labId))?.regionCode ?? null;
    if (labRegion && adminScopes.some((scope) => regionContains(scope, labRegion))) {
      return { order, side: 'platform', role: null };
    }
  }
  return null;
}

/** Lab roles that run orders: quote, receive samples, schedule, compose reports. Operators only test. */
export const LAB_ORDER_MANAGERS: readonly MemberRole[] = ['manager', 'staff'];

/** 403 unless the caller is on the required side (and, for the lab, in one of the roles). */
export function assertSide(
  access: OrderAccess,
  side: 'customer' | 'lab',
  roles: readonly MemberRole[] | null = null,
): void {
  if (access.side !== side) {
    throw forbidden(side === 'customer' ? 'Only the customer may do this.' : 'Only the lab may do this.');
  }
  if (roles && (!access.role || !roles.includes(access.role))) {
    throw forbidden(`Only these lab roles may do this: ${roles.join(', ')}.`);
  }
}
