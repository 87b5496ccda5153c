import path from 'node:path';
import { fileURLToPath } from 'node:url';
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
