import type { DbOrTx, Order } from '@qihub/db';
import { membersOf, notifyUsers } from '../../lib/notify.ts';
import { LAB_ORDER_MANAGERS } from './access.ts';

export interface OrderNote {
  /** e.g. "order_quoted"; also the middle of the dedupe key. */
  kind: string;
  titleZh: string;
  titleEn: string;
  bodyZh?: string;
  bodyEn?: string;
  /** Makes the key unique per occurrence (e.g. the quote time for a re-quote). */
  occurrence?: string;
  /** The app clock's time of the step: the notices' stamp. */
  at: Date;
}

/** Links: the customer's order page, the lab console's. */
export const customerLink = (orderId: string) => `/orders/${orderId}`;
export const labLink = (orderId: string) => `/console/orders/${orderId}`;

/**
 * In-app notices to one side of an order (every customer member; the lab's managers and staff), with a
 * unique dedupe key ("order:<id>:<kind>[:<occurrence>]:<user>") so a retried step or a second sweep
 * sends nothing twice.
 */
export async function notifySide(
  db: DbOrTx,
  order: Pick<Order, 'id' | 'number' | 'customerOrgId' | 'labId'>,
  side: 'customer' | 'lab',
  note: OrderNote,
): Promise<void> {
  const users =
    side === 'customer'
      ? await membersOf(db, order.customerOrgId)
      : await membersOf(db, order.labId, { roles: LAB_ORDER_MANAGERS });
  const { kind, titleZh, titleEn, bodyZh, bodyEn } = note;
  await notifyUsers(
    db,
    users,
    { kind, titleZh, titleEn, bodyZh, bodyEn, link: side === 'customer' ? customerLink(order.id) : labLink(order.id) },
    `order:${order.id}:${note.kind}${note.occurrence ? `:${note.occurrence}` : ''}`,
    note.at,
  );
}
