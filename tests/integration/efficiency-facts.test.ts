import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
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
 * The efficiency facts (order_efficiency_facts, one row per order) are kept by triggers in the same
 * transaction as the change. After any mix of orders requested, stamped (quoted, clock started,
 * report issued, on time, re-tested, cancelled) and deleted, quotes on the timeline added, moved and
 * removed, lines added, withdrawn and deleted, objections raised and decided, ratings given, changed
 * and removed — some of it rolled back — they equal what the rebuild computes from the records, and
 * a change is in the evaluation as soon as it commits.
 */
const t = useSeededApp({ clock: testClock() });
const q = async <T>(text: string, params: unknown[] = []) => (await t.db.pool.query(text, params)).rows as T[];

let user: string;
let lab: string;
let customers: string[];
/** Seeded orders (never deleted here) and the ones this test requested (deletable). */
let seeded: string[];
let slot = 0;

const FACTS = `SELECT f.*::text FROM order_efficiency_facts f ORDER BY order_id`;

const instant = inFirstHalf2027;
const MINUTES = FIRST_HALF_2027_MINUTES;
const KINDS = ['commissioned_test', 'calibration', 'instrument_time', 'outsourced_experiment'] as const;
const STATUSES = ['requested', 'quoted', 'in_progress', 'report_issued', 'closed', 'cancelled'] as const;

type Op =
  | { op: 'request'; customer: number; at: number }
  | { op: 'deleteOrder'; pick: number }
  | {
      op: 'stamp';
      order: number;
      status: (typeof STATUSES)[number];
      quoted: number | null;
      started: number | null;
      issued: number | null;
      onTime: boolean | null;
      retests: number;
    }
  | { op: 'quoteEvent'; order: number; at: number; action: 'order.quoted' | 'order.accepted' }
  | { op: 'moveEvent'; pick: number; at: number }
  | { op: 'deleteEvent'; pick: number }
  | { op: 'addLine'; order: number; kind: (typeof KINDS)[number]; first: boolean }
  | { op: 'withdrawLine'; pick: number; withdrawn: boolean }
  | { op: 'deleteLine'; pick: number }
  | { op: 'object'; order: number; status: 'open' | 'upheld' | 'dismissed' }
  | { op: 'decideObjection'; pick: number; status: 'open' | 'upheld' | 'dismissed' }
  | { op: 'rate'; order: number; score: number; at: number }
  | { op: 'unrate'; pick: number };

const objection = fc.constantFrom('open' as const, 'upheld' as const, 'dismissed' as const);
const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ op: fc.constant('request' as const), customer: fc.nat(4), at: fc.nat(MINUTES) }),
  fc.record({ op: fc.constant('deleteOrder' as const), pick: fc.nat() }),
  fc.record({
    op: fc.constant('stamp' as const),
    order: fc.nat(),
    status: fc.constantFrom(...STATUSES),
    quoted: fc.option(fc.nat(MINUTES)),
    started: fc.option(fc.nat(MINUTES)),
    issued: fc.option(fc.nat(MINUTES)),
    onTime: fc.option(fc.boolean()),
    retests: fc.nat(2),
  }),
  fc.record({
    op: fc.constant('quoteEvent' as const),
    order: fc.nat(),
    at: fc.nat(MINUTES),
    action: fc.constantFrom('order.quoted' as const, 'order.accepted' as const),
  }),
  fc.record({ op: fc.constant('moveEvent' as const), pick: fc.nat(), at: fc.nat(MINUTES) }),
  fc.record({ op: fc.constant('deleteEvent' as const), pick: fc.nat() }),
  fc.record({
    op: fc.constant('addLine' as const),
    order: fc.nat(),
    kind: fc.constantFrom(...KINDS),
    first: fc.boolean(),
  }),
  fc.record({ op: fc.constant('withdrawLine' as const), pick: fc.nat(), withdrawn: fc.boolean() }),
  fc.record({ op: fc.constant('deleteLine' as const), pick: fc.nat() }),
  fc.record({ op: fc.constant('object' as const), order: fc.nat(), status: objection }),
  fc.record({ op: fc.constant('decideObjection' as const), pick: fc.nat(), status: objection }),
  fc.record({
    op: fc.constant('rate' as const),
    order: fc.nat(),
    score: fc.integer({ min: 1, max: 5 }),
    at: fc.nat(MINUTES),
  }),
  fc.record({ op: fc.constant('unrate' as const), pick: fc.nat() }),
);

type Client = Queryable;

/** The orders in play: the seeded ones and those requested here (in the transaction's view). */
async function ordersOf(client: Client) {
  const { rows } = await client.query<{ id: string }>(
    `SELECT id FROM orders WHERE id = ANY($1::uuid[]) OR number LIKE 'EFF-%' ORDER BY id`,
    [seeded],
  );
  return rows.map((r) => r.id);
}
async function orderAt(n: number, client: Client) {
  const all = await ordersOf(client);
  return all[n % all.length]!;
}
async function pick(from: string, n: number, client: Client) {
  const { rows } = await client.query<{ id: string }>(
    `SELECT x.id::text AS id FROM ${from} x
      WHERE x.order_id IN (SELECT id FROM orders WHERE id = ANY($1::uuid[]) OR number LIKE 'EFF-%') ORDER BY x.id`,
    [seeded],
  );
  return rows.length === 0 ? null : rows[n % rows.length]!.id;
}

async function apply(o: Op, client: Client) {
  switch (o.op) {
    case 'request':
      await client.query(
        `INSERT INTO orders (number, customer_org_id, lab_id, requested_by, status, title_zh, subtotal_fen, total_fen, created_at)
         VALUES ($1, $2, $3, $4, 'requested', '效能测试委托', 50000, 50000, $5)`,
        [
          `EFF-${slot++}-${Math.floor(Math.random() * 1e9)}`,
          customers[o.customer % customers.length],
          lab,
          user,
          instant(o.at),
        ],
      );
      return;
    case 'deleteOrder': {
      const { rows } = await client.query<{ id: string }>(
        `SELECT id FROM orders WHERE number LIKE 'EFF-%' ORDER BY id`,
      );
      if (rows.length > 0) await client.query(`DELETE FROM orders WHERE id = $1`, [rows[o.pick % rows.length]!.id]);
      return;
    }
    case 'stamp':
      await client.query(
        `UPDATE orders SET status = $2::order_status, quoted_at = $3, clock_started_at = $4, report_issued_at = $5,
           on_time = $6, retest_count = $7, cancelled_at = CASE WHEN $2 = 'cancelled' THEN $3::timestamptz END
         WHERE id = $1`,
        [
          await orderAt(o.order, client),
          o.status,
          o.quoted === null ? null : instant(o.quoted),
          o.started === null ? null : instant(o.started),
          o.issued === null ? null : instant(o.issued),
          o.onTime,
          o.retests,
        ],
      );
      return;
    case 'quoteEvent':
      await client.query(
        `INSERT INTO order_events (order_id, at, actor_side, action, from_status, to_status)
         VALUES ($1, $2, 'lab', $3, 'requested', 'quoted')`,
        [await orderAt(o.order, client), instant(o.at), o.action],
      );
      return;
    case 'moveEvent': {
      const id = await pick('order_events', o.pick, client);
      if (id) await client.query(`UPDATE order_events SET at = $2 WHERE id = $1`, [id, instant(o.at)]);
      return;
    }
    case 'deleteEvent': {
      const id = await pick('order_events', o.pick, client);
      if (id) await client.query(`DELETE FROM order_events WHERE id = $1`, [id]);
      return;
    }
    case 'addLine': {
      // A new first line (before all others) or a new last one.
      const order = await orderAt(o.order, client);
      await client.query(
        `INSERT INTO order_lines (order_id, position, kind, description_zh)
         SELECT $1, CASE WHEN $3 THEN coalesce(min(position), 1) - 1 ELSE coalesce(max(position), 0) + 1 END,
                $2::service_kind, '效能测试'
           FROM order_lines WHERE order_id = $1`,
        [order, o.kind, o.first],
      );
      return;
    }
    case 'withdrawLine': {
      const id = await pick('order_lines', o.pick, client);
      if (id)
        await client.query(`UPDATE order_lines SET removed_at = $2 WHERE id = $1`, [
          id,
          o.withdrawn ? instant(0) : null,
        ]);
      return;
    }
    case 'deleteLine': {
      const id = await pick('order_lines', o.pick, client);
      if (id) await client.query(`DELETE FROM order_lines WHERE id = $1`, [id]);
      return;
    }
    case 'object':
      await client.query(
        `INSERT INTO order_objections (order_id, raised_by, reason, status) VALUES ($1, $2, '结论有误', $3::objection_status)`,
        [await orderAt(o.order, client), user, o.status],
      );
      return;
    case 'decideObjection': {
      const id = await pick('order_objections', o.pick, client);
      if (id)
        await client.query(`UPDATE order_objections SET status = $2::objection_status WHERE id = $1`, [id, o.status]);
      return;
    }
    case 'rate':
      await client.query(
        `INSERT INTO order_ratings (order_id, lab_id, score, rated_by, rated_at)
         SELECT id, lab_id, $2, $3, $4 FROM orders WHERE id = $1
         ON CONFLICT (order_id) DO UPDATE SET score = excluded.score, rated_at = excluded.rated_at`,
        [await orderAt(o.order, client), o.score, user, instant(o.at)],
      );
      return;
    case 'unrate': {
      const { rows } = await client.query<{ id: string }>(
        `SELECT order_id AS id FROM order_ratings WHERE order_id IN (SELECT id FROM orders WHERE id = ANY($1::uuid[]) OR number LIKE 'EFF-%') ORDER BY order_id`,
        [seeded],
      );
      if (rows.length > 0)
        await client.query(`DELETE FROM order_ratings WHERE order_id = $1`, [rows[o.pick % rows.length]!.id]);
      return;
    }
  }
}

const FACTS_TABLE: KeptTable<Op> = { read: FACTS, rebuild: 'rebuild_order_efficiency_facts()', apply };

beforeAll(async () => {
  user = await userIdOf(t.db, USERS.lab);
  seeded = (
    await q<{ id: string }>(
      `SELECT o.id FROM orders o JOIN organisations l ON l.id = o.lab_id WHERE l.region_code LIKE '32%' ORDER BY o.id LIMIT 6`,
    )
  ).map((r) => r.id);
  lab = (await q<{ lab_id: string }>(`SELECT lab_id FROM orders WHERE id = $1`, [seeded[0]]))[0]!.lab_id;
  customers = (
    await q<{ id: string }>(
      `SELECT id FROM organisations WHERE kind = 'enterprise' AND region_code LIKE '32%' ORDER BY id LIMIT 4`,
    )
  ).map((r) => r.id);
  expect(seeded.length).toBeGreaterThan(1);
  expect(customers.length).toBeGreaterThan(1);
});

describe('efficiency facts', () => {
  it('start equal to the records (the migration built them), one row per order', async () => {
    const kept = await expectAsRebuilt(t.db, FACTS_TABLE);
    expect(kept.length).toBe(Number((await q<{ n: string }>(`SELECT count(*) AS n FROM orders`))[0]!.n));
  });

  it('equal the rebuild from the records after any mix of changes, committed or rolled back', async () => {
    await expectKeptThroughAnyMix(t, FACTS_TABLE, opArb, { maxOps: 5, numRuns: 30 });
  });

  it('count a rating given a moment ago in the evaluation', async () => {
    const admin = await login(t.app, USERS.admin);
    const evaluation = async () => {
      const res = await t.app.inject({
        method: 'GET',
        url: '/v1/admin/efficiency?from=2027-03-01&to=2027-03-31',
        headers: bearer(admin),
      });
      expect(res.statusCode).toBe(200);
      return res.json() as { overall: { ratings: number; ordersRequested: number } };
    };
    const before = await evaluation();
    // The order this request makes, told apart from those the property made before it (which may
    // carry later stamps, and ratings of their own).
    const ids = async () =>
      new Set((await q<{ id: string }>(`SELECT id FROM orders WHERE number LIKE 'EFF-%'`)).map((r) => r.id));
    const known = await ids();
    await apply({ op: 'request', customer: 1, at: (31 + 28 + 3) * 24 * 60 }, t.db.pool);
    const made = [...(await ids())].filter((id) => !known.has(id));
    expect(made).toHaveLength(1);
    const order = { id: made[0]! };
    await t.db.pool.query(
      `INSERT INTO order_ratings (order_id, lab_id, score, rated_by, rated_at) SELECT id, lab_id, 4, $2, $3 FROM orders WHERE id = $1`,
      [order.id, user, instant((31 + 28 + 5) * 24 * 60)],
    );
    const after = await evaluation();
    expect(after.overall.ordersRequested).toBe(before.overall.ordersRequested + 1);
    expect(after.overall.ratings).toBe(before.overall.ratings + 1);
  });
});
