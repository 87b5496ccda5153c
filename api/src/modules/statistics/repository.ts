import { sql } from 'drizzle-orm';
import type { DbOrTx } from '@qihub/db';

/**
 * The programme's statistics (附件2) straight from the records: one set-based query that turns every
 * counted act into a "fact" row (a report issued, a booking checked out, a visit, an attendance, a
 * ledger transaction, a rating, an event session held) and sums the facts by grouping sets — the
 * whole region, each sub-region, each month, and the same three by service kind. Sums go in two
 * stages (by sub-region, month and kind, then the grouping sets over those few rows). The
 * enterprises served are counted from one row per enterprise holding the months it was served in as
 * bits: no distinct count over all the facts in every grouping set. (Enterprises served per kind are
 * not among the figures; service times per kind are.)
 *
 * Enterprise facts count where the enterprise is registered (organisations.region_code of the
 * customer, enterprises only); lab and instrument facts where the lab is (the lab's region_code).
 *
 * The many rows (reports, orders, checked-out bookings) are read for whole months of the period
 * from their rollups (kept by triggers in the same transaction as the change, so still live: the
 * sums by the enterprises' regions in stat_region_months, the months each enterprise was served in
 * stat_enterprise_years, machine time in stat_instrument_months) and for the days at its edges
 * from the records; the few (visits, attendance, ledger, ratings, events) always from the records.
 */
export interface StatisticsWindow {
  /** GB/T 2260 prefix of the region: "32" (province), "3205" (city), "320506" (station). */
  prefix: string;
  /** Digits of the region code that name a sub-region: 4 below a province, 6 below a city, null for a station. */
  subDigits: 4 | 6 | null;
  /** [from, to) instants: local midnight of `from` and of the day after `to`, Asia/Shanghai. */
  fromAt: Date;
  toAt: Date;
  fromDate: string;
  toDate: string;
  /** The whole months inside [fromAt, toAt): [fullFromAt, fullToAt), empty (both toAt) when there are none. */
  fullFromAt: Date;
  fullToAt: Date;
  /** The same as local dates (first days of months) for the rollups. */
  fullFromMonth: string;
  fullToMonth: string;
  /** Event sessions count as held once they have ended. */
  now: Date;
}

export interface FigureRow {
  sub: string | null;
  month: string | null;
  kind: string | null;
  bySub: boolean;
  byMonth: boolean;
  byKind: boolean;
  enterprisesServed: number;
  serviceTimes: number;
  microSmallServed: number;
  sizedServed: number;
  instrumentsShared: number;
  machineHours: string | null;
  externalHours: string | null;
  ordersCompleted: number;
  reportsIssued: number;
  assistanceVisits: number;
  problemsSolved: number;
  trainingAttendees: number;
  eventsHeld: number;
  feesChargedFen: string;
  voucherAmountFen: string;
  listValueFen: string;
  chargedForListedFen: string;
  ratingSum: number;
  ratingCount: number;
}

const TZ = 'Asia/Shanghai';

export async function statisticsFigures(db: DbOrTx, w: StatisticsWindow): Promise<FigureRow[]> {
  const like = `${w.prefix}%`;
  const from = w.fromAt.toISOString();
  const to = w.toAt.toISOString();
  const now = w.now.toISOString();
  const fullFrom = w.fullFromAt.toISOString();
  const fullTo = w.fullToAt.toISOString();
  // The days of the period outside its whole months (two index ranges, not the whole period).
  const atEdges = (col: string) =>
    sql`((${sql.raw(col)} >= ${from}::timestamptz AND ${sql.raw(col)} < ${fullFrom}::timestamptz)
      OR (${sql.raw(col)} >= ${fullTo}::timestamptz AND ${sql.raw(col)} < ${to}::timestamptz))`;
  const wholeMonths = sql`m.month >= ${w.fullFromMonth}::date AND m.month < ${w.fullToMonth}::date`;
  // The sub-region of a region code: its city (xxxx00) below a province, itself below a city.
  const subOf = (col: string) =>
    w.subDigits === 4
      ? sql.raw(`substr(${col}, 1, 4) || '00'`)
      : w.subDigits === 6
        ? sql.raw(`${col}::text`)
        : sql.raw(`NULL::text`);
  // Months as dates (first days, China time) until the output: cheaper to group by than text.
  const monthOf = (col: string) => sql.raw(`date_trunc('month', ${col} AT TIME ZONE '${TZ}')::date`);
  // A month (a first day) as its place in the period: 0 for the month of `from`, 1 for the next …
  const monthNumber = (date: string) => Number(date.slice(0, 4)) * 12 + Number(date.slice(5, 7));
  const base = monthNumber(w.fromDate);
  const monthCount = monthNumber(w.toDate) - base + 1;
  const firstMonth = `${w.fromDate.slice(0, 7)}-01`;
  // The whole months as month numbers, [wholeFrom, wholeTo), for the enterprises' rows of the year.
  const [wholeFrom, wholeTo] = [monthNumber(w.fullFromMonth), monthNumber(w.fullToMonth)];
  // An enterprise's row of a year as month bits: the whole months of the period it was served in.
  const yearBits = sql.raw(
    Array.from(
      { length: 12 },
      (_, k) =>
        `(CASE WHEN y.service_times[${k + 1}] > 0 AND y.year * 12 + ${k + 1} >= ${wholeFrom} ` +
        `AND y.year * 12 + ${k + 1} < ${wholeTo} THEN 1::bigint << (y.year * 12 + ${k + 1} - ${base}) ELSE 0 END)`,
    ).join(' | '),
  );
  // An aggregate for each month of the period, as one array (the month's bit in place of $bit).
  const perMonth = (aggregate: string) =>
    sql.raw(
      `ARRAY[${Array.from({ length: monthCount }, (_, i) => aggregate.replaceAll('$bit', `${2 ** i}::bigint`)).join(', ')}]`,
    );
  const monthIndex = (col: string) =>
    sql.raw(`(extract(year FROM ${col})::int * 12 + extract(month FROM ${col})::int - ${base})`);

  // One statement over many rows at the programme's scale: its estimated cost crosses the JIT
  // compiler's threshold, and compiling its many expressions costs more than it saves — off for it.
  // Its sorts and grouping sets hold a province's year of rollup rows (≈ 150,000 at the programme's
  // scale): with the default 4 MB of work memory they spilled to disk (an external merge sort and a
  // 17-batch hash aggregate); 64 MB keeps them in memory, for this statement only.
  const result = await db.transaction(async (tx) => {
    await tx.execute(sql`SET LOCAL jit = off`);
    await tx.execute(sql`SET LOCAL work_mem = '64MB'`);
    return tx.execute(sql`
    WITH ent AS (
      SELECT id, region_code, enterprise_size, ${subOf('region_code')} AS sub FROM organisations
      WHERE kind = 'enterprise' AND region_code LIKE ${like}
    ),
    lab AS (
      SELECT id, region_code, ${subOf('region_code')} AS sub FROM organisations
      WHERE kind = 'lab' AND region_code LIKE ${like}
    ),
    facts AS (
      -- Reports issued: one service time unless revoked or the replacement of a valid one (stat_report_service_time), of the
      -- kind of the first line it covers.
      SELECT ent.id AS ent, ent.enterprise_size AS size, ent.sub AS sub,
        ${monthOf('r.issued_at')} AS month,
        stat_report_kind(r) AS kind,
        stat_report_service_time(r) AS service_time, 1 AS report,
        0 AS completed, 0 AS visit, 0 AS solved, 0 AS attendees, NULL::uuid AS shared_instrument,
        0::numeric AS machine_s, 0::numeric AS external_s, NULL::uuid AS session,
        0::bigint AS fee, 0::bigint AS voucher, 0::bigint AS list_value, 0::bigint AS charged_listed,
        0 AS rating_sum, 0 AS rating_n
      FROM reports r
      JOIN orders o ON o.id = r.order_id
      JOIN ent ON ent.id = o.customer_org_id
      WHERE ${atEdges('r.issued_at')}

      UNION ALL
      -- Orders completed (first report issued), with their list-price value where the catalogue has one.
      SELECT ent.id, ent.enterprise_size, ent.sub, ${monthOf('o.report_issued_at')}, NULL,
        0, 0, 1, 0, 0, 0, NULL, 0, 0, NULL, 0, 0,
        coalesce(lv.list_value, 0), coalesce(lv.charged, 0), 0, 0
      FROM orders o
      JOIN ent ON ent.id = o.customer_org_id
      LEFT JOIN LATERAL (
        SELECT sum(s.price_amount::bigint * ol.quantity) AS list_value, sum(ol.amount_fen)::bigint AS charged
        FROM order_lines ol JOIN services s ON s.id = ol.service_id
        WHERE ol.order_id = o.id AND ol.removed_at IS NULL AND s.price_amount IS NOT NULL
          AND s.price_model <> 'on_quote' AND ol.amount_fen IS NOT NULL
      ) lv ON true
      WHERE ${atEdges('o.report_issued_at')}

      UNION ALL
      -- A customer booking checked out (not order work the lab scheduled): one service time of instrument time.
      SELECT ent.id, ent.enterprise_size, ent.sub, ${monthOf('b.actual_end')}, 'instrument_time',
        1, 0, 0, 0, 0, 0, NULL, 0, 0, NULL, 0, 0,
        (CASE WHEN i.external_rate_hour IS NOT NULL AND b.billable_minutes IS NOT NULL AND b.billed_amount IS NOT NULL
              THEN round(i.external_rate_hour::numeric * b.billable_minutes / 60) ELSE 0 END)::bigint,
        (CASE WHEN i.external_rate_hour IS NOT NULL AND b.billable_minutes IS NOT NULL AND b.billed_amount IS NOT NULL
              THEN b.billed_amount ELSE 0 END)::bigint,
        0, 0
      FROM bookings b
      JOIN ent ON ent.id = b.customer_org_id
      JOIN instruments i ON i.id = b.instrument_id
      WHERE b.status = 'completed' AND b.order_id IS NULL AND ${atEdges('b.actual_end')}

      UNION ALL
      -- An assistance visit: one service time of technical assistance, with the problems it solved.
      SELECT ent.id, ent.enterprise_size, ent.sub, v.visited_on - (extract(day FROM v.visited_on)::int - 1),
        'technical_assistance', 1, 0, 0, 1, v.problems_solved, 0, NULL, 0, 0, NULL, 0, 0, 0, 0, 0, 0
      FROM assistance_visits v
      JOIN assistance_requests ar ON ar.id = v.request_id
      JOIN ent ON ent.id = ar.enterprise_id
      WHERE v.visited_on BETWEEN ${w.fromDate}::date AND ${w.toDate}::date

      UNION ALL
      -- One enterprise attending one event session: one service time, however many of its people came.
      SELECT ent.id, ent.enterprise_size, ent.sub, ${monthOf('min(es.starts_at)')},
        coalesce(min(sv.kind::text), 'training'), 1, 0, 0, 0, 0, count(*)::int, NULL, 0, 0, NULL, 0, 0, 0, 0, 0, 0
      FROM event_registrations er
      JOIN event_sessions es ON es.id = er.session_id
      JOIN events e ON e.id = es.event_id
      LEFT JOIN services sv ON sv.id = e.service_id
      JOIN ent ON ent.id = er.org_id
      WHERE er.status = 'attended' AND es.starts_at >= ${from}::timestamptz AND es.starts_at < ${to}::timestamptz
      GROUP BY ent.id, ent.enterprise_size, ent.sub, er.session_id

      UNION ALL
      -- Money from the ledger (issuers' books): what was charged to the enterprise (revenue and output
      -- VAT of charges, invoices, voids and credit notes) and the voucher programme's share of it.
      SELECT ent.id, ent.enterprise_size, ent.sub, ${monthOf('m.posted_at')}, NULL,
        0, 0, 0, 0, 0, 0, NULL, 0, 0, NULL, m.fee, m.voucher, 0, 0, 0, 0
      FROM (
        SELECT t.id, t.posted_at,
          max(a.counterparty_org_id::text) FILTER (WHERE a.code IN ('unbilled', 'receivable', 'customer_credit'))::uuid AS customer,
          -coalesce(sum(e.amount_fen) FILTER (WHERE a.code IN ('revenue', 'vat_output')), 0)::bigint AS fee,
          coalesce(sum(e.amount_fen) FILTER (WHERE a.code = 'voucher_receivable'), 0)::bigint AS voucher
        FROM ledger_transactions t
        JOIN ledger_entries e ON e.transaction_id = t.id
        JOIN ledger_accounts a ON a.id = e.account_id
        WHERE t.posted_at >= ${from}::timestamptz AND t.posted_at < ${to}::timestamptz
          AND t.kind IN ('charge', 'charge_reversal', 'invoice', 'invoice_void', 'credit_note',
                         'voucher_share', 'voucher_share_reversal')
        GROUP BY t.id, t.posted_at
      ) m
      JOIN ent ON ent.id = m.customer
      WHERE m.fee <> 0 OR m.voucher <> 0

      UNION ALL
      -- Ratings the enterprises gave their orders.
      SELECT ent.id, ent.enterprise_size, ent.sub, ${monthOf('rt.rated_at')}, NULL,
        0, 0, 0, 0, 0, 0, NULL, 0, 0, NULL, 0, 0, 0, 0, rt.score, 1
      FROM order_ratings rt
      JOIN orders o ON o.id = rt.order_id
      JOIN ent ON ent.id = o.customer_org_id
      WHERE rt.rated_at >= ${from}::timestamptz AND rt.rated_at < ${to}::timestamptz

      UNION ALL
      -- Instruments (where the lab is): checked-in time of every checked-out booking; external when the
      -- customer is another organisation than the owner, and such an instrument counts as shared.
      SELECT NULL, NULL, lab.sub, ${monthOf('b.actual_end')}, NULL,
        0, 0, 0, 0, 0, 0,
        CASE WHEN b.customer_org_id <> b.lab_id THEN b.instrument_id END,
        extract(epoch FROM b.actual_end - b.actual_start),
        CASE WHEN b.customer_org_id <> b.lab_id THEN extract(epoch FROM b.actual_end - b.actual_start) ELSE 0 END,
        NULL, 0, 0, 0, 0, 0, 0
      FROM bookings b
      JOIN lab ON lab.id = b.lab_id
      WHERE b.status = 'completed' AND b.actual_start IS NOT NULL AND ${atEdges('b.actual_end')}

      UNION ALL
      -- The same three for the whole months, from their rollup by the enterprises' regions (a few rows
      -- per district, month and kind): reports, orders completed, customer bookings …
      SELECT NULL, NULL, ${subOf('m.region_code')}, m.month, nullif(m.kind, ''),
        m.service_times, m.reports_issued, m.orders_completed, 0, 0, 0, NULL, 0, 0, NULL,
        0, 0, m.list_value_fen, m.charged_listed_fen, 0, 0
      FROM stat_region_months m
      WHERE ${wholeMonths} AND m.region_code LIKE ${like}
        -- (rows a withdrawal or a move brought back to nothing are no month's figures)
        AND (m.service_times, m.reports_issued, m.orders_completed, m.list_value_fen, m.charged_listed_fen)
            <> (0, 0, 0, 0, 0)

      UNION ALL
      -- … and the instruments' machine time.
      SELECT NULL, NULL, lab.sub, m.month, NULL,
        0, 0, 0, 0, 0, 0, CASE WHEN m.external_uses > 0 THEN m.instrument_id END, m.machine_seconds, m.external_seconds,
        NULL, 0, 0, 0, 0, 0, 0
      FROM stat_instrument_months m
      JOIN lab ON lab.id = m.lab_id
      WHERE ${wholeMonths} AND (m.machine_seconds, m.external_seconds, m.external_uses) <> (0, 0, 0)

      UNION ALL
      -- Event sessions held (ended) by organisers of the region, the event's own region first.
      SELECT NULL, NULL, ${subOf('coalesce(e.region_code, org.region_code)')}, ${monthOf('es.starts_at')}, NULL,
        0, 0, 0, 0, 0, 0, NULL, 0, 0, es.id, 0, 0, 0, 0, 0, 0
      FROM event_sessions es
      JOIN events e ON e.id = es.event_id
      JOIN organisations org ON org.id = e.organiser_org_id
      WHERE e.status = 'published' AND coalesce(e.region_code, org.region_code) LIKE ${like}
        AND es.starts_at >= ${from}::timestamptz AND es.starts_at < ${to}::timestamptz
        AND es.ends_at <= ${now}::timestamptz
    ),
    -- The sums in two stages: by sub-region, month and kind first (one hashed pass over the facts),
    -- then the grouping sets over those few rows …
    sums1 AS (
      SELECT sub, month, kind,
        sum(service_time) AS service_time, sum(machine_s) AS machine_s, sum(external_s) AS external_s,
        sum(completed) AS completed, sum(report) AS report, sum(visit) AS visit, sum(solved) AS solved,
        sum(attendees) AS attendees, sum(fee) AS fee, sum(voucher) AS voucher, sum(list_value) AS list_value,
        sum(charged_listed) AS charged_listed, sum(rating_sum) AS rating_sum, sum(rating_n) AS rating_n
      FROM facts
      GROUP BY sub, month, kind
    ),
    sums AS (
      SELECT sub, month, kind,
        grouping(sub) = 0 AS "bySub", grouping(month) = 0 AS "byMonth", grouping(kind) = 0 AS "byKind",
        coalesce(sum(service_time), 0)::int AS "serviceTimes",
        round(sum(machine_s) / 3600, 2)::text AS "machineHours",
        round(sum(external_s) / 3600, 2)::text AS "externalHours",
        coalesce(sum(completed), 0)::int AS "ordersCompleted",
        coalesce(sum(report), 0)::int AS "reportsIssued",
        coalesce(sum(visit), 0)::int AS "assistanceVisits",
        coalesce(sum(solved), 0)::int AS "problemsSolved",
        coalesce(sum(attendees), 0)::int AS "trainingAttendees",
        coalesce(sum(fee), 0)::text AS "feesChargedFen",
        coalesce(sum(voucher), 0)::text AS "voucherAmountFen",
        coalesce(sum(list_value), 0)::text AS "listValueFen",
        coalesce(sum(charged_listed), 0)::text AS "chargedForListedFen",
        coalesce(sum(rating_sum), 0)::int AS "ratingSum",
        coalesce(sum(rating_n), 0)::int AS "ratingCount"
      FROM sums1
      GROUP BY GROUPING SETS ((), (sub), (month), (kind), (sub, kind), (month, kind))
    ),
    -- … the enterprises served: each enterprise once, with the months of the period it was served
    -- in as bits of one number (bit i: the i-th month from the period's first), from the facts at
    -- the edges and the rollup rows of the whole months — one hashed pass, no sort …
    served AS (
      SELECT ent, size, sub, bit_or(bits) AS months
      FROM (
        SELECT ent, size, sub, 1::bigint << ${monthIndex('month')} AS bits
        FROM facts WHERE service_time > 0 AND ent IS NOT NULL
        UNION ALL
        -- The whole months from each enterprise's row of the year: the months with a service time.
        SELECT ent.id, ent.enterprise_size, ent.sub, b.bits
        FROM stat_enterprise_years y
        JOIN ent ON ent.id = y.enterprise_id
        CROSS JOIN LATERAL (SELECT ${yearBits} AS bits) b
        WHERE y.year BETWEEN ${Math.floor((wholeFrom - 1) / 12)} AND ${Math.floor((wholeTo - 2) / 12)}
          AND b.bits <> 0
      ) f
      GROUP BY ent, size, sub
    ),
    -- … then counted: overall and per sub-region, and per month from the bits.
    served_counts AS (
      SELECT sub, NULL::date AS month, NULL::text AS kind, grouping(sub) = 0 AS "bySub", false AS "byMonth",
        false AS "byKind", count(*) AS served, count(*) FILTER (WHERE size IN ('micro', 'small')) AS micro_small,
        count(*) FILTER (WHERE size IS NOT NULL) AS sized
      FROM served GROUP BY GROUPING SETS ((), (sub))
      UNION ALL
      -- per month: one pass computing each month's three counts side by side, then one row per month
      SELECT NULL, (${firstMonth}::date + make_interval(months => (u.i - 1)::int))::date, NULL, false, true, false,
        u.served, u.micro_small, u.sized
      FROM (
        SELECT ${perMonth('count(*) FILTER (WHERE months & $bit <> 0)')} AS served,
          ${perMonth(`count(*) FILTER (WHERE months & $bit <> 0 AND size IN ('micro', 'small'))`)} AS micro_small,
          ${perMonth('count(*) FILTER (WHERE months & $bit <> 0 AND size IS NOT NULL)')} AS sized
        FROM served
      ) c
      CROSS JOIN LATERAL unnest(c.served, c.micro_small, c.sized) WITH ORDINALITY AS u(served, micro_small, sized, i)
    ),
    -- … and the instruments shared and sessions held, distinct over their few rows.
    distinct_counts AS (
      SELECT sub, month, NULL::text AS kind,
        grouping(sub) = 0 AS "bySub", grouping(month) = 0 AS "byMonth", false AS "byKind",
        count(DISTINCT shared_instrument)::int AS instruments,
        count(DISTINCT session)::int AS sessions
      FROM facts WHERE shared_instrument IS NOT NULL OR session IS NOT NULL
      GROUP BY GROUPING SETS ((), (sub), (month))
    )
    SELECT s.sub, to_char(s.month, 'YYYY-MM') AS month, s.kind, s."bySub", s."byMonth", s."byKind",
      s."serviceTimes", s."machineHours", s."externalHours", s."ordersCompleted", s."reportsIssued",
      s."assistanceVisits", s."problemsSolved", s."trainingAttendees", s."feesChargedFen", s."voucherAmountFen",
      s."listValueFen", s."chargedForListedFen", s."ratingSum", s."ratingCount",
      coalesce(e.served, 0)::int AS "enterprisesServed",
      coalesce(e.micro_small, 0)::int AS "microSmallServed",
      coalesce(e.sized, 0)::int AS "sizedServed",
      coalesce(d.instruments, 0) AS "instrumentsShared",
      coalesce(d.sessions, 0) AS "eventsHeld"
    FROM sums s
    LEFT JOIN served_counts e
      ON e."bySub" = s."bySub" AND e."byMonth" = s."byMonth" AND e."byKind" = s."byKind"
     AND e.sub IS NOT DISTINCT FROM s.sub AND e.month IS NOT DISTINCT FROM s.month AND e.kind IS NOT DISTINCT FROM s.kind
    LEFT JOIN distinct_counts d
      ON d."bySub" = s."bySub" AND d."byMonth" = s."byMonth" AND d."byKind" = s."byKind"
     AND d.sub IS NOT DISTINCT FROM s.sub AND d.month IS NOT DISTINCT FROM s.month AND d.kind IS NOT DISTINCT FROM s.kind`);
  });
  return result.rows as unknown as FigureRow[];
}

export interface RegionRow {
  code: string;
  nameZh: string;
  nameEn: string;
  level: 'province' | 'city' | 'station';
  parentCode: string | null;
}

export async function findRegion(db: DbOrTx, code: string): Promise<RegionRow | undefined> {
  const result = await db.execute(sql`
    SELECT code, name_zh AS "nameZh", name_en AS "nameEn", level, parent_code AS "parentCode"
    FROM regions WHERE code = ${code}`);
  return result.rows[0] as RegionRow | undefined;
}

export async function childRegions(db: DbOrTx, code: string): Promise<RegionRow[]> {
  const result = await db.execute(sql`
    SELECT code, name_zh AS "nameZh", name_en AS "nameEn", level, parent_code AS "parentCode"
    FROM regions WHERE parent_code = ${code} ORDER BY code`);
  return result.rows as unknown as RegionRow[];
}

/**
 * The rollups again from the records (the migration's `rebuild_statistics_rollups()`), in one
 * transaction: after a bulk load with the triggers off, or when a list price behind them changed.
 */
export async function rebuildRollups(db: DbOrTx): Promise<void> {
  await db.execute(sql`SELECT rebuild_statistics_rollups()`);
}
