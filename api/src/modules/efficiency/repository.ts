import { sql, type SQL } from 'drizzle-orm';
import type { Db, DbOrTx } from '@qihub/db';

/** A half-open span of instants [start, end): the China dates from..to of a request. */
export interface Span {
  start: Date;
  end: Date;
}

export interface RegionRow {
  code: string;
  nameZh: string;
  nameEn: string;
}

const ts = (d: Date) => sql`${d.toISOString()}::timestamptz`;
const inRegion = (column: SQL, prefix: string) => sql`${column} LIKE ${prefix + '%'}`;

/** Regions by code (GB/T 2260), for names of the region asked for and of its sub-regions. */
export async function regionsByCode(tx: DbOrTx, codes: string[]): Promise<Map<string, RegionRow>> {
  if (codes.length === 0) return new Map();
  const { rows } = await tx.execute<{ code: string; name_zh: string; name_en: string }>(sql`
    SELECT code, name_zh, name_en FROM regions WHERE code IN (${sql.join(
      codes.map((c) => sql`${c}`),
      sql`, `,
    )})`);
  return new Map(rows.map((r) => [r.code, { code: r.code, nameZh: r.name_zh, nameEn: r.name_en }]));
}

/** One order with the workflow stamps the efficiency evaluation reads. */
export interface OrderFacts {
  id: string;
  number: string;
  status: string;
  labId: string;
  labNameZh: string;
  labNameEn: string;
  labRegion: string;
  customerNameZh: string;
  /** The kind of the order's first line (by position, withdrawn lines last); null without lines. */
  kind: string | null;
  requestedAt: Date;
  /**
   * The first quote: the order's quote stamp, or the timeline's first `order.quoted` when that is
   * earlier (a re-quote moves the stamp, not the first response).
   */
  firstQuotedAt: Date | null;
  clockStartedAt: Date | null;
  dueAt: Date | null;
  reportIssuedAt: Date | null;
  /** The China dates (Asia/Shanghai) of the clock start and the first issue, for working days. */
  clockStartedDate: string | null;
  reportIssuedDate: string | null;
  onTime: boolean | null;
  retestCount: number;
  upheldObjections: number;
  cancelledAt: Date | null;
  ratingScore: number | null;
  ratedAt: Date | null;
}

type FactsRow = {
  id: string;
  number: string;
  status: string;
  lab_id: string;
  lab_name_zh: string;
  lab_name_en: string;
  lab_region: string;
  customer_name_zh: string;
  kind: string | null;
  created_at: string;
  first_quoted_at: string | null;
  clock_started_at: string | null;
  due_at: string | null;
  report_issued_at: string | null;
  clock_started_date: string | null;
  report_issued_date: string | null;
  on_time: boolean | null;
  retest_count: number;
  upheld: string;
  cancelled_at: string | null;
  score: number | null;
  rated_at: string | null;
};

const date = (v: string | null) => (v === null ? null : new Date(v));

/**
 * Orders at labs of the region (lab's region code under `prefix`) that belong to some cohort of the
 * period: requested in it, first report issued in it, or rated in it.
 */
export async function orderFacts(tx: DbOrTx, prefix: string, span: Span): Promise<OrderFacts[]> {
  // The first line's kind, the first quote and the upheld objections come summed up per order from
  // the efficiency facts (kept with the order), not from the lines, timeline and objections.
  const within = (column: SQL) => sql`(${column} >= ${ts(span.start)} AND ${column} < ${ts(span.end)})`;
  const { rows } = await tx.execute<FactsRow>(sql`
    SELECT o.id, o.number, o.status::text AS status, o.lab_id,
           l.name_zh AS lab_name_zh, l.name_en AS lab_name_en, l.region_code AS lab_region,
           c.name_zh AS customer_name_zh, f.kind, o.created_at, f.first_quoted_at,
           o.clock_started_at, o.due_at, o.report_issued_at, o.on_time, o.retest_count,
           to_char(o.clock_started_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD') AS clock_started_date,
           to_char(o.report_issued_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD') AS report_issued_date,
           f.upheld_objections AS upheld, o.cancelled_at, f.rating_score AS score, f.rated_at
      FROM order_efficiency_facts f
      JOIN orders o ON o.id = f.order_id
      JOIN organisations l ON l.id = f.lab_id
      JOIN organisations c ON c.id = o.customer_org_id
     WHERE ${inRegion(sql`l.region_code`, prefix)}
       AND (${within(sql`f.requested_at`)} OR ${within(sql`f.report_issued_at`)} OR ${within(sql`f.rated_at`)})
     ORDER BY o.created_at, o.id`);
  return rows.map((r) => ({
    id: r.id,
    number: r.number,
    status: r.status,
    labId: r.lab_id,
    labNameZh: r.lab_name_zh,
    labNameEn: r.lab_name_en,
    labRegion: r.lab_region,
    customerNameZh: r.customer_name_zh,
    kind: r.kind,
    requestedAt: new Date(r.created_at),
    firstQuotedAt: date(r.first_quoted_at),
    clockStartedAt: date(r.clock_started_at),
    dueAt: date(r.due_at),
    reportIssuedAt: date(r.report_issued_at),
    clockStartedDate: r.clock_started_date,
    reportIssuedDate: r.report_issued_date,
    onTime: r.on_time,
    retestCount: Number(r.retest_count),
    upheldObjections: Number(r.upheld),
    cancelledAt: date(r.cancelled_at),
    ratingScore: r.score === null ? null : Number(r.score),
    ratedAt: date(r.rated_at),
  }));
}

/** What the evaluation groups by below the overall figures: a lab, a service kind or a sub-region. */
export type FigureGrouping = 'lab' | 'kind' | 'subRegion';

/** The summed-up figures of one group of orders, as read (rounding and rates are the caller's). */
export interface FigureSums {
  /** The overall row, a lab's (for the worst labs; the groups too when grouped by lab) or a group's. */
  level: 'overall' | 'lab' | 'group';
  /** Null for the overall row; the lab id, the kind ('none' without lines) or the sub-region code. */
  key: string | null;
  labNameZh: string | null;
  labNameEn: string | null;
  requested: number;
  quoted: number;
  responseMedian: number | null;
  responseP90: number | null;
  issued: number;
  turnaroundMedian: number | null;
  turnaroundP90: number | null;
  judged: number;
  onTime: number;
  retested: number;
  upheld: number;
  cancelled: number;
  ratings: number;
  ratingSum: number;
}

/**
 * Work in one transaction with the JIT compiler off: the evaluation's plans cross its cost threshold
 * at the programme's scale, and compiling costs more than the query saves.
 */
export async function withoutJit<T>(db: Db, work: (tx: DbOrTx) => Promise<T>): Promise<T> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`SET LOCAL jit = off`);
    return work(tx);
  });
}

/** The issued cohort's earliest clock start (China date), for the working-day calendar the figures need. */
export async function earliestClockStart(tx: DbOrTx, prefix: string, span: Span): Promise<string | null> {
  const { rows } = await tx.execute<{ d: string | null }>(sql`
    SELECT to_char(min(f.clock_started_date), 'YYYY-MM-DD') AS d
      FROM order_efficiency_facts f JOIN organisations l ON l.id = f.lab_id
     WHERE ${inRegion(sql`l.region_code`, prefix)}
       AND f.report_issued_at >= ${ts(span.start)} AND f.report_issued_at < ${ts(span.end)}`);
  return rows[0]?.d ?? null;
}

/**
 * The evaluation's figures over the efficiency facts of the labs of the region, in one pass: overall,
 * per lab (for the worst labs) and per `grouping` (the sub-region of a lab's region code is
 * `subRegion`: 'city' under a province, 'district' under a city, or one fixed code). Turnaround in
 * working days is `running[d - base]` differences: `running[i]` counts the working days among
 * base..base+i (the holiday calendar as entered, judged by the caller). Medians and 90th percentiles
 * interpolate (`percentile_cont`); hours are from millisecond stamps, as a JS Date has them.
 */
export async function figureSums(
  tx: DbOrTx,
  prefix: string,
  span: Span,
  grouping: FigureGrouping,
  /** 'city', 'district', or the one code every lab's sub-region is. */
  subRegion: string,
  calendar: { base: string; running: number[] },
): Promise<FigureSums[]> {
  const key =
    grouping === 'lab'
      ? sql`f.lab_id::text`
      : grouping === 'kind'
        ? sql`coalesce(f.kind, 'none')`
        : subRegion === 'city'
          ? sql`substr(l.region_code, 1, 4) || '00'`
          : subRegion === 'district'
            ? sql`l.region_code`
            : sql`${subRegion}::text`;
  const within = (column: SQL) => sql`(${column} >= ${ts(span.start)} AND ${column} < ${ts(span.end)})`;
  const ms = (column: SQL) => sql`extract(epoch FROM date_trunc('milliseconds', ${column})) * 1000`;
  const day = (column: SQL) => sql`(${column} - ${calendar.base}::date + 1)`;
  const running = sql`cal.running`;
  // Lab rows carry the lab's names (one per lab); with grouping 'lab' the lab rows are the groups too.
  const sets = grouping === 'lab' ? sql`(), (lab_id)` : sql`(), (lab_id), (g)`;
  const { rows } = await tx.execute<Record<string, string | number | null>>(sql`
    WITH c AS (
      SELECT f.lab_id, l.name_zh, l.name_en, ${key} AS g, r.requested, r.issued,
             CASE WHEN r.requested AND f.first_quoted_at IS NOT NULL
                  THEN (${ms(sql`f.first_quoted_at`)} - ${ms(sql`f.requested_at`)})::float8 / 3600000 END AS response,
             CASE WHEN r.issued AND f.clock_started_date IS NOT NULL
                  THEN CASE WHEN f.report_issued_date <= f.clock_started_date THEN 0
                            ELSE ${running}[${day(sql`f.report_issued_date`)}] - ${running}[${day(sql`f.clock_started_date`)}]
                       END END::float8 AS turnaround,
             CASE WHEN r.issued THEN f.on_time END AS on_time,
             r.issued AND f.retest_count > 0 AS retested,
             r.issued AND f.upheld_objections > 0 AS upheld,
             r.requested AND f.status = 'cancelled' AS cancelled,
             CASE WHEN ${within(sql`f.rated_at`)} THEN f.rating_score END AS rating
        FROM order_efficiency_facts f
        JOIN organisations l ON l.id = f.lab_id
       CROSS JOIN (SELECT ${`{${calendar.running.join(',')}}`}::int[] AS running) cal
       CROSS JOIN LATERAL (SELECT ${within(sql`f.requested_at`)} AS requested,
                                  ${within(sql`f.report_issued_at`)} AS issued) r
       WHERE ${inRegion(sql`l.region_code`, prefix)}
         AND (${within(sql`f.requested_at`)} OR ${within(sql`f.report_issued_at`)} OR ${within(sql`f.rated_at`)}))
    SELECT grouping(lab_id) AS no_lab, ${grouping === 'lab' ? sql`1` : sql`grouping(g)`} AS no_group,
           lab_id, ${grouping === 'lab' ? sql`NULL` : sql`g`} AS g, min(name_zh) AS name_zh, min(name_en) AS name_en,
           count(*) FILTER (WHERE requested) AS requested, count(response) AS quoted,
           percentile_cont(0.5) WITHIN GROUP (ORDER BY response) AS response_median,
           percentile_cont(0.9) WITHIN GROUP (ORDER BY response) AS response_p90,
           count(*) FILTER (WHERE issued) AS issued,
           percentile_cont(0.5) WITHIN GROUP (ORDER BY turnaround) AS turnaround_median,
           percentile_cont(0.9) WITHIN GROUP (ORDER BY turnaround) AS turnaround_p90,
           count(on_time) AS judged, count(*) FILTER (WHERE on_time) AS on_time,
           count(*) FILTER (WHERE retested) AS retested, count(*) FILTER (WHERE upheld) AS upheld,
           count(*) FILTER (WHERE cancelled) AS cancelled, count(rating) AS ratings, coalesce(sum(rating), 0) AS rating_sum
      FROM c
     GROUP BY GROUPING SETS (${sets})`);
  const num = (v: string | number | null | undefined) => (v === null || v === undefined ? null : Number(v));
  return rows.map((r) => {
    const labRow = Number(r.no_lab) === 0;
    const level = labRow ? 'lab' : Number(r.no_group) === 0 ? 'group' : 'overall';
    return {
      level,
      key: labRow ? String(r.lab_id) : level === 'group' ? String(r.g) : null,
      labNameZh: labRow ? String(r.name_zh) : null,
      labNameEn: labRow ? String(r.name_en) : null,
      requested: Number(r.requested),
      quoted: Number(r.quoted),
      responseMedian: num(r.response_median),
      responseP90: num(r.response_p90),
      issued: Number(r.issued),
      turnaroundMedian: num(r.turnaround_median),
      turnaroundP90: num(r.turnaround_p90),
      judged: Number(r.judged),
      onTime: Number(r.on_time),
      retested: Number(r.retested),
      upheld: Number(r.upheld),
      cancelled: Number(r.cancelled),
      ratings: Number(r.ratings),
      ratingSum: Number(r.rating_sum),
    };
  });
}

/** One instrument of a lab of the region with its machine time over the span. */
export interface InstrumentUse {
  id: string;
  nameZh: string;
  nameEn: string;
  model: string;
  status: string;
  labId: string;
  labNameZh: string;
  labNameEn: string;
  labRegion: string;
  bookings: number;
  effectiveSeconds: number;
  externalSeconds: number;
}

/**
 * Bookings that count as booked (any request the lab did not refuse and the customer did not
 * withdraw): what "nobody booked it" is measured against.
 */
const BOOKED = sql`b.status IN ('pending_approval', 'confirmed', 'in_use', 'completed', 'no_show')`;
const USED = sql`b.actual_start IS NOT NULL AND b.actual_end IS NOT NULL`;
/**
 * External service (对外服务): the booking is for an organisation other than the owner lab, or it is
 * the lab's own work on an order of an outside customer (orders are never the lab's own).
 */
const EXTERNAL = sql`(b.customer_org_id <> b.lab_id OR (o.id IS NOT NULL AND o.customer_org_id <> b.lab_id))`;
const SECONDS = sql`extract(epoch FROM b.actual_end - b.actual_start)`;

/**
 * Instruments of the labs of the region — those not retired, and retired ones with bookings in the
 * span — with their bookings starting in the span: how many, checked-in→checked-out seconds, and
 * the external part of them.
 */
export async function instrumentUse(tx: DbOrTx, prefix: string, span: Span): Promise<InstrumentUse[]> {
  const { rows } = await tx.execute<Record<string, string | null>>(sql`
    SELECT i.id, i.name_zh, i.name_en, i.model, i.status::text AS status, i.lab_id,
           l.name_zh AS lab_name_zh, l.name_en AS lab_name_en, l.region_code AS lab_region,
           count(b.id) FILTER (WHERE ${BOOKED}) AS bookings,
           COALESCE(sum(${SECONDS}) FILTER (WHERE ${USED}), 0) AS effective,
           COALESCE(sum(${SECONDS}) FILTER (WHERE ${USED} AND ${EXTERNAL}), 0) AS external
      FROM instruments i
      JOIN organisations l ON l.id = i.lab_id AND l.kind = 'lab'
      LEFT JOIN bookings b ON b.instrument_id = i.id
            AND b.starts_at >= ${ts(span.start)} AND b.starts_at < ${ts(span.end)}
      LEFT JOIN orders o ON o.id = b.order_id
     WHERE ${inRegion(sql`l.region_code`, prefix)}
     GROUP BY i.id, l.id
    HAVING i.status <> 'retired' OR count(b.id) > 0
     ORDER BY l.name_zh, l.id, i.name_zh, i.id`);
  return rows.map((r) => ({
    id: r.id!,
    nameZh: r.name_zh!,
    nameEn: r.name_en!,
    model: r.model!,
    status: r.status!,
    labId: r.lab_id!,
    labNameZh: r.lab_name_zh!,
    labNameEn: r.lab_name_en!,
    labRegion: r.lab_region!,
    bookings: Number(r.bookings),
    effectiveSeconds: Number(r.effective),
    externalSeconds: Number(r.external),
  }));
}

/** Checked-in→checked-out seconds per month (1–12, China time) of bookings starting in the span. */
export async function useByMonth(tx: DbOrTx, prefix: string, span: Span) {
  const { rows } = await tx.execute<Record<string, string | null>>(sql`
    SELECT extract(month FROM b.starts_at AT TIME ZONE 'Asia/Shanghai')::int AS month,
           COALESCE(sum(${SECONDS}), 0) AS effective,
           COALESCE(sum(${SECONDS}) FILTER (WHERE ${EXTERNAL}), 0) AS external
      FROM bookings b
      JOIN organisations l ON l.id = b.lab_id
      LEFT JOIN orders o ON o.id = b.order_id
     WHERE ${inRegion(sql`l.region_code`, prefix)} AND ${USED}
       AND b.starts_at >= ${ts(span.start)} AND b.starts_at < ${ts(span.end)}
     GROUP BY 1`);
  return new Map(rows.map((r) => [Number(r.month), { effective: Number(r.effective), external: Number(r.external) }]));
}
