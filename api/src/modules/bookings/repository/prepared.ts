import { fillPlaceholders, getTableColumns, sql, type SQL } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import pg from 'pg';
import { bookings, type Booking, type Db } from '@qihub/db';

/** Placeholders: the hot statements are rendered once and only their parameters change. */
export const P = new Proxy({} as Record<string, ReturnType<typeof sql.placeholder>>, {
  get: (_, name: string) => sql.placeholder(name),
});

/** Memoises a builder (the statements above are rendered on first use). */
export function once<T>(build: () => T): () => T {
  let value: T | undefined;
  return () => (value ??= build());
}

/** The bookings table's columns, to read a raw booking row exactly as drizzle's own queries do. */
const bookingColumns = Object.entries(getTableColumns(bookings));

export function bookingFromRow(row: Record<string, unknown>): Booking {
  const out: Record<string, unknown> = {};
  for (const [key, column] of bookingColumns) {
    const value = row[column.name];
    out[key] = value === null || value === undefined ? null : column.mapFromDriverValue(value);
  }
  return out as Booking;
}

export const dialect = new PgDialect();

/** What drizzle's own queries do: timestamps, dates and intervals (and their arrays) stay strings. */
const RAW_TYPES = new Set([1184, 1114, 1082, 1186, 1231, 1115, 1185, 1187, 1182]);
export const rawTimestamps = {
  getTypeParser: ((typeId: number, format?: 'text' | 'binary') =>
    RAW_TYPES.has(typeId)
      ? (value: string) => value
      : pg.types.getTypeParser(typeId, format)) as typeof pg.types.getTypeParser,
};

/**
 * Runs a hot statement (its text is fixed; only parameters vary) as a named prepared statement on
 * the pool: PostgreSQL then parses and plans it once per connection instead of on every request,
 * which for the booking path's wide statements costs more than running them. Outside transactions
 * only (a transaction's queries must go through its own connection).
 */
export async function preparedQuery<T>(
  db: Db,
  name: string,
  query: SQL,
  values: Record<string, unknown>,
): Promise<T[]> {
  const rendered = (renderedQueries.get(query) ?? renderedQueries.set(query, dialect.sqlToQuery(query)).get(query))!;
  const result = await db.$client.query({
    name,
    text: rendered.sql,
    values: fillPlaceholders(rendered.params, values),
    types: rawTimestamps,
  });
  return result.rows as T[];
}

const renderedQueries = new WeakMap<SQL, { sql: string; params: unknown[] }>();
