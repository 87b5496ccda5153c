import { sql } from 'drizzle-orm';
import type { DbOrTx } from '@qihub/db';

/** What a booking notice says about its booking, as read with it (the site's zone and address). */
export interface BookingNoticeRow {
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
 * Claims up to `limit` confirmed bookings due a reminder of `kind`: not yet reminded of it (a 24 h
 * reminder not after the 1 h one either), starting in (until, from], and made at least `leadSeconds`
 * before their start; sets their reminded_* column to `now` and returns them with what the notice
 * says. SKIP LOCKED: two sweeps running at once split the work instead of waiting on each other;
 * the outer WHERE re-checks the guard, so a booking is claimed once even then. MATERIALIZED: the
 * batch is chosen once, never re-run as the inner side of a join (which could take more).
 */
export async function claimDueReminders(
  tx: DbOrTx,
  input: { kind: '24h' | '1h'; from: string; until: string; leadSeconds: number; now: Date; limit: number },
): Promise<BookingNoticeRow[]> {
  const column = sql.raw(input.kind === '24h' ? 'reminded_24h_at' : 'reminded_1h_at');
  const claimed = await tx.execute(sql`
    WITH due AS MATERIALIZED (
      SELECT id FROM bookings
      WHERE status = 'confirmed' AND ${column} IS NULL
        ${input.kind === '24h' ? sql`AND reminded_1h_at IS NULL` : sql``}
        AND starts_at > ${input.until}::timestamptz AND starts_at <= ${input.from}::timestamptz
        AND created_at <= starts_at - make_interval(secs => ${input.leadSeconds})
      ORDER BY starts_at
      LIMIT ${input.limit}
      FOR UPDATE SKIP LOCKED)
    UPDATE bookings b SET ${column} = ${input.now.toISOString()}::timestamptz
    FROM due, instruments i, sites s
    WHERE b.id = due.id AND i.id = b.instrument_id AND s.id = i.site_id
      AND b.${column} IS NULL AND b.status = 'confirmed'
    RETURNING b.id, b.user_id, b.starts_at, i.name_zh AS instrument_zh, i.name_en AS instrument_en,
      s.name_zh AS site_zh, s.name_en AS site_en, s.address_zh, s.address_en, s.time_zone`);
  return claimed.rows as unknown as BookingNoticeRow[];
}

/** The booking with what a notice says about it, and the policy it was made under. */
export async function findBookingForNotice(
  tx: DbOrTx,
  bookingId: string,
): Promise<(BookingNoticeRow & { policy: object }) | undefined> {
  const result = await tx.execute(sql`
    SELECT b.id, b.user_id, b.starts_at, b.policy, i.name_zh AS instrument_zh, i.name_en AS instrument_en,
      s.name_zh AS site_zh, s.name_en AS site_en, s.address_zh, s.address_en, s.time_zone
    FROM bookings b JOIN instruments i ON i.id = b.instrument_id JOIN sites s ON s.id = i.site_id
    WHERE b.id = ${bookingId}::uuid`);
  return result.rows[0] as unknown as (BookingNoticeRow & { policy: object }) | undefined;
}
