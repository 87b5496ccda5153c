import type { Booking, DbOrTx } from '@qihub/db';
import type { Actor } from '../../lib/actor.ts';
import { recordAudit } from '../../lib/audit.ts';
import { toBookingView } from './view.ts';

/** What an audit entry on a booking records. */
export interface BookingChange {
  /** The booking before the change, when the entry records it. */
  before?: Booking;
  /** The booking after it; none when it had already moved on. */
  after: Booking | undefined;
  /** Facts set beside the view after (where it moved to or from, the order it serves). */
  note?: Record<string, unknown>;
  /** The organisation the entry is filed under: the customer's unless said. */
  orgId?: string;
  /** The app clock's time of the change. */
  at: Date;
}

/** Audits `action` on booking `b`, with the booking's views before and after. */
export async function auditBooking(tx: DbOrTx, a: Actor | null, action: string, b: Booking, change: BookingChange) {
  await recordAudit(tx, a, {
    at: change.at,
    action,
    entityType: 'booking',
    entityId: b.id,
    orgId: change.orgId ?? b.customerOrgId,
    before: change.before && toBookingView(change.before),
    after: change.after && { ...toBookingView(change.after), ...change.note },
  });
}
