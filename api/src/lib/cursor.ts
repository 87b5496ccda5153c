import { badRequest } from './errors.ts';

/**
 * Opaque keyset cursors: the sort key and id of the last row, base64url JSON, tagged with the sort
 * so a cursor from one ordering cannot be replayed against another.
 */
export type CursorKey = string | number | null;

export function encodeCursor(sort: string, key: CursorKey, id: string): string {
  return Buffer.from(JSON.stringify([sort, key, id])).toString('base64url');
}

export function decodeCursor(cursor: string, sort: string): { key: CursorKey; id: string } {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (
      Array.isArray(parsed) &&
      parsed.length === 3 &&
      parsed[0] === sort &&
      (typeof parsed[1] === 'string' || typeof parsed[1] === 'number' || parsed[1] === null) &&
      typeof parsed[2] === 'string' &&
      /^[0-9a-f-]{36}$/i.test(parsed[2])
    ) {
      return { key: parsed[1] as CursorKey, id: parsed[2] };
    }
  } catch {
    // fall through to the error below
  }
  throw badRequest('invalid_cursor', 'The cursor is not valid for this list and sort order.', [
    { path: '/cursor', code: 'invalid_cursor', message: 'Start again from the first page.' },
  ]);
}
