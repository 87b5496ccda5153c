import { randomBytes } from 'node:crypto';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import pg from 'pg';
import { createDb, migrationsFolder, type DbHandle } from '@qihub/db';
import { ADMIN_DATABASE_URL, DATABASE_PREFIX_ENV, databaseUrl, TEMPLATE_ENV } from './env.ts';

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
  const name = `${process.env[DATABASE_PREFIX_ENV] ?? `qihub_t_${process.ppid}_`}${randomBytes(4).toString('hex')}`;
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
    /**
     * Closes the file's connections. The database itself is dropped by the run's global teardown
     * (global-setup.ts drops every `qihub_t_<run>_…` at the end), not here: a DROP DATABASE forces
     * an immediate checkpoint (PostgreSQL 15), which flushes every dirty page of every database on
     * the server and stalls the other test files running at the same time. Nothing reads a test
     * database once its file is done with it.
     */
    async drop() {
      await handle.close();
    },
  };
}

/**
 * Migrates a database up to, not including, the migration whose tag ends with `tagSuffix` (so a
 * test can put old-shaped rows in and then run the rest with `runMigrations`). The suffix, not the
 * number, names the migration: numbers may change when branches are merged.
 */
export async function migrateBefore(db: DbHandle, tagSuffix: string): Promise<void> {
  const journal = JSON.parse(readFileSync(path.join(migrationsFolder, 'meta/_journal.json'), 'utf8')) as {
    entries: { tag: string }[];
  };
  const at = journal.entries.findIndex((e) => e.tag.endsWith(tagSuffix));
  if (at < 0) throw new Error(`no migration ending in ${tagSuffix}`);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'qihub-migrations-'));
  try {
    mkdirSync(path.join(dir, 'meta'));
    const before = journal.entries.slice(0, at);
    writeFileSync(path.join(dir, 'meta/_journal.json'), JSON.stringify({ ...journal, entries: before }));
    for (const e of before) copyFileSync(path.join(migrationsFolder, `${e.tag}.sql`), path.join(dir, `${e.tag}.sql`));
    await migrate(db.db, { migrationsFolder: dir });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
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
