import { sql } from 'drizzle-orm';
import type { bookingPolicies } from '@qihub/db';
import { type Db } from '@qihub/db';
import { EFFECTIVE_HOURS_SQL, policyJson, takesTime } from '../../availability/index.ts';
import { once, P, preparedQuery } from './prepared.ts';

/**
 * Everything `vetSlot` reads before it decides, in one statement (one round trip instead of eight):
 * the instrument with its site's zone, its stored policy (null: the defaults), its effective weekly
 * hours, whether a lab-wide closure or a block of the whole instrument overlaps [start, end),
 * whether the user holds a training record valid for the whole slot (as
 * `standing.hasValidTraining`), the lab's violation settings (null: the defaults) and the user's
 * counted violations there (as `standing.countedViolations`), and — only under a quota — the
 * user's quota-counting bookings on the instrument within 8 days either side of the slot (a
 * superset of any ISO-week span the slot touches; the caller narrows it;
 * active and completed bookings count), and the units in service without a block of their own then
 * (position order);
 * the lab's hold limits (null: the defaults) and the user's live holds on the instrument and at
 * the lab (a series counting once, as `booking_hold_lock` counts them), and whether a hold that ran
 * out by `now` still stands, unswept, in the slot's way (then the insert must expire it first).
 */
export async function slotFacts(
  db: Db,
  input: { instrumentId: string; userId: string; start: Date; end: Date; now: Date; defaultWindowDays: number },
): Promise<SlotFacts | undefined> {
  const [row] = await preparedQuery<SlotFacts>(db, 'qihub_booking_slot_facts', slotFactsQuery(), {
    instrumentId: input.instrumentId,
    userId: input.userId,
    start: input.start.toISOString(),
    end: input.end.toISOString(),
    now: input.now.toISOString(),
    defaultWindowDays: input.defaultWindowDays,
  });
  return row;
}

type SlotFacts = {
  id: string;
  labId: string;
  labStatus: 'pending' | 'active' | 'suspended';
  status: 'active' | 'maintenance' | 'retired';
  internalRateHour: number | null;
  externalRateHour: number | null;
  currency: string;
  siteId: string;
  timeZone: string;
  policy: PolicyRow | null;
  hours: { weekday: number; opensAt: string; closesAt: string }[];
  closed: boolean;
  trained: boolean;
  violationThreshold: number | null;
  violationWindowDays: number | null;
  violations: number;
  quotaBooked: { id: string; s: number; e: number }[] | null;
  units: string[];
  maxHoldsPerInstrument: number | null;
  maxHoldsPerLab: number | null;
  holdsOnInstrument: number;
  holdsAtLab: number;
  lapsedInTheWay: boolean;
};

const slotFactsQuery = once(
  () => sql`
    SELECT i.id, i.lab_id AS "labId", lab.status AS "labStatus", i.status, i.internal_rate_hour AS "internalRateHour",
      i.external_rate_hour AS "externalRateHour", i.currency, i.site_id AS "siteId", s.time_zone AS "timeZone",
      ${policyJson('p')} AS policy,
      ${EFFECTIVE_HOURS_SQL} AS hours,
      EXISTS (SELECT 1 FROM closures c
        WHERE c.lab_id = i.lab_id AND c.unit_id IS NULL AND (c.instrument_id IS NULL OR c.instrument_id = i.id)
          AND c.during && tstzrange(${P.start}::timestamptz, ${P.end}::timestamptz)) AS closed,
      EXISTS (SELECT 1 FROM training_records t
        WHERE t.user_id = ${P.userId}::uuid AND t.instrument_id = i.id
          AND t.qualified_at <= ${P.start}::timestamptz
          AND (t.expires_at IS NULL OR t.expires_at > ${P.end}::timestamptz) AND t.revoked_at IS NULL) AS trained,
      ls.violation_threshold AS "violationThreshold", ls.violation_window_days AS "violationWindowDays",
      (SELECT count(*)::int FROM booking_violations v
        WHERE v.lab_id = i.lab_id AND v.user_id = ${P.userId}::uuid
          AND v.occurred_at > ${P.now}::timestamptz
            - make_interval(secs => coalesce(ls.violation_window_days, ${P.defaultWindowDays}::int) * 86400)
          AND v.occurred_at > COALESCE((SELECT max(l.lifted_at) FROM booking_block_lifts l
            WHERE l.lab_id = v.lab_id AND l.user_id = v.user_id), '-infinity')) AS violations,
      CASE WHEN p.quota_minutes_per_week IS NOT NULL THEN (
        SELECT coalesce(json_agg(json_build_object('id', b.id,
            's', extract(epoch FROM b.starts_at) * 1000, 'e', extract(epoch FROM b.ends_at) * 1000)), '[]'::json)
        FROM bookings b
        WHERE b.user_id = ${P.userId}::uuid AND b.instrument_id = i.id
          AND (${takesTime(sql`${P.now}::timestamptz`)} OR b.status = 'completed')
          AND b.starts_at < ${P.end}::timestamptz + interval '8 days'
          AND b.ends_at > ${P.start}::timestamptz - interval '8 days') END AS "quotaBooked",
      ARRAY(SELECT u.id FROM instrument_units u WHERE u.instrument_id = i.id AND u.active
        AND NOT EXISTS (SELECT 1 FROM closures c WHERE c.unit_id = u.id
          AND c.during && tstzrange(${P.start}::timestamptz, ${P.end}::timestamptz))
        ORDER BY u.position) AS units,
      ls.max_holds_per_instrument AS "maxHoldsPerInstrument", ls.max_holds_per_lab AS "maxHoldsPerLab",
      h.on_instrument AS "holdsOnInstrument", h.at_lab AS "holdsAtLab",
      EXISTS (SELECT 1 FROM bookings x
        WHERE x.instrument_id = i.id AND x.status = 'held' AND x.hold_expires_at <= ${P.now}::timestamptz
          AND x.occupied && tstzrange(
            ${P.start}::timestamptz - make_interval(mins => coalesce(p.setup_minutes, 0)),
            ${P.end}::timestamptz + make_interval(mins => coalesce(p.cleanup_minutes, 0)))) AS "lapsedInTheWay"
    FROM instruments i
    JOIN organisations lab ON lab.id = i.lab_id
    CROSS JOIN LATERAL (
      SELECT (count(DISTINCT coalesce(hb.series_id, hb.id)) FILTER (WHERE hb.instrument_id = i.id))::int AS on_instrument,
        count(DISTINCT coalesce(hb.series_id, hb.id))::int AS at_lab
      FROM bookings hb
      WHERE hb.user_id = ${P.userId}::uuid AND hb.lab_id = i.lab_id AND hb.status = 'held'
        AND hb.hold_expires_at > ${P.now}::timestamptz) AS h
    JOIN sites s ON s.id = i.site_id
    LEFT JOIN booking_policies p ON p.instrument_id = i.id
    LEFT JOIN lab_booking_settings ls ON ls.lab_id = i.lab_id
    WHERE i.id = ${P.instrumentId}::uuid`,
);

/** A stored policy as `slotFacts` reads it (the snapshot's shape). */
export type PolicyRow = Omit<typeof bookingPolicies.$inferSelect, 'instrumentId' | 'updatedAt'>;
