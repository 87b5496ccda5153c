import { randomBytes } from 'node:crypto';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb, type DbHandle } from '@qihub/db';
import { runWaitlistSweep } from '@qihub/api/modules/bookings/waitlist';
import { membersOf } from '@qihub/api/lib/notify';
import { LAB_ORDER_MANAGERS } from '@qihub/api/modules/orders/access';
import { sendRecallReminders } from '@qihub/api/modules/calibration/jobs';
import { closeObjectionWindows, expireQuotes, sendDueAlerts } from '@qihub/api/modules/orders/jobs';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';
import { aSingleUnitInstrument } from '../support/booking-jobs.ts';
import { orgOf, USERS } from '../support/scenario.ts';

/**
 * The sweeps read and change rows in bounded batches and loop until nothing is left: with more
 * due rows than one batch, every row is handled, once, and no statement of the sweep reads or
 * changes more rows than one batch. The sweeps run on a connection pool that records the largest
 * result of any statement.
 */
const BATCH = 10;
const ROWS = 25;
const NOW = new Date('2026-11-26T02:00:00Z'); // Thursday 10:00 in Shanghai

let t: TestDatabase;
let sweepDb: DbHandle & { largest(): number; reset(): void };
let labId: string;
let smeOrg: string;
let smeUser: string;
/** Who an order notice goes to: every member of the customer; the lab's managers and staff. */
let customerMembers: number;
let labManagers: number;

/** A pool whose every statement's result size (rows read or changed) is recorded. */
function countingDb(url: string) {
  const handle = createDb(url, { max: 3 });
  let largest = 0;
  handle.pool.on('connect', (client: pg.PoolClient) => {
    const query = client.query.bind(client) as (...args: unknown[]) => unknown;
    const record = (r: pg.QueryResult | undefined) => {
      if (r && !Array.isArray(r)) largest = Math.max(largest, r.rowCount ?? 0, r.rows?.length ?? 0);
    };
    // Both call forms: with a callback (how pool.query calls it) and returning a promise.
    (client as unknown as { query: (...args: unknown[]) => unknown }).query = (...args: unknown[]) => {
      const last = args[args.length - 1];
      if (typeof last === 'function') {
        return query(...args.slice(0, -1), (err: unknown, r: pg.QueryResult | undefined) => {
          if (!err) record(r);
          (last as (e: unknown, r: unknown) => void)(err, r);
        });
      }
      const result = query(...args);
      if (result && typeof (result as Promise<unknown>).then === 'function') {
        (result as Promise<pg.QueryResult | undefined>).then(record, () => undefined);
      }
      return result;
    };
  });
  return { ...handle, largest: () => largest, reset: () => void (largest = 0) };
}

beforeAll(async () => {
  t = await createTestDatabase();
  sweepDb = countingDb(t.url);
  labId = await orgOf(t, USERS.lab);
  smeOrg = await orgOf(t, USERS.sme);
  const { rows } = await t.pool.query<{ id: string }>('SELECT id FROM users WHERE email = $1', [USERS.sme]);
  smeUser = rows[0]!.id;
  customerMembers = (await membersOf(sweepDb.db, smeOrg)).length;
  labManagers = (await membersOf(sweepDb.db, labId, { roles: LAB_ORDER_MANAGERS })).length;
  expect(customerMembers).toBeGreaterThan(0);
  expect(labManagers).toBeGreaterThan(0);
});
afterAll(async () => {
  await sweepDb?.close();
  await t?.drop();
});

/** `count` orders of sme@'s enterprise with lab@, with the given status and columns; returns their ids. */
async function orders(count: number, status: string, set: Record<string, unknown>): Promise<string[]> {
  const columns = Object.keys(set);
  const { rows } = await t.pool.query<{ id: string }>(
    `INSERT INTO orders (number, customer_org_id, lab_id, requested_by, status, title_zh${columns.map((c) => `, ${c}`).join('')})
     SELECT 'QB' || upper(substr(md5(random()::text), 1, 10)), $1, $2, $3, $4, '盐雾试验'${columns.map((_, i) => `, $${i + 5}`).join('')}
     FROM generate_series(1, ${count}) RETURNING id`,
    [smeOrg, labId, smeUser, status, ...Object.values(set)],
  );
  return rows.map((r) => r.id);
}

async function statusCounts(ids: string[], table = 'orders'): Promise<Record<string, number>> {
  const { rows } = await t.pool.query<{ status: string; n: number }>(
    `SELECT status::text, count(*)::int AS n FROM ${table} WHERE id = ANY($1) GROUP BY status`,
    [ids],
  );
  return Object.fromEntries(rows.map((r) => [r.status, r.n]));
}

/** How many notifications each order got of `kind` (one per recipient: order:<id>:<kind>:<user>), by order. */
async function notesPerOrder(ids: string[], kind: string): Promise<number[]> {
  const { rows } = await t.pool.query<{ n: number }>(
    `SELECT (SELECT count(DISTINCT n.dedupe_key)::int FROM notifications n WHERE n.dedupe_key LIKE 'order:' || o.id || ':' || $2 || '%') AS n
     FROM unnest($1::uuid[]) AS o(id)`,
    [ids, kind],
  );
  return rows.map((r) => r.n);
}

describe('order sweeps in batches', () => {
  it('expires every lapsed quote, a batch at a time', async () => {
    const lapsed = await orders(ROWS, 'quoted', { quote_valid_until: '2026-11-20' });
    const valid = await orders(3, 'quoted', { quote_valid_until: '2026-11-30' });
    sweepDb.reset();
    expect(await expireQuotes(sweepDb.db, NOW, BATCH)).toBe(ROWS);
    expect(sweepDb.largest()).toBeLessThanOrEqual(BATCH);
    expect(await statusCounts(lapsed)).toEqual({ expired: ROWS });
    expect(await statusCounts(valid)).toEqual({ quoted: 3 });
    expect(await notesPerOrder(lapsed, 'order_quote_expired')).toEqual(Array(ROWS).fill(customerMembers));
    expect(await expireQuotes(sweepDb.db, NOW, BATCH)).toBe(0);
  });

  it('closes every order whose objection window passed, a batch at a time', async () => {
    const due = await orders(ROWS, 'report_issued', { objection_until: '2026-11-25T00:00:00Z' });
    const open = await orders(2, 'report_issued', { objection_until: '2026-12-10T00:00:00Z' });
    sweepDb.reset();
    expect(await closeObjectionWindows(sweepDb.db, NOW, BATCH)).toBe(ROWS);
    expect(sweepDb.largest()).toBeLessThanOrEqual(BATCH);
    expect(await statusCounts(due)).toEqual({ closed: ROWS });
    expect(await statusCounts(open)).toEqual({ report_issued: 2 });
  });

  it('sends every due reminder and overdue alert once, a batch at a time, and reads no order due far ahead', async () => {
    const overdue = await orders(ROWS, 'in_progress', { due_at: '2026-11-25T09:00:00Z' });
    // Due on Friday: reminded from Thursday, the working day before.
    const soon = await orders(ROWS, 'in_progress', { due_at: '2026-11-27T09:00:00Z' });
    const later = await orders(ROWS * 2, 'in_progress', { due_at: '2027-03-01T09:00:00Z' });
    sweepDb.reset();
    expect(await sendDueAlerts(sweepDb.db, NOW, BATCH)).toEqual({ reminders: ROWS, overdue: ROWS });
    expect(sweepDb.largest()).toBeLessThanOrEqual(BATCH);
    expect(await notesPerOrder(overdue, 'order_overdue')).toEqual(Array(ROWS).fill(labManagers));
    expect(await notesPerOrder(soon, 'order_due_soon')).toEqual(Array(ROWS).fill(labManagers));
    expect(await notesPerOrder(later, 'order_')).toEqual(Array(ROWS * 2).fill(0));
    expect(await sendDueAlerts(sweepDb.db, NOW, BATCH)).toEqual({ reminders: 0, overdue: 0 });
  });
});

describe('the waitlist sweep in batches', () => {
  it('expires past entries, offers every freed time and ends every lapsed offer, a batch at a time', async () => {
    const sem = await aSingleUnitInstrument(t, labId, 0);
    const entries = async (starts: string[]) => {
      const { rows } = await t.pool.query<{ id: string }>(
        `INSERT INTO waitlist_entries (instrument_id, lab_id, user_id, customer_org_id, starts_at, ends_at, mode, created_at)
         SELECT $1, $2, $3, $4, s::timestamptz, s::timestamptz + interval '1 hour', 'self', $5::timestamptz - interval '1 day'
         FROM unnest($6::text[]) AS s RETURNING id`,
        [sem.id, labId, smeUser, smeOrg, NOW.toISOString(), starts],
      );
      return rows.map((r) => r.id);
    };
    const hours = (from: string, n: number, stepHours: number) =>
      Array.from({ length: n }, (_, i) => new Date(Date.parse(from) + i * stepHours * 3_600_000).toISOString());
    const past = await entries(hours('2026-11-20T02:00:00Z', ROWS, 2));
    // Free times a week ahead, two hours apart.
    const free = await entries(hours('2026-12-03T00:00:00Z', ROWS, 2));

    sweepDb.reset();
    const first = await runWaitlistSweep(sweepDb.db, NOW, BATCH);
    expect(sweepDb.largest()).toBeLessThanOrEqual(BATCH);
    expect(first.expired.sort()).toEqual([...past].sort());
    expect(first.offered.sort()).toEqual([...free].sort());
    expect(await statusCounts(past, 'waitlist_entries')).toEqual({ expired: ROWS });
    expect(await statusCounts(free, 'waitlist_entries')).toEqual({ offered: ROWS });

    // Nobody confirms: 31 minutes on, every offer has lapsed and its hold expires.
    sweepDb.reset();
    const second = await runWaitlistSweep(sweepDb.db, new Date(NOW.getTime() + 31 * 60_000), BATCH);
    expect(sweepDb.largest()).toBeLessThanOrEqual(BATCH);
    expect(second.expired.sort()).toEqual([...free].sort());
    expect(second.offered).toEqual([]);
    const { rows } = await t.pool.query<{ status: string; n: number }>(
      `SELECT b.status::text, count(*)::int AS n FROM waitlist_entries w JOIN bookings b ON b.id = w.offered_booking_id
       WHERE w.id = ANY($1) GROUP BY b.status`,
      [free],
    );
    expect(rows).toEqual([{ status: 'expired', n: ROWS }]);
  });
});

describe('calibration recall reminders in batches', () => {
  it('reminds every record coming due, a batch at a time', async () => {
    await t.pool.query('UPDATE calibration_records SET recall_reminded_at = $1', [NOW]);
    const serial = `SN-${randomBytes(3).toString('hex')}`;
    const { rows } = await t.pool.query<{ id: string }>(
      `INSERT INTO calibration_records (customer_org_id, lab_id, instrument_name, serial_number, calibrated_on, next_due_on)
       SELECT $1, $2, '压力表', $3 || '-' || n, '2025-12-10', '2026-12-10' FROM generate_series(1, ${ROWS}) AS n RETURNING id`,
      [smeOrg, labId, serial],
    );
    sweepDb.reset();
    expect(await sendRecallReminders(sweepDb.db, NOW, BATCH)).toBe(ROWS);
    expect(sweepDb.largest()).toBeLessThanOrEqual(BATCH);
    const { rows: notes } = await t.pool.query<{ n: number }>(
      `SELECT count(DISTINCT dedupe_key)::int AS n FROM notifications WHERE dedupe_key LIKE 'calibration-recall:%'
       AND split_part(dedupe_key, ':', 2) = ANY($1)`,
      [rows.map((r) => r.id)],
    );
    expect(notes[0]!.n).toBe(ROWS);
    expect(await sendRecallReminders(sweepDb.db, NOW, BATCH)).toBe(0);
  });
});
