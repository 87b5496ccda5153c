import { sql, type AnyColumn } from 'drizzle-orm';

/**
 * A timestamptz column as ISO 8601 text in UTC, to the microsecond: the key for a keyset over
 * instants that may be a microsecond apart, which a JavaScript Date would round away.
 */
export function exactInstant(column: AnyColumn) {
  return sql<string>`to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
}
