import { badRequest } from './errors.ts';

/**
 * Opaque keyset cursors: the sort key and id of the last row, base64url JSON, tagged with the sort
 * so a cursor from one ordering cannot be replayed against another.
 */
export type CursorKey = string | number | null;

export function encodeCursor(sort: string, key: CursorKey, id: string): string {
  return Buffer.from(JSON.stringify([sort, key, id])).toString('base64url');
}

/** The SQL type of a sort key; a cursor's key must fit it, or the database would reject the cast. */
export type CursorKeyType = 'text' | 'int' | 'real' | 'timestamptz';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function keyFits(key: unknown, type: CursorKeyType | undefined): boolean {
  switch (type) {
    case undefined:
      return typeof key === 'string' || typeof key === 'number' || key === null;
    case 'text':
      return typeof key === 'string';
    case 'int':
      return Number.isSafeInteger(key) && Math.abs(key as number) <= 2_147_483_647;
    case 'real':
      return typeof key === 'number' && Number.isFinite(key);
    case 'timestamptz':
      return typeof key === 'string' && isTimestamp(key);
  }
}

/** ISO 8601 or PostgreSQL's text form ("2026-11-26 19:05:36.391+00"), and a real instant. */
function isTimestamp(text: string): boolean {
  const match = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}:\d{2}(?:\.\d{1,6})?)(Z|[+-]\d{2}(?::?\d{2})?)$/.exec(text);
  if (!match) return false;
  const zone =
    match[3] === 'Z' ? 'Z' : match[3]!.length === 3 ? `${match[3]}:00` : match[3]!.replace(/(\d{2})(\d{2})$/, '$1:$2');
  return !Number.isNaN(Date.parse(`${match[1]}T${match[2]}${zone}`));
}

export function decodeCursor(cursor: string, sort: string, keyType?: CursorKeyType): { key: CursorKey; id: string } {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (
      Array.isArray(parsed) &&
      parsed.length === 3 &&
      parsed[0] === sort &&
      keyFits(parsed[1], keyType) &&
      typeof parsed[2] === 'string' &&
      UUID.test(parsed[2])
    ) {
      return { key: parsed[1] as CursorKey, id: parsed[2] };
    }
  } catch {
    // fall through to the error below
  }
  throw invalidCursor();
}

/** 400 invalid_cursor: a cursor that is not this list's, or whose key does not fit its sort. */
export function invalidCursor() {
  return badRequest('invalid_cursor', 'The cursor is not valid for this list and sort order.', [
    { path: '/cursor', code: 'invalid_cursor', message: 'Start again from the first page.' },
  ]);
}
