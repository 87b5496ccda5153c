import { and, eq, inArray } from 'drizzle-orm';
import { memberships, notifications, type DbOrTx, type MemberRole, type Order } from '@qihub/db';

export interface OrderNote {
  /** e.g. "order_quoted"; also the middle of the dedupe key. */
  kind: string;
  titleZh: string;
  titleEn: string;
  bodyZh?: string;
  bodyEn?: string;
  /** Makes the key unique per occurrence (e.g. the quote time for a re-quote). */
  occurrence?: string;
}

/** Links: the customer's order page, the lab console's. */
export const customerLink = (orderId: string) => `/orders/${orderId}`;
export const labLink = (orderId: string) => `/console/orders/${orderId}`;

const LAB_NOTIFIED: readonly MemberRole[] = ['manager', 'staff'];

async function membersOf(db: DbOrTx, orgId: string, roles: readonly MemberRole[] | null) {
  const rows = await db
    .select({ userId: memberships.userId })
    .from(memberships)
    .where(and(eq(memberships.orgId, orgId), roles ? inArray(memberships.role, [...roles]) : undefined));
  return rows.map((r) => r.userId);
}

/**
 * In-app notices to one side of an order, one row per member, with a unique dedupe key
 * ("order:<id>:<kind>[:<occurrence>]:<user>") so a retried step or a second sweep sends nothing twice.
 */
export async function notifySide(
  db: DbOrTx,
  order: Pick<Order, 'id' | 'number' | 'customerOrgId' | 'labId'>,
  side: 'customer' | 'lab',
  note: OrderNote,
): Promise<void> {
  const users =
    side === 'customer'
      ? await membersOf(db, order.customerOrgId, null)
      : await membersOf(db, order.labId, LAB_NOTIFIED);
  if (users.length === 0) return;
  const key = `order:${order.id}:${note.kind}${note.occurrence ? `:${note.occurrence}` : ''}`;
  await db
    .insert(notifications)
    .values(
      users.map((userId) => ({
        userId,
        kind: note.kind,
        titleZh: note.titleZh,
        titleEn: note.titleEn,
        bodyZh: note.bodyZh ?? '',
        bodyEn: note.bodyEn ?? '',
        link: side === 'customer' ? customerLink(order.id) : labLink(order.id),
        dedupeKey: `${key}:${userId}`,
      })),
    )
    .onConflictDoNothing();
}
