import fc from 'fast-check';
import { expect } from 'vitest';
import type { TestDatabase } from './db.ts';

/**
 * Summary tables kept by triggers in the same transaction as the change (efficiency facts,
 * statistics rollups) and checked against the SQL function that rebuilds them from the records.
 */

/** What an op of a property runs its SQL on: a pooled client inside a transaction, or the pool. */
export type Queryable = { query: TestDatabase['pool']['query'] };

/** Somewhere in January–June 2027, China time: `minutes` (0 to FIRST_HALF_2027_MINUTES) after it began. */
export const inFirstHalf2027 = (minutes: number) =>
  new Date(Date.parse('2026-12-31T16:00:00Z') + minutes * 60_000).toISOString();
export const FIRST_HALF_2027_MINUTES = 181 * 24 * 60;

export interface KeptTable<Op> {
  /** The rows the triggers keep, in a fixed order. */
  read: string;
  /** The SQL function that rebuilds them from the records (`rebuild_…()`). */
  rebuild: string;
  /** One change to the records. */
  apply: (op: Op, client: Queryable) => Promise<void>;
}

/** The kept rows equal what the rebuild makes of the records now; returns them. */
export async function expectAsRebuilt(db: TestDatabase, table: Pick<KeptTable<unknown>, 'read' | 'rebuild'>) {
  const kept = (await db.pool.query(table.read)).rows;
  await db.pool.query(`SELECT ${table.rebuild}`);
  expect((await db.pool.query(table.read)).rows).toEqual(kept);
  return kept;
}

/**
 * The property: after any mix of changes (up to `maxOps` to a transaction, each transaction
 * committed or rolled back) the kept rows equal the rebuild.
 */
export function expectKeptThroughAnyMix<Op>(
  t: { db: TestDatabase },
  table: KeptTable<Op>,
  opArb: fc.Arbitrary<Op>,
  options: { maxOps: number; numRuns: number },
) {
  return fc.assert(
    fc.asyncProperty(
      fc.array(fc.tuple(fc.array(opArb, { minLength: 1, maxLength: options.maxOps }), fc.boolean()), {
        maxLength: 6,
      }),
      async (txs) => {
        for (const [ops, commit] of txs) {
          const client = await t.db.pool.connect();
          try {
            await client.query('BEGIN');
            for (const o of ops) await table.apply(o, client);
            await client.query(commit ? 'COMMIT' : 'ROLLBACK');
          } catch (e) {
            await client.query('ROLLBACK');
            throw e;
          } finally {
            client.release();
          }
        }
        await expectAsRebuilt(t.db, table);
      },
    ),
    { numRuns: options.numRuns },
  );
}
