// The statistics bench's load on top of the demo data, set-based (generate_series), at the
// programme's scale or a fraction of it: enterprises in ten Jiangsu districts, instruments at the
// province's labs, bookings and orders spread evenly over two years (2025–2026). The orders carry
// the workflow stamps the efficiency evaluation reads (quote, clock start, due date, on-time,
// re-test, cancellation, rating, the timeline's first quote). Rows are picked by joining on
// `k = g % (SELECT count(*) FROM …)`, an equality the planner hashes; with the count as a column of
// the joined side (`k = g % n`) it was a nested loop, 10¹⁰ comparisons for the full scale's bookings.
import type pg from 'pg';

export interface StatisticsLoad {
  enterprises: number;
  instruments: number;
  bookings: number;
  orders: number;
}

const SPAN_START = '2024-12-31T16:00:00Z';
/** Two years in minutes: where the bookings and orders fall. */
const SPAN_MINUTES = 2 * 365 * 24 * 60;
export const DISTRICTS = [
  '320102',
  '320113',
  '320115',
  '320211',
  '320214',
  '320505',
  '320506',
  '320507',
  '320508',
  '320509',
];

const ROLLUP_TRIGGERS = [
  ...['bookings', 'orders', 'reports'].flatMap((t) =>
    ['insert', 'update', 'delete'].map((op) => [t, `${t}_stat_${op}`] as const),
  ),
  // The efficiency facts (per order) of what the load inserts.
  ...(['orders', 'order_events', 'order_lines'] as const).map((t) => [t, `${t}_efficiency_insert`] as const),
  ['order_ratings', 'order_ratings_efficiency'] as const,
];

/**
 * Bulk-load practice (as pg_restore does it): the table's secondary indexes, exclusion and foreign-key
 * constraints are dropped for `load` and rebuilt afterwards from their own catalogue definitions, so
 * what is measured is the migrated schema (twelve indexes, two of them GiST exclusions).
 */
async function withoutIndexes(pool: pg.Pool, table: string, load: () => Promise<unknown>): Promise<void> {
  const constraints = await pool.query<{ name: string; def: string }>(
    `SELECT conname AS name, pg_get_constraintdef(oid) AS def FROM pg_constraint
      WHERE conrelid = $1::regclass AND contype IN ('x', 'f') ORDER BY conname`,
    [table],
  );
  const indexes = await pool.query<{ name: string; def: string }>(
    `SELECT i.relname AS name, pg_get_indexdef(i.oid) AS def
       FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid
      WHERE x.indrelid = $1::regclass AND NOT x.indisprimary
        AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid AND c.conrelid = x.indrelid)
      ORDER BY i.relname`,
    [table],
  );
  for (const c of constraints.rows) await pool.query(`ALTER TABLE ${table} DROP CONSTRAINT ${c.name}`);
  for (const i of indexes.rows) await pool.query(`DROP INDEX ${i.name}`);
  await load();
  for (const i of indexes.rows) await pool.query(i.def);
  for (const c of constraints.rows) await pool.query(`ALTER TABLE ${table} ADD CONSTRAINT ${c.name} ${c.def}`);
}

export async function seedStatisticsLoad(pool: pg.Pool, n: StatisticsLoad, user: string): Promise<void> {
  const q = (text: string, params: unknown[] = []) => pool.query(text, params);
  // A bulk load: the rollup and efficiency-facts triggers off, and both rebuilt from the records afterwards.
  for (const [table, trigger] of ROLLUP_TRIGGERS) await q(`ALTER TABLE ${table} DISABLE TRIGGER ${trigger}`);
  // Enterprises across ten Jiangsu districts, sizes micro / small / medium / large in 4:3:2:1.
  await q(
    `INSERT INTO organisations (kind, status, name_zh, credit_code, region_code, enterprise_size, industry_code)
     SELECT 'enterprise', 'active', '基准企业' || g, '91' || d.code || lpad(g::text, 9, '0') || 'X', d.code,
            (ARRAY['micro','micro','micro','micro','small','small','small','medium','medium','large'])[1 + g % 10]::enterprise_size,
            'C'
       FROM generate_series(1, $1::int) g
       JOIN (SELECT code, row_number() OVER (ORDER BY code) - 1 AS k FROM unnest($2::text[]) code) d ON d.k = g % 10`,
    [n.enterprises, DISTRICTS],
  );
  // Instruments on the sites of the province's labs, one unit each.
  await q(
    `WITH s AS (
       SELECT s.id AS site_id, s.lab_id, row_number() OVER (ORDER BY s.id) - 1 AS k
         FROM sites s JOIN organisations o ON o.id = s.lab_id WHERE o.region_code LIKE '32%'),
     c AS (SELECT code FROM instrument_categories ORDER BY code LIMIT 1),
     i AS (
       INSERT INTO instruments (lab_id, site_id, name_zh, category_code, external_rate_hour, internal_rate_hour)
       SELECT s.lab_id, s.site_id, '基准仪器' || g, c.code, 20000, 15000
         FROM generate_series(1, $1::int) g JOIN s ON s.k = g % (SELECT count(*) FROM s) CROSS JOIN c
       RETURNING id)
     INSERT INTO instrument_units (instrument_id, label, position) SELECT id, 'A', 1 FROM i`,
    [n.instruments],
  );
  // Bookings: 80 % checked out (2 h booked, 1.5–2 h used), the rest cancelled; one in twenty the lab's own.
  await withoutIndexes(pool, 'bookings', () =>
    q(
      `WITH e AS (SELECT id, row_number() OVER (ORDER BY id) - 1 AS k
                  FROM organisations WHERE kind = 'enterprise' AND name_zh LIKE '基准企业%'),
          u AS (SELECT u.id AS unit_id, i.id AS instrument_id, i.lab_id, row_number() OVER (ORDER BY u.id) - 1 AS k
                  FROM instrument_units u JOIN instruments i ON i.id = u.instrument_id WHERE i.name_zh LIKE '基准仪器%')
     INSERT INTO bookings (instrument_id, unit_id, lab_id, customer_org_id, user_id, mode, status, starts_at, ends_at,
                           occupied, rate_tier, price_amount, policy, hourly_rate, actual_start, actual_end,
                           billable_minutes, billed_amount)
     SELECT u.instrument_id, u.unit_id, u.lab_id, CASE WHEN g % 20 = 0 THEN u.lab_id ELSE e.id END, $2, 'self',
            (CASE WHEN g % 5 = 4 THEN 'cancelled' ELSE 'completed' END)::booking_status,
            t.s, t.s + interval '2 hours', tstzrange(t.s, t.s + interval '2 hours'), 'external', 40000, '{}'::jsonb, 20000,
            CASE WHEN g % 5 < 4 THEN t.s END,
            CASE WHEN g % 5 < 4 THEN t.s + (90 + g % 31) * interval '1 minute' END,
            CASE WHEN g % 5 < 4 THEN 120 END, CASE WHEN g % 5 < 4 THEN 40000 - (g % 3) * 1000 END
       FROM generate_series(0, $1::int - 1) g
       JOIN u ON u.k = g % (SELECT count(*) FROM u)
       JOIN e ON e.k = (g * 7) % (SELECT count(*) FROM e)
      CROSS JOIN LATERAL (SELECT $3::timestamptz + ((g * 61) % $4::int) * interval '1 minute' AS s) t`,
      [n.bookings, user, SPAN_START, SPAN_MINUTES],
    ),
  );
  // Orders at the province's labs, one catalogue line each: 70 % through to an issued report (one in
  // seven late, one in twenty-three re-tested, a third of them rated), 10 % in progress, 10 % quoted
  // and waiting, 10 % cancelled. Quoted 1–48 h after the request (the timeline has the first quote).
  await q(
    `WITH e AS (SELECT id, row_number() OVER (ORDER BY id) - 1 AS k
                  FROM organisations WHERE kind = 'enterprise' AND name_zh LIKE '基准企业%'),
          sv AS (SELECT s.id, s.lab_id, s.kind, coalesce(s.price_amount, 50000) AS price,
                        row_number() OVER (ORDER BY s.id) - 1 AS k
                   FROM services s JOIN organisations o ON o.id = s.lab_id WHERE o.region_code LIKE '32%'),
          o AS (
            INSERT INTO orders (number, customer_org_id, lab_id, requested_by, status, title_zh, subtotal_fen, total_fen,
                                created_at, quoted_at, clock_started_at, due_at, report_issued_at, on_time,
                                retest_count, cancelled_at, deadline_tier_days)
            SELECT 'QB' || lpad(g::text, 10, '0'), e.id, sv.lab_id, $2,
                   (CASE WHEN g % 10 < 7 THEN 'report_issued' WHEN g % 10 = 7 THEN 'in_progress'
                         WHEN g % 10 = 8 THEN 'quoted' ELSE 'cancelled' END)::order_status,
                   '基准委托' || g, sv.price, sv.price, t.at,
                   t.at + (1 + g % 48) * interval '1 hour',
                   CASE WHEN g % 10 < 8 THEN t.at + interval '2 days' END,
                   CASE WHEN g % 10 < 8 THEN t.at + interval '9 days' END,
                   CASE WHEN g % 10 < 7 THEN t.at + interval '5 days' + (g % 7) * interval '1 day' END,
                   CASE WHEN g % 10 < 7 THEN g % 7 <> 6 END,
                   CASE WHEN g % 10 < 7 AND g % 23 = 0 THEN 1 ELSE 0 END,
                   CASE WHEN g % 10 = 9 THEN t.at + interval '3 days' END, 5
              FROM generate_series(1, $1::int) g
              JOIN e ON e.k = (g * 13) % (SELECT count(*) FROM e)
              JOIN sv ON sv.k = g % (SELECT count(*) FROM sv)
             CROSS JOIN LATERAL (SELECT $3::timestamptz + ((g * 97) % $4::int) * interval '1 minute' AS at) t
            RETURNING id, lab_id, number, status, quoted_at, report_issued_at, subtotal_fen, requested_by),
          ev AS (
            INSERT INTO order_events (order_id, at, actor_side, action, from_status, to_status)
            SELECT id, quoted_at, 'lab', 'order.quoted', 'requested', 'quoted' FROM o
            RETURNING order_id),
          rt AS (
            INSERT INTO order_ratings (order_id, lab_id, score, rated_by, rated_at)
            SELECT id, lab_id, 3 + substr(number, 3)::int % 3, requested_by, report_issued_at + interval '1 day'
              FROM o WHERE status = 'report_issued' AND substr(number, 3)::int % 3 = 0
            RETURNING order_id),
          l AS (
            INSERT INTO order_lines (order_id, position, service_id, kind, description_zh, quantity, unit_price_fen, amount_fen)
            SELECT o.id, 1, sv.id, sv.kind, '基准', 1, o.subtotal_fen, o.subtotal_fen
              FROM o JOIN sv ON sv.lab_id = o.lab_id AND sv.price = o.subtotal_fen
             WHERE sv.k = (SELECT min(k) FROM sv s2 WHERE s2.lab_id = o.lab_id AND s2.price = o.subtotal_fen)
            RETURNING order_id)
     INSERT INTO reports (order_id, lab_id, number, status, verification_code, issued_at)
     SELECT o.id, o.lab_id, 'B-' || o.number, 'issued', 'VB' || o.number, o.report_issued_at
       FROM o WHERE o.status = 'report_issued'`,
    [n.orders, user, SPAN_START, SPAN_MINUTES],
  );
  for (const [table, trigger] of ROLLUP_TRIGGERS) await q(`ALTER TABLE ${table} ENABLE TRIGGER ${trigger}`);
  await q('SELECT rebuild_statistics_rollups()');
  await q('SELECT rebuild_order_efficiency_facts()');
  await q('ANALYZE');
}
