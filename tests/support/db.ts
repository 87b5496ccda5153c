import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { createDb, type DbHandle } from '@qihub/db';
import { ADMIN_DATABASE_URL, databaseUrl, TEMPLATE_ENV } from './env.ts';

export interface TestDatabase extends DbHandle {
  name: string;
  url: string;
  drop(): Promise<void>;
}

async function admin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: ADMIN_DATABASE_URL });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/**
 * A fresh database for one test file: a clone of the seeded template, or empty. `settings` are
 * PostgreSQL parameters for every session on it (ALTER DATABASE … SET), e.g. a plan cache mode.
 */
export async function createTestDatabase(
  options: { empty?: boolean; settings?: Record<string, string> } = {},
): Promise<TestDatabase> {
  const template = process.env[TEMPLATE_ENV];
  if (!options.empty && !template) throw new Error('global setup did not create the template database');
  const name = `qihub_t_${process.ppid}_${randomBytes(4).toString('hex')}`;
  await admin(async (c) => {
    await c.query(options.empty ? `CREATE DATABASE ${name}` : `CREATE DATABASE ${name} TEMPLATE ${template}`);
    for (const [key, value] of Object.entries(options.settings ?? {})) {
      await c.query(`ALTER DATABASE ${name} SET ${pg.escapeIdentifier(key)} = ${pg.escapeLiteral(value)}`);
    }
  });
  const url = databaseUrl(name);
  const handle = createDb(url, { max: 5 });
  return {
    ...handle,
    name,
    url,
    async drop() {
      await handle.close();
      await admin((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    },
  };
}

/** Row count of a table, for "nothing was written" assertions. */
export async function countRows(db: DbHandle, table: string): Promise<number> {
  const { rows } = await db.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`);
  return rows[0]!.n;
}

/** A digest of every table's content, to prove an operation changed nothing at all (one round trip). */
export async function databaseDigest(db: DbHandle, tables: string[]): Promise<Record<string, string>> {
  if (tables.length === 0) return {};
  const parts = tables.map(
    (t, i) => `(SELECT md5(coalesce(string_agg(x::text, '|' ORDER BY x::text), '')) FROM ${t} x) AS d${i}`,
  );
  const { rows } = await db.pool.query<Record<string, string | null>>(`SELECT ${parts.join(', ')}`);
  return Object.fromEntries(tables.map((t, i) => [t, rows[0]![`d${i}`] ?? '']));
}

/** Every table of the public schema, for digests of the whole database. */
export async function allTables(db: DbHandle): Promise<string[]> {
  const { rows } = await db.pool.query<{ t: string }>(
    "SELECT tablename AS t FROM pg_tables WHERE schemaname = 'public' ORDER BY 1",
  );
  return rows.map((r) => r.t);
}

export const CATALOGUE_TABLES = [
  'organisations',
  'users',
  'memberships',
  'sessions',
  'api_tokens',
  'sites',
  'lab_qualifications',
  'lab_qualification_scope_items',
  'instrument_categories',
  'instruments',
  'instrument_units',
  'services',
  'service_instruments',
  'outbox',
  'audit_log',
  'regions',
  'notifications',
];
