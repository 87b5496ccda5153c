import { sql } from 'drizzle-orm';
import { notifications, type Db } from '@qihub/db';
import { reminderText, type BookingFacts, type ReminderKind } from './booking-messages.ts';

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
const WINDOWS: Record<ReminderKind, { column: string; fromMs: number; untilMs: number }> = {
  '24h': { column: 'reminded_24h_at', fromMs: 24 * HOUR, untilMs: HOUR },
  '1h': { column: 'reminded_1h_at', fromMs: HOUR, untilMs: 0 },
};

interface DueRow {
  id: string;
  user_id: string;
  starts_at: Date | string;
  instrument_zh: string;
  instrument_en: string;
  site_zh: string;
  site_en: string;
  address_zh: string;
  address_en: string;
  time_zone: string;
}

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
  const column = sql.raw(w.column);
  const from = new Date(now.getTime() + w.fromMs).toISOString();
  const until = new Date(now.getTime() + w.untilMs).toISOString();
  return db.transaction(async (tx) => {
    // SKIP LOCKED: two sweeps running at once split the work instead of waiting on each other;
    // the outer WHERE re-checks the guard, so a booking is claimed once even then. MATERIALIZED:
    // the batch is chosen once, never re-run as the inner side of a join (which could take more).
    const claimed = await tx.execute(sql`
      WITH due AS MATERIALIZED (
        SELECT id FROM bookings
        WHERE status = 'confirmed' AND ${column} IS NULL
          ${kind === '24h' ? sql`AND reminded_1h_at IS NULL` : sql``}
          AND starts_at > ${until}::timestamptz AND starts_at <= ${from}::timestamptz
          AND created_at <= starts_at - make_interval(secs => ${w.fromMs / 1000})
        ORDER BY starts_at
        LIMIT ${batchSize}
        FOR UPDATE SKIP LOCKED)
      UPDATE bookings b SET ${column} = ${now.toISOString()}::timestamptz
      FROM due, instruments i, sites s
      WHERE b.id = due.id AND i.id = b.instrument_id AND s.id = i.site_id
        AND b.${column} IS NULL AND b.status = 'confirmed'
      RETURNING b.id, b.user_id, b.starts_at, i.name_zh AS instrument_zh, i.name_en AS instrument_en,
        s.name_zh AS site_zh, s.name_en AS site_en, s.address_zh, s.address_en, s.time_zone`);
    const rows = claimed.rows as unknown as DueRow[];
    if (rows.length === 0) return { claimed: 0, written: 0 };
    const written = await tx
      .insert(notifications)
      .values(
        rows.map((r) => {
          const text = reminderText(kind, factsOf(r));
          return { userId: r.user_id, ...text, dedupeKey: `booking:${r.id}:reminder-${kind}` };
        }),
      )
      .onConflictDoNothing()
      .returning({ id: notifications.id });
    return { claimed: rows.length, written: written.length };
  });
}

export function factsOf(r: Omit<DueRow, 'user_id'>): BookingFacts {
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
