import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { readMigrationFiles } from 'drizzle-orm/migrator';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import type { Db } from './client.ts';

export const migrationsFolder = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../migrations');

/** An arbitrary constant naming QIHub's migration lock among PostgreSQL advisory locks. */
const MIGRATION_LOCK = 4_711_202_611;

/**
 * Applies pending migrations; safe to run on every start (drizzle records what it applied) and
 * from several replicas at once: a session-level advisory lock lets one migrate while the others
 * wait, then find nothing left to do.
 */
export async function runMigrations(db: Db): Promise<void> {
  const client = await db.$client.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    await migrate(db, { migrationsFolder });
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => undefined);
    client.release();
  }
}

/**
 * How many of this code's migrations the database has not applied yet (all of them on an empty
 * database). Drizzle records each applied migration with its journal time; what is newer is pending.
 */
export async function pendingMigrations(db: Db): Promise<{ pending: number; total: number }> {
  const files = readMigrationFiles({ migrationsFolder });
  let last: number | null;
  try {
    const { rows } = await db.$client.query<{ last: string | null }>(
      'SELECT max(created_at)::text AS last FROM drizzle.__drizzle_migrations',
    );
    last = rows[0]?.last == null ? null : Number(rows[0].last);
  } catch (error) {
    // No schema "drizzle" (3F000) or no table yet (42P01): nothing is applied.
    const code = (error as { code?: string }).code;
    if (code !== '42P01' && code !== '3F000') throw error;
    last = null;
  }
  return { pending: files.filter((f) => last === null || last < f.folderMillis).length, total: files.length };
}

/**
 * Waits until every migration this code knows is applied (by the API, which migrates at start, or
 * by `pnpm db:migrate`), saying so in the log: a process that only uses the schema, such as the
 * worker, starts on an empty or older database without failing on tables that are not there yet.
 */
export async function waitForSchema(
  db: Db,
  log: (message: string) => void,
  options: { pollMs?: number; repeatLogMs?: number } = {},
): Promise<void> {
  const pollMs = options.pollMs ?? 1000;
  const repeatLogMs = options.repeatLogMs ?? 30_000;
  let loggedAt = 0;
  let waited = false;
  for (;;) {
    const { pending, total } = await pendingMigrations(db);
    if (pending === 0) {
      if (waited) log('the database schema is up to date; starting');
      return;
    }
    if (Date.now() - loggedAt >= repeatLogMs) {
      log(
        `waiting for the database schema: ${pending} of ${total} migrations are not applied yet ` +
          '(the API applies them when it starts, or run `pnpm db:migrate`)',
      );
      loggedAt = Date.now();
    }
    waited = true;
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}
