import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { statisticsFigures, type FigureRow } from '@qihub/api/modules/statistics/repository';
import { validPeriod } from '@qihub/api/modules/statistics/service';
import { bearer, login, testClock, useSeededApp } from '../support/app.ts';
import { USERS, userIdOf } from '../factories/index.ts';
import {
  expectAsRebuilt,
  expectKeptThroughAnyMix,
  FIRST_HALF_2027_MINUTES,
  inFirstHalf2027,
  type KeptTable,
  type Queryable,
} from '../support/kept-by-triggers.ts';

/**
 * The statistics rollups (stat_enterprise_months, stat_instrument_months, and the two derived from
 * the first: stat_region_months, stat_enterprise_years) are kept by triggers in the same transaction
 * as the change they count. After any mix of bookings checked out, moved, cancelled and deleted,
 * reports issued, replaced and withdrawn, orders completed and reopened, enterprises moved to
 * another district — some of it rolled back, some of it at once — they equal what the rebuild
 * computes from the records; the figures of any period read through them equal the same period
 * read from the records alone; and a change is in the figures as soon as it commits.
 */
const t = useSeededApp({ clock: testClock() });
const q = async <T>(text: string, params: unknown[] = []) => (await t.db.pool.query(text, params)).rows as T[];

let user: string;
let unit: { instrumentId: string; unitId: string; labId: string };
let customers: string[];
let orders: string[];
let districts: string[];
let slot = 0;

const ROLLUPS = `
  SELECT 'e' AS t, month::text, enterprise_id::text AS id, kind, service_times::text AS a, reports_issued::text AS b,
         orders_completed::text AS c, list_value_fen::text AS d, charged_listed_fen::text AS e, '' AS f
    FROM stat_enterprise_months
   WHERE (service_times, reports_issued, orders_completed, list_value_fen, charged_listed_fen) <> (0, 0, 0, 0, 0)
  UNION ALL
  SELECT 'i', month::text, instrument_id::text || lab_id::text, '', machine_seconds::numeric(20, 3)::text,
         external_seconds::numeric(20, 3)::text, external_uses::text, '', '', ''
    FROM stat_instrument_months
   WHERE (machine_seconds, external_seconds, external_uses) <> (0, 0, 0)
  UNION ALL
  SELECT 'r', month::text, region_code, kind, service_times::text, reports_issued::text, orders_completed::text,
         list_value_fen::text, charged_listed_fen::text, ''
    FROM stat_region_months
   WHERE (service_times, reports_issued, orders_completed, list_value_fen, charged_listed_fen) <> (0, 0, 0, 0, 0)
  UNION ALL
  SELECT 'y', year::text, enterprise_id::text, '', service_times::text, '', '', '', '', ''
    FROM stat_enterprise_years
   WHERE service_times <> array_fill(0, ARRAY[12])
  ORDER BY 1, 2, 3, 4`;

const instant = inFirstHalf2027;
const MINUTES = FIRST_HALF_2027_MINUTES;

type Op =
  | {
      op: 'book';
      customer: number;
      status: 'completed' | 'cancelled' | 'confirmed';
      at: number;
      used: number;
      order: number | null;
    }
  | { op: 'moveBooking'; pick: number; at: number }
  | { op: 'cancelBooking'; pick: number }
  | { op: 'deleteBooking'; pick: number }
  | { op: 'issueReport'; order: number; at: number; replaces: boolean }
  | { op: 'withdrawReport'; pick: number }
  | { op: 'revokeReport'; pick: number }
  | { op: 'completeOrder'; order: number; at: number | null }
  | { op: 'moveEnterprise'; customer: number; district: number };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({
    op: fc.constant('book' as const),
    customer: fc.nat(5),
    status: fc.constantFrom('completed' as const, 'cancelled' as const, 'confirmed' as const),
    at: fc.nat(MINUTES),
    used: fc.integer({ min: 10, max: 180 }),
    order: fc.option(fc.nat(5), { freq: 4 }),
  }),
  fc.record({ op: fc.constant('moveBooking' as const), pick: fc.nat(), at: fc.nat(MINUTES) }),
  fc.record({ op: fc.constant('cancelBooking' as const), pick: fc.nat() }),
  fc.record({ op: fc.constant('deleteBooking' as const), pick: fc.nat() }),
  fc.record({ op: fc.constant('issueReport' as const), order: fc.nat(5), at: fc.nat(MINUTES), replaces: fc.boolean() }),
  fc.record({ op: fc.constant('withdrawReport' as const), pick: fc.nat() }),
  fc.record({ op: fc.constant('revokeReport' as const), pick: fc.nat() }),
  fc.record({ op: fc.constant('completeOrder' as const), order: fc.nat(5), at: fc.option(fc.nat(MINUTES)) }),
  fc.record({ op: fc.constant('moveEnterprise' as const), customer: fc.nat(5), district: fc.nat(3) }),
);

async function pick(table: 'bookings' | 'reports', n: number, client: { query: typeof t.db.pool.query }) {
  const where = table === 'bookings' ? `unit_id = $1` : `order_id = ANY($1::uuid[])`;
  const { rows } = await client.query<{ id: string }>(`SELECT id FROM ${table} WHERE ${where} ORDER BY id`, [
    table === 'bookings' ? unit.unitId : orders,
  ]);
  return rows.length === 0 ? null : rows[n % rows.length]!.id;
}

async function apply(o: Op, client: Queryable) {
  switch (o.op) {
    case 'book': {
      // Each booking its own three hours on the unit (the exclusion constraint allows no overlap).
      const start = new Date(Date.parse('2026-12-01T00:00:00Z') + slot++ * 3 * 3_600_000).toISOString();
      const end = new Date(Date.parse(start) + 2 * 3_600_000).toISOString();
      const actualStart = instant(o.at);
      const done = o.status === 'completed';
      await client.query(
        `INSERT INTO bookings (instrument_id, unit_id, lab_id, customer_org_id, user_id, mode, status, starts_at, ends_at,
           occupied, rate_tier, price_amount, policy, hourly_rate, actual_start, actual_end, billable_minutes,
           billed_amount, order_id)
         VALUES ($1, $2, $3, $4, $5, 'self', $6::booking_status, $7, $8, tstzrange($7::timestamptz, $8::timestamptz),
           'external', 40000, '{}'::jsonb, 20000, $9::timestamptz, $9::timestamptz + $10 * interval '1 minute',
           $11, $12, $13)`,
        [
          unit.instrumentId,
          unit.unitId,
          unit.labId,
          o.customer === 0 ? unit.labId : customers[o.customer % customers.length],
          user,
          o.status,
          start,
          end,
          done ? actualStart : null,
          o.used,
          done ? o.used : null,
          done ? 20000 - o.used : null,
          o.order === null ? null : orders[o.order % orders.length],
        ],
      );
      return;
    }
    case 'moveBooking': {
      const id = await pick('bookings', o.pick, client);
      if (id)
        await client.query(
          `UPDATE bookings SET status = 'completed', actual_start = $2, actual_end = $2::timestamptz + interval '95 minutes',
             billable_minutes = 95, billed_amount = 30000 WHERE id = $1`,
          [id, instant(o.at)],
        );
      return;
    }
    case 'cancelBooking': {
      const id = await pick('bookings', o.pick, client);
      if (id) await client.query(`UPDATE bookings SET status = 'cancelled' WHERE id = $1`, [id]);
      return;
    }
    case 'deleteBooking': {
      const id = await pick('bookings', o.pick, client);
      if (id) await client.query(`DELETE FROM bookings WHERE id = $1`, [id]);
      return;
    }
    case 'issueReport': {
      const orderId = orders[o.order % orders.length]!;
      const replaces = o.replaces
        ? ((
            await client.query<{ id: string }>(
              // As the product does: an issued or revoked report not replaced yet.
              `SELECT id FROM reports p WHERE order_id = $1 AND issued_at IS NOT NULL AND status IN ('issued', 'revoked')
                 AND NOT EXISTS (SELECT 1 FROM reports x WHERE x.replaces_report_id = p.id) ORDER BY id LIMIT 1`,
              [orderId],
            )
          ).rows[0]?.id ?? null)
        : null;
      const n = `${slot++}${Math.floor(Math.random() * 1e9)}`;
      await client.query(
        `INSERT INTO reports (order_id, lab_id, number, status, verification_code, issued_at, replaces_report_id)
         SELECT id, lab_id, $2, 'issued', $3, $4, $5 FROM orders WHERE id = $1`,
        [orderId, `ROLL-2027-${n}`, `ROLL${n}`, instant(o.at), replaces],
      );
      // An issued report is replaced by its replacement; a revoked one stays revoked.
      if (replaces)
        await client.query(`UPDATE reports SET status = 'replaced' WHERE id = $1 AND status = 'issued'`, [replaces]);
      return;
    }
    case 'revokeReport': {
      const id = await pick('reports', o.pick, client);
      if (id)
        await client.query(
          `UPDATE reports SET status = 'revoked', revoked_at = issued_at + interval '1 day', revoke_reason = '复核发现错误'
            WHERE id = $1 AND status = 'issued'`,
          [id],
        );
      return;
    }
    case 'withdrawReport': {
      const id = await pick('reports', o.pick, client);
      if (id)
        await client.query(
          `UPDATE reports SET issued_at = NULL, status = 'draft', number = NULL WHERE id = $1 AND NOT EXISTS (SELECT 1 FROM reports r WHERE r.replaces_report_id = $1)`,
          [id],
        );
      return;
    }
    case 'completeOrder':
      await client.query(`UPDATE orders SET report_issued_at = $2 WHERE id = $1`, [
        orders[o.order % orders.length],
        o.at === null ? null : instant(o.at),
      ]);
      return;
    case 'moveEnterprise':
      await client.query(`UPDATE organisations SET region_code = $2 WHERE id = $1`, [
        customers[o.customer % customers.length],
        districts[o.district % districts.length],
      ]);
      return;
  }
}

const ROLLUPS_TABLE: KeptTable<Op> = { read: ROLLUPS, rebuild: 'rebuild_statistics_rollups()', apply };

beforeAll(async () => {
  user = await userIdOf(t.db, USERS.lab);
  unit = (
    await q<typeof unit>(
      `SELECT i.id AS "instrumentId", u.id AS "unitId", i.lab_id AS "labId"
       FROM instruments i JOIN instrument_units u ON u.instrument_id = i.id
       JOIN organisations l ON l.id = i.lab_id
      WHERE i.external_rate_hour IS NOT NULL AND l.region_code LIKE '32%'
      ORDER BY i.id, u.id LIMIT 1`,
    )
  )[0]!;
  customers = (
    await q<{ id: string }>(
      `SELECT id FROM organisations WHERE kind = 'enterprise' AND region_code LIKE '32%' ORDER BY id LIMIT 5`,
    )
  ).map((r) => r.id);
  orders = (
    await q<{ id: string }>(
      `SELECT o.id FROM orders o WHERE EXISTS (SELECT 1 FROM order_lines l WHERE l.order_id = o.id) ORDER BY o.id LIMIT 6`,
    )
  ).map((r) => r.id);
  // Districts of two cities of the province, for enterprises to move between.
  districts = (
    await q<{ code: string }>(
      `(SELECT code FROM regions WHERE level = 'station' AND code LIKE '3205%' ORDER BY code LIMIT 2)
       UNION ALL (SELECT code FROM regions WHERE level = 'station' AND code LIKE '32%' AND code NOT LIKE '3205%'
                  ORDER BY code LIMIT 2)`,
    )
  ).map((r) => r.code);
  expect(districts).toHaveLength(4);
  expect(unit).toBeDefined();
  expect(customers.length).toBeGreaterThan(1);
  expect(orders.length).toBeGreaterThan(1);
});

describe('statistics rollups', () => {
  it('start equal to the records (the migration built them)', async () => {
    await expectAsRebuilt(t.db, ROLLUPS_TABLE);
  });

  it('equal the rebuild from the records after any mix of changes, committed or rolled back', async () => {
    await expectKeptThroughAnyMix(t, ROLLUPS_TABLE, opArb, { maxOps: 4, numRuns: 25 });
  });

  it('equal the rebuild after bookings checked out while their enterprise moves district, at once', async () => {
    // Eight transactions at once on one enterprise: six check out a booking, two move it to another
    // district; each holds its work open a moment so they overlap. No count may stay in a district
    // the enterprise has left, and none may be lost.
    const customer = 2;
    const ops: Op[][] = [
      ...Array.from({ length: 6 }, (_, k): Op[] => [
        { op: 'book', customer, status: 'completed', at: 5_000 + k * 10_000, used: 60 + k, order: null },
      ]),
      [{ op: 'moveEnterprise', customer, district: 0 }],
      [{ op: 'moveEnterprise', customer, district: 2 }],
    ];
    const results = await Promise.allSettled(
      ops.map(async (tx) => {
        const client = await t.db.pool.connect();
        try {
          await client.query('BEGIN');
          for (const o of tx) await apply(o, client);
          await client.query('SELECT pg_sleep(0.05)');
          await client.query('COMMIT');
        } catch (e) {
          await client.query('ROLLBACK');
          throw e;
        } finally {
          client.release();
        }
      }),
    );
    expect(results.filter((r) => r.status === 'rejected')).toEqual([]);
    await expectAsRebuilt(t.db, ROLLUPS_TABLE);
  });

  it('give the figures of any period, through them, equal to the same period read from the records alone', async () => {
    // The same query twice: once as the service runs it (whole months from the rollups, the days at
    // the edges from the records), once told the period has no whole month (all of it from the
    // records). Periods from mid-November 2026 to August 2027 cross a year and split months anywhere.
    const day = (n: number) => new Date(Date.parse('2026-11-15T00:00:00Z') + n * 86_400_000).toISOString().slice(0, 10);
    const sorted = (rows: FigureRow[]) =>
      rows
        .map((r) => JSON.stringify(r, Object.keys(r).sort()))
        .sort()
        .map((r) => JSON.parse(r) as FigureRow);
    await fc.assert(
      fc.asyncProperty(
        fc.nat(260),
        fc.nat(260),
        fc.constantFrom(
          { prefix: '32', subDigits: 4 as const },
          { prefix: '3205', subDigits: 6 as const },
          { prefix: districts[0]!, subDigits: null },
        ),
        fc.array(opArb, { maxLength: 3 }),
        async (a, length, region, ops) => {
          for (const o of ops) await apply(o, t.db.pool);
          const [fromDate, toDate] = [day(a), day(a + Math.min(length, 260 - a))];
          const period = validPeriod(fromDate, toDate);
          const w = { ...region, ...period, fromDate, toDate, now: new Date('2027-09-01T00:00:00Z') };
          const noWholeMonth = {
            ...w,
            fullFromAt: period.toAt,
            fullToAt: period.toAt,
            fullFromMonth: toDate,
            fullToMonth: toDate,
          };
          const [rollups, records] = [
            await statisticsFigures(t.db.db, w),
            await statisticsFigures(t.db.db, noWholeMonth),
          ];
          expect(rollups.length).toBeGreaterThan(0);
          expect(sorted(rollups)).toEqual(sorted(records));
        },
      ),
      { numRuns: 30 },
    );
  });

  it('count a booking checked out a moment ago in the figures of its whole month', async () => {
    const admin = await login(t.app, USERS.admin);
    const figures = async () => {
      const res = await t.app.inject({
        method: 'GET',
        url: '/v1/admin/statistics?from=2027-03-01&to=2027-03-31',
        headers: bearer(admin),
      });
      expect(res.statusCode).toBe(200);
      return res.json() as { serviceTimes: number; byKind: Record<string, number>; sharedMachineHours: number };
    };
    const before = await figures();
    await apply(
      { op: 'book', customer: 1, status: 'completed', at: Math.round((31 + 28 + 10) * 24 * 60), used: 90, order: null },
      t.db.pool,
    );
    const after = await figures();
    expect(after.serviceTimes).toBe(before.serviceTimes + 1);
    expect(after.byKind.instrument_time).toBe(before.byKind.instrument_time! + 1);
    expect(after.sharedMachineHours).toBeCloseTo(before.sharedMachineHours + 1.5, 2);
  });
});
