// Seeds the booking benchmark's load on top of the demo data, set-based (INSERT … SELECT over
// generate_series / unnest), so 300,000 bookings take seconds, not minutes:
// - `labs` labs of 2 sites each (Asia/Shanghai, default week), `instruments` instruments spread
//   over them; every 4th instrument has 3 units, the others 1; all rented by the hour;
// - bench users (members of the demo enterprises) with sessions created directly (no login, so the
//   auth rate limit and argon2 stay out of the measurement);
// - past and future bookings on every unit, on every open day (holidays and 调休 from the API's own
//   calendar) from `pastDays` ago to the 60-day horizon, never overlapping on a unit:
//     mornings: one booking of 60 or 120 minutes starting 08:30, 09:30 or 10:30 (ends by 12:30);
//     afternoons on some days: 14:30–15:30.
//   The benchmark books 12:30–14:30 (creation) and 16:00–17:30 (the race), which stay free.
// Statuses: past completed / cancelled / no_show; future confirmed / pending_approval / cancelled.
import { createHash, randomBytes } from 'node:crypto';
import { openingWindows } from '@qihub/api/modules/availability/calendar';
import { DEFAULT_POLICY } from '@qihub/api/modules/availability/booking-policy';
import type pg from 'pg';

export const LOAD_ZONE = 'Asia/Shanghai';
/** Every instrument's search text carries one of these words: 1/5 of the instruments each. */
export const SEARCH_GROUPS = ['loadgrpa', 'loadgrpb', 'loadgrpc', 'loadgrpd', 'loadgrpe'];

export interface LoadOptions {
  labs: number;
  instruments: number;
  users: number;
  pastDays: number;
  now: Date;
}

export interface LoadInstrument {
  id: string;
  units: number;
}

export interface Load {
  instruments: LoadInstrument[];
  /** Bearer tokens of the bench users (one session each). */
  tokens: string[];
  /** Local opening instants (08:30 Asia/Shanghai) of open days from `pastDays` ago to the horizon. */
  openDays: Date[];
  bookings: number;
}

const DAY = 24 * 60 * 60_000;

export async function seedLoad(pool: pg.Pool, o: LoadOptions): Promise<Load> {
  const regions = (
    await pool.query<{ code: string }>(
      `SELECT code FROM regions WHERE code !~ '0000$' AND code ~ '00$' ORDER BY code LIMIT 12`,
    )
  ).rows.map((r) => r.code);
  const categories = (
    await pool.query<{ code: string }>('SELECT code FROM instrument_categories ORDER BY code')
  ).rows.map((r) => r.code);
  if (regions.length === 0 || categories.length === 0)
    throw new Error('seed the demo data first (regions, categories)');

  await pool.query(
    `INSERT INTO organisations (kind, status, name_zh, name_en, region_code, lab_type)
     SELECT 'lab', 'active', '负载测试实验室 ' || g, 'Load lab ' || lpad(g::text, 3, '0'),
       ($1::text[])[1 + g % cardinality($1::text[])], 'testing_institute'
     FROM generate_series(1, $2::int) g`,
    [regions, o.labs],
  );
  // The bench's users each hold dozens of slots at a lab (creation throughput, the race), far past
  // the default hold limits (2 per instrument, 5 per lab): the load labs allow that. The limit is
  // still checked on every hold (booking_hold_lock), so its cost is measured.
  await pool.query(
    `INSERT INTO lab_booking_settings (lab_id, max_holds_per_instrument, max_holds_per_lab)
     SELECT id, 1000, 1000 FROM organisations WHERE name_en LIKE 'Load lab %'`,
  );
  await pool.query(
    `INSERT INTO sites (lab_id, name_zh, name_en, time_zone, region_code, address_zh)
     SELECT o.id, o.name_zh || ' 第' || s || '园区', o.name_en || ' site ' || s, $1, o.region_code, '测试路 ' || s || ' 号'
     FROM organisations o CROSS JOIN generate_series(1, 2) s
     WHERE o.name_en LIKE 'Load lab %'`,
    [LOAD_ZONE],
  );
  const instruments = await pool.query<{ id: string; unit_count: number }>(
    `WITH st AS (
       SELECT s.id, s.lab_id, row_number() OVER (ORDER BY s.name_en) - 1 AS k, count(*) OVER () AS n
       FROM sites s JOIN organisations o ON o.id = s.lab_id WHERE o.name_en LIKE 'Load lab %'
     )
     INSERT INTO instruments (lab_id, site_id, name_zh, name_en, model, manufacturer, category_code, unit_count,
       internal_rate_hour, external_rate_hour, search_text)
     SELECT st.lab_id, st.id, '负载测试仪器 ' || lpad(g::text, 5, '0'), 'Load instrument ' || lpad(g::text, 5, '0'),
       'LT-' || g, 'Bench', ($2::text[])[1 + g % cardinality($2::text[])],
       CASE WHEN g % 4 = 3 THEN 3 ELSE 1 END, 20000 + (g % 7) * 1000, 30000 + (g % 11) * 1000,
       lower('负载测试仪器 load instrument ' || g || ' ' || ($3::text[])[1 + g % 5])
     FROM generate_series(0, $1::int - 1) g JOIN st ON st.k = g % st.n
     RETURNING id, unit_count`,
    [o.instruments, categories, SEARCH_GROUPS],
  );
  await pool.query(
    `INSERT INTO instrument_units (instrument_id, label, position)
     SELECT i.id, i.name_zh || ' #' || p, p
     FROM instruments i CROSS JOIN LATERAL generate_series(1, i.unit_count) p
     WHERE i.name_en LIKE 'Load instrument %'`,
  );

  // Bench users in the two demo enterprises, with a live session each.
  const users = await pool.query<{ id: string }>(
    `WITH ent AS (
       SELECT array_agg(m.org_id ORDER BY u.email) AS orgs, min(u.password_hash) AS hash
       FROM users u JOIN memberships m ON m.user_id = u.id
       WHERE u.email IN ('sme@demo.qihub.test', 'sme2@demo.qihub.test')
     ), ins AS (
       INSERT INTO users (email, password_hash, display_name)
       SELECT 'load-user-' || lpad(g::text, 3, '0') || '@bench.qihub.test', ent.hash, '负载用户 ' || g
       FROM generate_series(1, $1::int) g, ent
       RETURNING id, email
     )
     INSERT INTO memberships (user_id, org_id, role)
     SELECT ins.id, ent.orgs[1 + (substr(ins.email, 11, 3)::int % cardinality(ent.orgs))], 'member'
     FROM ins, ent
     RETURNING user_id AS id`,
    [o.users],
  );
  if (users.rows.length !== o.users) throw new Error('bench users: the demo enterprises are missing');
  const tokens = users.rows.map(() => `qhs_${randomBytes(32).toString('base64url')}`);
  await pool.query(
    `INSERT INTO sessions (token_hash, user_id, expires_at, user_agent)
     SELECT h, u, now() + interval '2 days', 'booking-bench' FROM unnest($1::text[], $2::uuid[]) AS x(h, u)`,
    [tokens.map((t) => createHash('sha256').update(t).digest('hex')), users.rows.map((u) => u.id)],
  );

  // Open days, as the API computes them (default week, Chinese holidays and make-up workdays).
  const openDays = openingWindows(
    new Date(o.now.getTime() - o.pastDays * DAY),
    new Date(o.now.getTime() + 61 * DAY),
    LOAD_ZONE,
    [],
  ).map((w) => w.start);

  // Bulk load the way pg_restore does: drop the bookings table's secondary indexes and its foreign
  // key and exclusion constraints, insert, then build them again in one pass each. Re-adding the
  // constraints checks every row, so the exclusion constraint proves the load has no overlap.
  const { rows: constraints } = await pool.query<{ name: string; def: string }>(
    `SELECT conname AS name, pg_get_constraintdef(oid) AS def FROM pg_constraint
     WHERE conrelid = 'bookings'::regclass AND contype IN ('f', 'x') ORDER BY contype, conname`,
  );
  const { rows: indexes } = await pool.query<{ name: string; def: string }>(
    `SELECT c.relname AS name, pg_get_indexdef(i.indexrelid) AS def FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
     WHERE i.indrelid = 'bookings'::regclass AND NOT i.indisprimary
       AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid)`,
  );
  for (const c of constraints) await pool.query(`ALTER TABLE bookings DROP CONSTRAINT ${c.name}`);
  for (const i of indexes) await pool.query(`DROP INDEX ${i.name}`);

  const inserted = await pool.query(
    `WITH u AS (
       SELECT u.id AS unit_id, i.id AS instrument_id, i.lab_id, i.external_rate_hour AS rate,
         row_number() OVER (ORDER BY i.name_en, u.position) AS un
       FROM instrument_units u JOIN instruments i ON i.id = u.instrument_id
       WHERE i.name_en LIKE 'Load instrument %'
     ), d AS (
       SELECT x.t AS opens, x.ord AS dn FROM unnest($1::timestamptz[]) WITH ORDINALITY AS x(t, ord)
     ), cust AS (
       SELECT m.user_id, m.org_id, row_number() OVER (ORDER BY m.user_id) - 1 AS k, count(*) OVER () AS n
       FROM memberships m JOIN users us ON us.id = m.user_id WHERE us.email LIKE 'load-user-%'
     ), slots AS (
       SELECT u.*, d.dn, d.opens + make_interval(mins => (60 * ((u.un + d.dn) % 3))::int) AS s,
         (60 * (1 + (u.un * 7 + d.dn) % 2))::int AS mins
       FROM u CROSS JOIN d
       UNION ALL
       SELECT u.*, d.dn, d.opens + interval '6 hours', 60
       FROM u CROSS JOIN d WHERE (u.un * 3 + d.dn) % 5 = 0
     ), b AS (
       SELECT slots.*, slots.s + make_interval(mins => slots.mins) AS e, (slots.un * 31 + slots.dn * 17) % 20 AS h,
         cust.user_id, cust.org_id
       FROM slots JOIN cust ON cust.k = (slots.un + slots.dn) % cust.n
     )
     INSERT INTO bookings (instrument_id, unit_id, lab_id, customer_org_id, user_id, mode, status, starts_at, ends_at,
       occupied, rate_tier, price_amount, hourly_rate, policy, actual_start, actual_end, billable_minutes, billed_amount,
       cancelled_at, created_at, updated_at)
     SELECT b.instrument_id, b.unit_id, b.lab_id, b.org_id, b.user_id,
       (CASE WHEN b.h % 3 = 0 THEN 'assisted' ELSE 'self' END)::booking_mode, st.status::booking_status,
       b.s, b.e, tstzrange(b.s, b.e), 'external', b.rate * b.mins / 60, b.rate, $2::jsonb,
       CASE WHEN st.status = 'completed' THEN b.s END, CASE WHEN st.status = 'completed' THEN b.e END,
       CASE WHEN st.status = 'completed' THEN b.mins END, CASE WHEN st.status = 'completed' THEN b.rate * b.mins / 60 END,
       CASE WHEN st.status = 'cancelled' THEN b.s - interval '2 days' END,
       least(b.s - interval '7 days', $3::timestamptz), least(b.s - interval '7 days', $3::timestamptz)
     FROM b CROSS JOIN LATERAL (SELECT CASE
       WHEN b.s < $3::timestamptz THEN CASE WHEN b.h = 0 THEN 'cancelled' WHEN b.h = 1 THEN 'no_show' ELSE 'completed' END
       ELSE CASE WHEN b.h < 2 THEN 'cancelled' WHEN b.h < 7 THEN 'pending_approval' ELSE 'confirmed' END
     END AS status) st`,
    [openDays.map((d) => d.toISOString()), JSON.stringify(DEFAULT_POLICY), o.now.toISOString()],
  );
  for (const i of indexes) await pool.query(i.def);
  for (const c of constraints) await pool.query(`ALTER TABLE bookings ADD CONSTRAINT ${c.name} ${c.def}`);
  await pool.query('ANALYZE');
  return {
    instruments: instruments.rows.map((r) => ({ id: r.id, units: r.unit_count })),
    tokens,
    openDays,
    bookings: inserted.rowCount ?? 0,
  };
}
