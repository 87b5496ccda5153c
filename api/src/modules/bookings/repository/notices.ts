import { notifications, type DbOrTx } from '@qihub/db';

/** A booking notice for one user under its own dedupe key (`booking:<id>:…`, `waitlist-offer:…`). */
export interface BookingNotice {
  userId: string;
  kind: string;
  titleZh: string;
  titleEn: string;
  bodyZh: string;
  bodyEn: string;
  link: string;
  dedupeKey: string;
}

/**
 * Writes the notices, each at most once (a repeated dedupe key is ignored); returns how many were
 * written. `notifyUsers` (lib/notify.ts) keys a notice `<prefix>:<userId>`; the booking notices
 * keep the keys they have always had, which name the booking instead.
 */
export async function insertBookingNotices(db: DbOrTx, notices: readonly BookingNotice[]): Promise<number> {
  if (notices.length === 0) return 0;
  const written = await db
    .insert(notifications)
    .values([...notices])
    .onConflictDoNothing()
    .returning({ id: notifications.id });
  return written.length;
}
