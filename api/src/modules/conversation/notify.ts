import type { Order, Tx } from '@qihub/db';
import { membersOf, notifyUsers } from '../../lib/notify.ts';
import { LAB_ORDER_MANAGERS } from '../orders/index.ts';
import { customerLink, labLink } from '../orders/index.ts';

/** Who hears about an order on a side: every member of the customer; the lab's managers and staff. */
export function membersOfSide(
  tx: Tx,
  order: Pick<Order, 'customerOrgId' | 'labId'>,
  side: 'customer' | 'lab',
  exceptUserId: string | null,
): Promise<string[]> {
  return side === 'customer'
    ? membersOf(tx, order.customerOrgId, { exceptUserId, activeOnly: true })
    : membersOf(tx, order.labId, { roles: LAB_ORDER_MANAGERS, exceptUserId, activeOnly: true });
}

export interface NoticeText {
  kind: string;
  titleZh: string;
  titleEn: string;
  bodyZh: string;
  bodyEn: string;
  /** The app clock's time of what is told: the notices' stamp. */
  at: Date;
}

/** One inbox notification per member of `side` except the author, each with its own dedupe key (`<key>:<user>`). */
export async function notifySide(
  tx: Tx,
  order: Pick<Order, 'id' | 'customerOrgId' | 'labId'>,
  side: 'customer' | 'lab',
  exceptUserId: string | null,
  dedupeKey: string,
  text: NoticeText,
): Promise<number> {
  const recipients = await membersOfSide(tx, order, side, exceptUserId);
  const link = side === 'customer' ? customerLink(order.id) : labLink(order.id);
  const { at, ...notice } = text;
  return notifyUsers(tx, recipients, { ...notice, link }, dedupeKey, at);
}

/** A short single-line preview of a message for a notification. */
export function preview(text: string, max = 60): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  const chars = [...flat];
  return chars.length > max ? `${chars.slice(0, max).join('')}…` : flat;
}
