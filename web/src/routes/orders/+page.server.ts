import { requireUser } from '$lib/booking/bookings.server';
import { myOrders } from '$lib/orders/orders.server';
import { isOrderStatus } from '$lib/orders/status';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url }) => {
  requireUser(locals, url);
  const asked = url.searchParams.get('status');
  const status = isOrderStatus(asked) ? asked : null;
  const cursor = url.searchParams.get('cursor');
  const page = await myOrders(locals.api, { status, cursor, limit: 20 });
  return { orders: page.items, nextCursor: page.nextCursor ?? null, status, onFirstPage: !cursor };
};
