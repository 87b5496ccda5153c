import type { Db } from '@qihub/db';
import { reminderText, type BookingFacts, type ReminderKind } from './booking-messages.ts';
import * as repo from './repository.ts';
import { notifyEach } from '../../lib/notify.ts';

const HOUR = 3_600_000;

/**
 * When each reminder is due, relative to the booking's start:
 * - 24 h: from 24 h before the start until 1 h before it (after that the 1 h reminder serves
 *   alone), and only for a booking made at least 24 h ahead — one made 3 h before its start gets no
 *   stale "tomorrow" reminder, only the 1 h one.
 * - 1 h: from 1 h before the start until the start, for a booking made at least 1 h ahead.
 * A reminder that was never sent because the booking was not confirmed in its window is not sent
 * later either: a reminder is about the time left, and that time has passed.
 */
const WINDOWS: Record<ReminderKind, { fromMs: number; untilMs: number }> = {
  '24h': { fromMs: 24 * HOUR, untilMs: HOUR },
  '1h': { fromMs: HOUR, untilMs: 0 },
};

/**
 * Sends the reminders that are due at `now`, at most once per booking and kind: the booking's
 * reminded_* column is set by a guarded UPDATE (… IS NULL AND status = 'confirmed') in the same
 * transaction that writes the notification, and the notification's dedupe key
 * (booking:<id>:reminder-<kind>) refuses a second row whatever path writes it. Only confirmed
 * bookings are reminded: a held or pending one may still lapse or be rejected, and a cancelled,
 * expired or no-show one is no longer happening. Returns how many reminders were written.
 */
export async function sendDueReminders(db: Db, now: Date, batchSize = 200): Promise<number> {
  let sent = 0;
  for (const kind of ['1h', '24h'] as const) {
    for (;;) {
      const n = await remindBatch(db, kind, now, batchSize);
      sent += n.written;
      if (n.claimed < batchSize) break;
    }
  }
  return sent;
}

async function remindBatch(db: Db, kind: ReminderKind, now: Date, batchSize: number) {
  const w = WINDOWS[kind];
  const from = new Date(now.getTime() + w.fromMs).toISOString();
  const until = new Date(now.getTime() + w.untilMs).toISOString();
  return db.transaction(async (tx) => {
    const rows = await repo.claimDueReminders(tx, {
      kind,
      from,
      until,
      leadSeconds: w.fromMs / 1000,
      now,
      limit: batchSize,
    });
    if (rows.length === 0) return { claimed: 0, written: 0 };
    const written = await notifyEach(
      tx,
      rows.map((r) => {
        const text = reminderText(kind, factsOf(r));
        return { userId: r.user_id, ...text, dedupeKey: `booking:${r.id}:reminder-${kind}` };
      }),
      now,
    );
    return { claimed: rows.length, written };
  });
}

export function factsOf(r: Omit<repo.BookingNoticeRow, 'user_id'>): BookingFacts {
  return {
    bookingId: r.id,
    instrumentZh: r.instrument_zh,
    instrumentEn: r.instrument_en,
    siteZh: r.site_zh,
    siteEn: r.site_en,
    addressZh: r.address_zh,
    addressEn: r.address_en,
    startsAt: new Date(r.starts_at),
    timeZone: r.time_zone,
  };
}
