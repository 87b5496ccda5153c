import { and, eq, inArray, sql } from 'drizzle-orm';
import { bookings, type Booking, type DbOrTx } from '@qihub/db';

type BookingStatus = Booking['status'];

/** A lab member's role there and whether their account is enabled; undefined when not a member. */
export async function labMemberRole(db: DbOrTx, labId: string, userId: string) {
  const { rows } = await db.execute<{ role: string; display_name: string }>(sql`
    SELECT m.role, u.display_name FROM memberships m JOIN users u ON u.id = m.user_id AND u.disabled_at IS NULL
    WHERE m.org_id = ${labId}::uuid AND m.user_id = ${userId}::uuid`);
  const r = rows[0];
  return r ? { role: r.role, displayName: r.display_name } : undefined;
}

/** Whether the person holds a training record on the instrument valid for the whole of [start, end). */
export async function qualifiedOn(db: DbOrTx, userId: string, instrumentId: string, start: Date, end: Date) {
  const { rows } = await db.execute<{ ok: boolean }>(sql`
    SELECT EXISTS (SELECT 1 FROM training_records t
      WHERE t.user_id = ${userId}::uuid AND t.instrument_id = ${instrumentId}::uuid
        AND t.qualified_at <= ${start.toISOString()}::timestamptz
        AND (t.expires_at IS NULL OR t.expires_at > ${end.toISOString()}::timestamptz)
        AND t.revoked_at IS NULL) AS ok`);
  return rows[0]?.ok === true;
}

/** Sets the operator of a booking still in one of `from` (the operator exclusion constraint has the last word). */
export async function setOperator(
  db: DbOrTx,
  id: string,
  from: readonly BookingStatus[],
  operatorId: string,
  now: Date,
): Promise<Booking | undefined> {
  const [row] = await db
    .update(bookings)
    .set({ operatorId, updatedAt: now })
    .where(and(eq(bookings.id, id), inArray(bookings.status, [...from])))
    .returning();
  return row;
}

/** Who booked and for which organisation, with the ways to reach them. */
export async function bookingContact(db: DbOrTx, bookingId: string) {
  const { rows } = await db.execute<{
    display_name: string;
    email: string;
    phone: string | null;
    org_name_zh: string;
    org_name_en: string;
    org_phone: string | null;
    org_email: string | null;
    operator_name: string | null;
  }>(sql`
    SELECT u.display_name, u.email, u.phone, o.name_zh AS org_name_zh, o.name_en AS org_name_en,
      o.contact_phone AS org_phone, o.contact_email AS org_email, op.display_name AS operator_name
    FROM bookings b JOIN users u ON u.id = b.user_id JOIN organisations o ON o.id = b.customer_org_id
    LEFT JOIN users op ON op.id = b.operator_id
    WHERE b.id = ${bookingId}::uuid`);
  return rows[0];
}
