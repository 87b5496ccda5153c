import type { Order } from '@qihub/db';
import { platformScopes, requireActor, type Actor } from '../../lib/actor.ts';
import { decodeCursor, encodeCursor } from '../../lib/cursor.ts';
import { loadOrderFor } from './access.ts';
import { findOrdersPage, type OrderListScope } from './repository/orders.ts';
import type { OrderDeps } from './deps.ts';
import { orderDetail, orderViews } from './view.ts';

export async function getOrder(deps: OrderDeps, actor: Actor | null, orderId: string) {
  const access = await loadOrderFor(deps.db, actor, orderId);
  return orderDetail(deps.db, access);
}

export interface ListOrdersQuery {
  as?: 'customer' | 'lab' | 'officer';
  labId?: string;
  status?: Order['status'];
  limit?: number;
  cursor?: string;
}

export async function listOrders(deps: OrderDeps, actor: Actor | null, query: ListOrdersQuery) {
  const a = requireActor(actor);
  const enterprises = a.memberships.filter((m) => m.orgKind === 'enterprise').map((m) => m.orgId);
  const labs = a.memberships.filter((m) => m.orgKind === 'lab' && m.orgStatus !== 'suspended').map((m) => m.orgId);
  const as = query.as ?? (enterprises.length > 0 ? 'customer' : labs.length > 0 ? 'lab' : 'officer');
  let scope: OrderListScope;
  if (as === 'customer') {
    if (enterprises.length === 0) return { items: [], nextCursor: null };
    scope = { customerOrgIds: enterprises };
  } else if (as === 'lab') {
    const wanted = query.labId ? labs.filter((id) => id === query.labId) : labs;
    if (wanted.length === 0) return { items: [], nextCursor: null };
    scope = { labIds: wanted };
  } else {
    // Only a service officer of an active platform, for the enterprises they are the current officer of.
    if (!a.userId || platformScopes(a, ['service_officer']).length === 0) return { items: [], nextCursor: null };
    scope = { officerUserId: a.userId };
  }
  const limit = query.limit ?? 20;
  const after = query.cursor ? decodeCursor(query.cursor, 'orders', 'timestamptz') : undefined;
  const rows = await findOrdersPage(
    deps.db,
    scope,
    { labId: query.labId && as !== 'lab' ? query.labId : undefined, status: query.status },
    after ? { createdAt: new Date(String(after.key)), id: after.id } : undefined,
    limit + 1,
  );
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return {
    items: await orderViews(deps.db, items),
    nextCursor: rows.length > limit && last ? encodeCursor('orders', last.createdAt.toISOString(), last.id) : null,
  };
}
