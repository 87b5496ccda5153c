import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, buildTestApp, expectProblem, login, testClock } from '../support/app.ts';
import { createTestDatabase, databaseDigest, type TestDatabase } from '../support/db.ts';
import { orgOf, USERS } from '../support/scenario.ts';

/**
 * Well-typed but wrong values — a reversed or empty range, an instant in 1970 or 9999, zero and
 * negative durations, counts at 0, −1 and 2^31, ids of the right shape that name nothing — are
 * refused as 4xx problems by the rules before anything reaches the database, and change nothing.
 */

/** Every table of the public schema, for "nothing changed at all". */
async function allTables(db: TestDatabase): Promise<string[]> {
  const { rows } = await db.pool.query<{ t: string }>(
    "SELECT tablename AS t FROM pg_tables WHERE schemaname = 'public' ORDER BY 1",
  );
  return rows.map((r) => r.t);
}

describe('a freshly started API', () => {
  let db: TestDatabase;
  afterAll(async () => {
    await db?.drop();
  });

  it('answers a booking whose end is before its start with 422 duration, and writes nothing', async () => {
    // A new database and a new app: the booking's prepared statements have never run, which is when
    // PostgreSQL plans them with the actual values (a warm server may hide a range built too early).
    db = await createTestDatabase();
    const app = await buildTestApp(db, { clock: testClock() });
    try {
      const token = await login(app, USERS.sme);
      const labId = await orgOf(db, USERS.lab);
      const { rows } = await db.pool.query<{ id: string }>(
        `SELECT id FROM instruments WHERE lab_id = $1 AND status = 'active' AND external_rate_hour IS NOT NULL
         ORDER BY name_zh LIMIT 1`,
        [labId],
      );
      const tables = await allTables(db);
      const before = await databaseDigest(db, tables);
      for (const [start, end] of [
        ['2026-12-01T03:00:00Z', '2026-12-01T02:00:00Z'],
        ['2026-12-01T02:00:00Z', '2026-12-01T02:00:00Z'],
      ]) {
        const res = await app.inject({
          method: 'POST',
          url: '/v1/bookings',
          headers: bearer(token),
          payload: { instrumentId: rows[0]!.id, start, end, mode: 'self' },
        });
        expectProblem(res, 422, 'duration');
      }
      expect(await databaseDigest(db, tables)).toEqual(before);
    } finally {
      await app.close();
    }
  });
});
