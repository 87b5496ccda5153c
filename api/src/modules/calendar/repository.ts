import { eq, sql } from 'drizzle-orm';
import { calendarFeeds, type Booking, type DbOrTx } from '@qihub/db';

/** A booking with what a calendar entry shows: instrument, lab, site and address. */
export interface BookingForCalendar {
  id: string;
  status: Booking['status'];
  customerOrgId: string;
  labId: string;
  startsAt: Date;
  endsAt: Date;
  updatedAt: Date;
  instrumentZh: string;
  instrumentEn: string;
  labZh: string;
  siteZh: string;
  addressZh: string;
  timeZone: string;
  /** Changes after creation, from the audit trail: the event's SEQUENCE. */
  revisions: number;
}

interface Row {
  id: string;
  status: Booking['status'];
  customer_org_id: string;
  lab_id: string;
  starts_at: Date | string;
  ends_at: Date | string;
  updated_at: Date | string;
  instrument_zh: string;
  instrument_en: string;
  lab_zh: string;
  site_zh: string;
  address_zh: string;
  time_zone: string;
  revisions: number;
}

const SELECT = sql`
  SELECT b.id, b.status, b.customer_org_id, b.lab_id, b.starts_at, b.ends_at, b.updated_at,
    i.name_zh AS instrument_zh, i.name_en AS instrument_en, lab.name_zh AS lab_zh,
    s.name_zh AS site_zh, s.address_zh, s.time_zone,
    greatest((SELECT count(*) FROM audit_log a WHERE a.entity_type = 'booking' AND a.entity_id = b.id::text) - 1, 0)::int
      AS revisions
  FROM bookings b
    JOIN instruments i ON i.id = b.instrument_id
    JOIN sites s ON s.id = i.site_id
    JOIN organisations lab ON lab.id = b.lab_id`;

function toView(r: Row): BookingForCalendar {
  return {
    id: r.id,
    status: r.status,
    customerOrgId: r.customer_org_id,
    labId: r.lab_id,
    startsAt: new Date(r.starts_at),
    endsAt: new Date(r.ends_at),
    updatedAt: new Date(r.updated_at),
    instrumentZh: r.instrument_zh,
    instrumentEn: r.instrument_en,
    labZh: r.lab_zh,
    siteZh: r.site_zh,
    addressZh: r.address_zh,
    timeZone: r.time_zone,
    revisions: r.revisions,
  };
}

export async function bookingForCalendar(db: DbOrTx, id: string): Promise<BookingForCalendar | undefined> {
  const result = await db.execute(sql`${SELECT} WHERE b.id = ${id}::uuid`);
  const row = result.rows[0] as unknown as Row | undefined;
  return row ? toView(row) : undefined;
}

/**
 * A person's bookings for their feed: the ones they made and the ones they operate, from `since`
 * on (active ones whatever their date); holds and lapsed holds never happened, so they are left out.
 */
export async function bookingsForFeed(db: DbOrTx, userId: string, since: Date, limit = 1000) {
  const result = await db.execute(sql`${SELECT}
    WHERE (b.user_id = ${userId}::uuid OR b.operator_id = ${userId}::uuid)
      AND b.status NOT IN ('held', 'expired')
      AND (b.starts_at >= ${since.toISOString()}::timestamptz
           OR b.status IN ('pending_approval', 'confirmed', 'in_use'))
    ORDER BY b.starts_at
    LIMIT ${limit}`);
  return (result.rows as unknown as Row[]).map(toView);
}

/** The caller's feed, if one is on: when it was made (the secret itself is not kept). */
export async function feedOf(db: DbOrTx, userId: string): Promise<{ createdAt: Date } | undefined> {
  const [row] = await db
    .select({ createdAt: calendarFeeds.createdAt })
    .from(calendarFeeds)
    .where(eq(calendarFeeds.userId, userId))
    .limit(1);
  return row;
}

/** Creates the user's feed or replaces its token hash (the old URL then stops working). */
export async function saveFeedToken(db: DbOrTx, userId: string, tokenHash: string, now: Date): Promise<void> {
  await db
    .insert(calendarFeeds)
    .values({ userId, tokenHash, createdAt: now })
    .onConflictDoUpdate({ target: calendarFeeds.userId, set: { tokenHash, createdAt: now } });
}

/** Removes the user's feed; true if there was one. */
export async function deleteFeed(db: DbOrTx, userId: string): Promise<boolean> {
  const gone = await db
    .delete(calendarFeeds)
    .where(eq(calendarFeeds.userId, userId))
    .returning({ userId: calendarFeeds.userId });
  return gone.length > 0;
}

export async function feedOwner(db: DbOrTx, tokenHash: string) {
  const result = await db.execute(sql`
    SELECT f.user_id, u.display_name FROM calendar_feeds f JOIN users u ON u.id = f.user_id
    WHERE f.token_hash = ${tokenHash} AND u.disabled_at IS NULL`);
  return result.rows[0] as unknown as { user_id: string; display_name: string } | undefined;
}
