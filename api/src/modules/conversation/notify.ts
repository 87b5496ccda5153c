import { and, eq, inArray, isNull, ne } from 'drizzle-orm';
import { memberships, notifications, users, type MemberRole, type Order, type Tx } from '@qihub/db';
import { LAB_ORDER_MANAGERS } from '../orders/access.ts';

/** Where each side opens an order in the web app. */
export const customerOrderLink = (orderId: string) => `/orders/${orderId}`;
export const labOrderLink = (orderId: string) => `/console/orders/${orderId}`;

/** Who hears about an order on a side: every member of the customer; the lab's managers and staff. */
export async function membersOfSide(
  tx: Tx,
  order: Pick<Order, 'customerOrgId' | 'labId'>,
  side: 'customer' | 'lab',
  exceptUserId: string | null,
): Promise<string[]> {
  const orgId = side === 'customer' ? order.customerOrgId : order.labId;
  const roles: readonly MemberRole[] | null = side === 'lab' ? LAB_ORDER_MANAGERS : null;
  const rows = await tx
    .select({ userId: memberships.userId })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(
      and(
        eq(memberships.orgId, orgId),
        isNull(users.disabledAt),
        roles ? inArray(memberships.role, [...roles]) : undefined,
        exceptUserId ? ne(memberships.userId, exceptUserId) : undefined,
      ),
    );
  return rows.map((r) => r.userId);
}

export interface NoticeText {
  kind: string;
  titleZh: string;
  titleEn: string;
  bodyZh: string;
  bodyEn: string;
}

/** One inbox notification per member of `side`, each with its own dedupe key (`<key>:<user>`). */
export async function notifySide(
  tx: Tx,
  order: Pick<Order, 'id' | 'customerOrgId' | 'labId'>,
  side: 'customer' | 'lab',
  exceptUserId: string | null,
  dedupeKey: string,
  text: NoticeText,
): Promise<number> {
  const recipients = await membersOfSide(tx, order, side, exceptUserId);
  if (recipients.length === 0) return 0;
  const link = side === 'customer' ? customerOrderLink(order.id) : labOrderLink(order.id);
  const done = await tx
    .insert(notifications)
    .values(recipients.map((userId) => ({ userId, ...text, link, dedupeKey: `${dedupeKey}:${userId}` })))
    .onConflictDoNothing()
    .returning({ id: notifications.id });
  return done.length;
}

/** A short single-line preview of a message for a notification. */
export function preview(text: string, max = 60): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  const chars = [...flat];
  return chars.length > max ? `${chars.slice(0, max).join('')}…` : flat;
}
