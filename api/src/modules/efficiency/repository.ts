import { sql, type SQL } from 'drizzle-orm';
import type { DbOrTx } from '@qihub/db';

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
  // Set-based: each order's first line, first quote and upheld objections are summed up in one pass
  // over the orders of the region's labs and joined, not looked up order by order.
  const ofRegion = (orderId: SQL) =>
    sql`${orderId} IN (SELECT ro.id FROM orders ro JOIN organisations rl ON rl.id = ro.lab_id
                        WHERE ${inRegion(sql`rl.region_code`, prefix)})`;
  const { rows } = await tx.execute<FactsRow>(sql`
    SELECT o.id, o.number, o.status::text AS status, o.lab_id,
           l.name_zh AS lab_name_zh, l.name_en AS lab_name_en, l.region_code AS lab_region,
           c.name_zh AS customer_name_zh, fl.kind, o.created_at,
           -- LEAST ignores nulls: the quote stamp, or an earlier first quote on the timeline (re-quoted since).
           LEAST(fq.at, o.quoted_at) AS first_quoted_at,
           o.clock_started_at, o.due_at, o.report_issued_at, o.on_time, o.retest_count,
           to_char(o.clock_started_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD') AS clock_started_date,
           to_char(o.report_issued_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD') AS report_issued_date,
           coalesce(u.n, 0) AS upheld,
           o.cancelled_at, r.score, r.rated_at
      FROM orders o
      JOIN organisations l ON l.id = o.lab_id
      JOIN organisations c ON c.id = o.customer_org_id
      LEFT JOIN order_ratings r ON r.order_id = o.id
      LEFT JOIN (
        SELECT DISTINCT ON (ln.order_id) ln.order_id, ln.kind::text AS kind
          FROM order_lines ln
         WHERE ${ofRegion(sql`ln.order_id`)}
         ORDER BY ln.order_id, (ln.removed_at IS NOT NULL), ln.position
      ) fl ON fl.order_id = o.id
      LEFT JOIN (
        SELECT e.order_id, min(e.at) AS at
          FROM order_events e
         WHERE e.action = 'order.quoted' AND ${ofRegion(sql`e.order_id`)}
         GROUP BY e.order_id
      ) fq ON fq.order_id = o.id
      LEFT JOIN (
        SELECT ob.order_id, count(*) AS n
          FROM order_objections ob
         WHERE ob.status = 'upheld'
         GROUP BY ob.order_id
      ) u ON u.order_id = o.id
     WHERE ${inRegion(sql`l.region_code`, prefix)}
       AND ((o.created_at >= ${ts(span.start)} AND o.created_at < ${ts(span.end)})
         OR (o.report_issued_at >= ${ts(span.start)} AND o.report_issued_at < ${ts(span.end)})
         OR (r.rated_at >= ${ts(span.start)} AND r.rated_at < ${ts(span.end)}))
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
