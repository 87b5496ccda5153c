import { sql, type SQL } from 'drizzle-orm';
import type { BookingPolicySnapshot, DbOrTx } from '@qihub/db';
import type { WeeklyHours } from './calendar.ts';
import type { Span } from './slots.ts';
import type { StandardTerm } from '../../lib/catalogue-query.ts';
import { and, placeCondition, regionCondition, termsWithStandards } from '../../lib/repository/catalogue-search.ts';
import { instrumentStandardMatch } from '../../lib/repository/instrument-standards.ts';

/** SQL: the weekly hours that apply to instrument `i` (its own rows, else its site's) as a JSON array. */
export const EFFECTIVE_HOURS_SQL = sql`coalesce(
    (SELECT json_agg(json_build_object('weekday', oh.weekday, 'opensAt', oh.opens_at, 'closesAt', oh.closes_at)
       ORDER BY oh.weekday, oh.opens_at) FROM opening_hours oh WHERE oh.instrument_id = i.id),
    (SELECT json_agg(json_build_object('weekday', oh.weekday, 'opensAt', oh.opens_at, 'closesAt', oh.closes_at)
       ORDER BY oh.weekday, oh.opens_at) FROM opening_hours oh WHERE oh.site_id = i.site_id),
    '[]'::json)`;

/** One instrument whose free time is wanted, with the opening multirange it shares with others. */
export interface FreeTimeTarget {
  instrumentId: string;
  labId: string;
  /** Index into `openings`. */
  opening: number;
  setupMinutes: number;
  cleanupMinutes: number;
  /** Only time inside [earliest, latest) matters (lead time, horizon, the asked span). */
  earliest: Date;
  latest: Date;
}

export interface FreeTime {
  /** Per instrument: free spans of each active unit (ref = unit id), by start. */
  units: Map<string, Span[]>;
  /** Per instrument (assisted mode only): free spans of each qualified operator (ref = user id). */
  operators: Map<string, Span[]>;
  /**
   * Instruments whose unit spans were cut at `spansPerInstrument`, with the start of the last span
   * kept: slots starting before it are exact (every span that could hold them was kept).
   */
  capped: Map<string, number>;
}

/**
 * SQL: the booking row `b` takes its time at `now` (a timestamptz expression): it is pending,
 * confirmed or in use, or held with its hold still running. A hold whose time ran out takes
 * nothing, whether or not the expiry sweep has marked it yet — a booking that meets one expires it
 * in its own transaction (`expireLapsedHolds` in the bookings repository).
 */
export function takesTime(now: SQL): SQL {
  return sql`(b.status IN ('pending_approval', 'confirmed', 'in_use')
    OR (b.status = 'held' AND (b.hold_expires_at IS NULL OR b.hold_expires_at > ${now})))`;
}
const epochMs = (x: SQL) => sql`(extract(epoch FROM ${x}) * 1000)::float8`;

/**
 * Free time of many instruments in ONE statement, with range/multirange arithmetic:
 * per active unit, its opening multirange minus every closure that applies (lab-wide, the
 * instrument, the unit) minus every active booking's occupied range — the bookings widened by the
 * instrument's current buffers, so that a new booking's own set-up/clean-up fits too. A slot
 * [s, e) is free on a unit exactly when it lies inside one of the unit's free spans; spans shorter
 * than `minMinutes` are left out.
 *
 * With `assisted`, also per instrument and qualified operator (a member of the instrument's lab as
 * operator, staff or manager, with an unrevoked training record for the instrument): the validity
 * of the training (qualified_at ≤ s, expires_at > e) minus the occupied ranges of the operator's
 * active bookings (any instrument), widened the same way.
 *
 * `spansPerInstrument` keeps only each instrument's earliest unit spans (for "earliest slots"
 * searches); instruments cut that way are reported in `capped`.
 */
export async function freeTime(
  db: DbOrTx,
  input: {
    targets: FreeTimeTarget[];
    openings: string[];
    from: Date;
    to: Date;
    /** Holds that ran out before this instant take no time. */
    now: Date;
    minMinutes: number;
    assisted: boolean;
    spansPerInstrument?: number;
  },
): Promise<FreeTime> {
  const out: FreeTime = { units: new Map(), operators: new Map(), capped: new Map() };
  if (input.targets.length === 0) return out;
  const t = input.targets;
  const uuids = (xs: string[]) => sql`${`{${xs.join(',')}}`}::uuid[]`;
  const ints = (xs: number[]) => sql`${`{${xs.join(',')}}`}::int[]`;
  const stamps = (xs: Date[]) => sql`${`{${xs.map((x) => x.toISOString()).join(',')}}`}::timestamptz[]`;
  const from = sql`${input.from.toISOString()}::timestamptz`;
  const to = sql`${input.to.toISOString()}::timestamptz`;
  const minLength = sql`make_interval(mins => ${input.minMinutes})`;
  const live = takesTime(sql`${input.now.toISOString()}::timestamptz`);
  const operatorPart = input.assisted
    ? sql`
    UNION ALL
    SELECT 'o' AS kind, q.instrument_id, q.user_id, ${epochMs(sql`lower(f)`)}, ${epochMs(sql`upper(f)`)}, 0
    FROM (
      SELECT t.instrument_id, tr.user_id, t.setup, t.cleanup,
        range_agg(tstzrange(tr.qualified_at, tr.expires_at - interval '1 microsecond'))
          * tstzmultirange(tstzrange(t.lo, t.hi)) AS valid
      FROM targets t
        JOIN training_records tr ON tr.instrument_id = t.instrument_id AND tr.revoked_at IS NULL
          AND tr.qualified_at < t.hi AND (tr.expires_at IS NULL OR tr.expires_at > t.lo)
        JOIN memberships m ON m.user_id = tr.user_id AND m.org_id = t.lab_id
          AND m.role IN ('operator', 'staff', 'manager')
        JOIN users us ON us.id = tr.user_id AND us.disabled_at IS NULL
      GROUP BY t.instrument_id, tr.user_id, t.setup, t.cleanup, t.lo, t.hi
    ) q
    CROSS JOIN LATERAL unnest(q.valid - coalesce((
      SELECT range_agg(tstzrange(lower(b.occupied) - make_interval(mins => q.cleanup),
                                 upper(b.occupied) + make_interval(mins => q.setup)))
      FROM bookings b
      WHERE b.operator_id = q.user_id AND ${live}
        AND b.occupied && tstzrange(${from} - make_interval(mins => q.setup), ${to} + make_interval(mins => q.cleanup))
    ), '{}'::tstzmultirange)) AS f
    WHERE upper(f) - lower(f) >= ${minLength}`
    : sql``;
  const unitSpans = sql`
    SELECT t.instrument_id, u.id AS ref, f,
      row_number() OVER (PARTITION BY t.instrument_id ORDER BY lower(f), u.id) AS rn
    FROM targets t
      JOIN openings op ON op.k = t.k
      JOIN instrument_units u ON u.instrument_id = t.instrument_id AND u.active
      CROSS JOIN LATERAL unnest(op.m * tstzmultirange(tstzrange(t.lo, t.hi)) - coalesce((
        SELECT range_agg(x.r) FROM (
          SELECT tstzrange(lower(b.occupied) - make_interval(mins => t.cleanup),
                           upper(b.occupied) + make_interval(mins => t.setup)) AS r
          FROM bookings b
          WHERE b.unit_id = u.id AND ${live}
            AND b.occupied && tstzrange(t.lo - make_interval(mins => t.setup), t.hi + make_interval(mins => t.cleanup))
          UNION ALL
          SELECT c.during FROM closures c
          WHERE c.lab_id = t.lab_id AND c.during && tstzrange(t.lo, t.hi)
            AND (c.unit_id = u.id OR (c.unit_id IS NULL AND (c.instrument_id IS NULL OR c.instrument_id = t.instrument_id)))
        ) x
      ), '{}'::tstzmultirange)) AS f
    WHERE upper(f) - lower(f) >= ${minLength}`;
  const cap = input.spansPerInstrument;
  const query = sql`
    WITH targets AS (
      SELECT * FROM unnest(${uuids(t.map((x) => x.instrumentId))}, ${uuids(t.map((x) => x.labId))},
        ${ints(t.map((x) => x.opening + 1))}, ${ints(t.map((x) => x.setupMinutes))}, ${ints(t.map((x) => x.cleanupMinutes))},
        ${stamps(t.map((x) => x.earliest))}, ${stamps(t.map((x) => x.latest))})
        AS t(instrument_id, lab_id, k, setup, cleanup, lo, hi)
    ), openings AS (
      SELECT o.ord::int AS k, o.m::tstzmultirange AS m
      FROM unnest(${`{${input.openings.map((m) => `"${m}"`).join(',')}}`}::text[]) WITH ORDINALITY AS o(m, ord)
    )
    SELECT 'u' AS kind, s.instrument_id, s.ref, ${epochMs(sql`lower(s.f)`)} AS start, ${epochMs(sql`upper(s.f)`)} AS "end", s.rn
    FROM (${unitSpans}) s
    ${cap ? sql`WHERE s.rn <= ${cap}` : sql``}
    ${operatorPart}`;
  const result = await db.execute(query);
  for (const row of result.rows as {
    kind: 'u' | 'o';
    instrument_id: string;
    ref: string;
    start: number;
    end: number;
    rn: string | number;
  }[]) {
    const map = row.kind === 'u' ? out.units : out.operators;
    const spans = map.get(row.instrument_id) ?? [];
    spans.push({ ref: row.ref, start: Number(row.start), end: Number(row.end) });
    map.set(row.instrument_id, spans);
    if (cap && row.kind === 'u' && Number(row.rn) === cap) out.capped.set(row.instrument_id, Number(row.start));
  }
  return out;
}

/** What availability needs of an instrument: names, place, zone, rate, policy and hours, in one row. */
export interface CandidateRow {
  id: string;
  labId: string;
  labStatus: 'pending' | 'active' | 'suspended';
  status: 'active' | 'maintenance' | 'retired';
  nameZh: string;
  nameEn: string;
  labZh: string;
  labEn: string;
  siteId: string;
  siteZh: string;
  siteEn: string;
  cityZh: string | null;
  cityEn: string | null;
  timeZone: string;
  externalRateHour: number | null;
  currency: string;
  /** Null when the instrument has no policy row (the defaults apply). */
  policy: BookingPolicySnapshot | null;
  hours: WeeklyHours[];
}

/**
 * The booking policy row aliased `p` (a code constant, never input) as a BookingPolicySnapshot's JSON;
 * null when the instrument has no policy row.
 */
export function policyJson(p: string): SQL {
  return sql.raw(`CASE WHEN ${p}.instrument_id IS NULL THEN NULL ELSE json_build_object(
  'slotMinutes', ${p}.slot_minutes, 'minMinutes', ${p}.min_minutes, 'maxMinutes', ${p}.max_minutes,
  'leadMinutes', ${p}.lead_minutes, 'horizonDays', ${p}.horizon_days, 'setupMinutes', ${p}.setup_minutes,
  'cleanupMinutes', ${p}.cleanup_minutes, 'modes', ${p}.modes, 'requiresApproval', ${p}.requires_approval,
  'holdMinutes', ${p}.hold_minutes, 'cancellationCutoffMinutes', ${p}.cancellation_cutoff_minutes,
  'cancellationFeeBasisPoints', ${p}.cancellation_fee_bp, 'qualificationRequired', ${p}.qualification_required,
  'noShowGraceMinutes', ${p}.no_show_grace_minutes, 'lateVoidMinutes', ${p}.late_void_minutes,
  'quotaMinutesPerWeek', ${p}.quota_minutes_per_week) END`);
}

/**
 * Instruments matching `where` (over aliases i = instruments, lab = organisations, st = sites),
 * with their policy and effective weekly hours: one query, at most `limit` rows.
 */
async function candidates(db: DbOrTx, where: SQL, orderBy: SQL, limit: number): Promise<CandidateRow[]> {
  const result = await db.execute(sql`
    SELECT i.id, i.lab_id AS "labId", lab.status AS "labStatus", i.status, i.name_zh AS "nameZh", i.name_en AS "nameEn",
      lab.name_zh AS "labZh", lab.name_en AS "labEn", st.id AS "siteId", st.name_zh AS "siteZh", st.name_en AS "siteEn",
      city.name_zh AS "cityZh", city.name_en AS "cityEn", st.time_zone AS "timeZone",
      i.external_rate_hour AS "externalRateHour", i.currency,
      ${policyJson('bp')} AS policy, ${EFFECTIVE_HOURS_SQL} AS hours
    FROM instruments i
      JOIN organisations lab ON lab.id = i.lab_id
      JOIN sites st ON st.id = i.site_id
      LEFT JOIN regions city ON city.code = substr(st.region_code, 1, 4) || '00'
      LEFT JOIN booking_policies bp ON bp.instrument_id = i.id
    WHERE ${where}
    ORDER BY ${orderBy}
    LIMIT ${limit}`);
  return result.rows as unknown as CandidateRow[];
}

/** The instrument as an availability candidate, whatever its status. */
export async function candidateById(db: DbOrTx, instrumentId: string): Promise<CandidateRow | undefined> {
  const [row] = await candidates(db, sql`i.id = ${instrumentId}::uuid`, sql`i.id`, 1);
  return row;
}

/**
 * Active instruments of admitted labs rented by the hour (external rate set) matching the catalogue
 * filters, by name, at most `limit`; in assisted mode only those with a qualified operator of the
 * lab at some point of [from, to).
 */
export function searchCandidates(
  db: DbOrTx,
  input: {
    /** The query's words, standard numbers and place words (see catalogue-query.ts). */
    terms: readonly string[];
    standards: readonly StandardTerm[];
    placePrefixes: readonly string[];
    today: string;
    category?: string;
    region?: string;
    ids?: readonly string[];
    mode: 'self' | 'assisted';
    from: Date;
    to: Date;
  },
  limit: number,
): Promise<CandidateRow[]> {
  const where = and([
    sql`i.status = 'active'`,
    sql`lab.status = 'active'`,
    sql`i.external_rate_hour IS NOT NULL`,
    ...termsWithStandards(sql`i.search_text`, input.terms, input.standards, (pattern) =>
      instrumentStandardMatch(pattern, input.today),
    ),
    input.category ? sql`i.category_code = ${input.category}` : undefined,
    placeCondition(sql`st.region_code`, input.placePrefixes),
    regionCondition(sql`st.region_code`, input.region),
    input.ids
      ? sql`i.id IN (${sql.join(
          input.ids.map((id) => sql`${id}::uuid`),
          sql`, `,
        )})`
      : undefined,
    // Assisted use needs a qualified operator of the lab at some point of the span.
    input.mode === 'assisted'
      ? sql`EXISTS (SELECT 1 FROM training_records tr
          JOIN memberships m ON m.user_id = tr.user_id AND m.org_id = i.lab_id AND m.role IN ('operator', 'staff', 'manager')
          WHERE tr.instrument_id = i.id AND tr.revoked_at IS NULL AND tr.qualified_at < ${input.to.toISOString()}::timestamptz
            AND (tr.expires_at IS NULL OR tr.expires_at > ${input.from.toISOString()}::timestamptz))`
      : undefined,
  ]);
  return candidates(db, where, sql`i.name_zh, i.id`, limit);
}

/** The stamp changed with every change to holiday_years (null: never changed). */
export async function holidayCalendarStamp(db: DbOrTx): Promise<string | null> {
  const { rows } = await db.execute<{ stamp: string }>(sql`SELECT stamp FROM holiday_calendar_stamp WHERE id`);
  return rows[0]?.stamp ?? null;
}

/** Every year the platform entered (a handful), its days as YYYY-MM-DD in China. */
export async function enteredHolidayYears(
  db: DbOrTx,
): Promise<{ year: number; holidays: string[]; makeupWorkdays: string[] }[]> {
  // Dates as text: node-postgres would turn a date[] into JavaScript Dates at the process's midnight.
  const { rows } = await db.execute<{ year: number; holidays: string[]; makeup_workdays: string[] }>(
    sql`SELECT year, holidays::text[] AS holidays, makeup_workdays::text[] AS makeup_workdays FROM holiday_years`,
  );
  return rows.map((r) => ({ year: r.year, holidays: r.holidays, makeupWorkdays: r.makeup_workdays }));
}
