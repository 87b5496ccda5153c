import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { decodeCursor, encodeCursor, type CursorKey } from './cursor.ts';
import { AppError } from './errors.ts';

const ID = '0b6f0c1e-8a5e-4a0c-9f3e-2d6c1b7a9e10';

function expectInvalidCursor(fn: () => unknown) {
  let caught: unknown;
  try {
    fn();
  } catch (e) {
    caught = e;
  }
  expect(caught).toBeInstanceOf(AppError);
  const err = caught as AppError;
  expect(err.status).toBe(400);
  expect(err.code).toBe('invalid_cursor');
  expect(err.errors?.map((e) => [e.path, e.code])).toEqual([['/cursor', 'invalid_cursor']]);
}

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

// JSON cannot carry -0, NaN or ±Infinity, so the round trip is only promised for JSON-safe keys.
const keyArb: fc.Arbitrary<CursorKey> = fc.oneof(
  fc.string(),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }).map((d) => (Object.is(d, -0) ? 0 : d)),
  fc.constant(null),
);

describe('encodeCursor / decodeCursor', () => {
  it.each<CursorKey>(['2024-05-01T00:00:00.000Z', 42, 0, -1.5, null, '', '名称 ünïcode'])(
    'round-trips the key %j',
    (key) => {
      const cursor = encodeCursor('createdAt', key, ID);
      expect(decodeCursor(cursor, 'createdAt')).toEqual({ key, id: ID });
    },
  );

  it('produces URL-safe text', () => {
    fc.assert(
      fc.property(fc.string(), keyArb, fc.uuid(), (sort, key, id) => {
        expect(encodeCursor(sort, key, id)).toMatch(/^[A-Za-z0-9_-]*$/);
      }),
    );
  });

  it('property: decode(encode(sort, key, id), sort) returns key and id', () => {
    fc.assert(
      fc.property(fc.string(), keyArb, fc.uuid(), (sort, key, id) => {
        expect(decodeCursor(encodeCursor(sort, key, id), sort)).toEqual({ key, id });
      }),
    );
  });

  it('accepts upper-case UUIDs', () => {
    const id = ID.toUpperCase();
    expect(decodeCursor(encodeCursor('name', 'x', id), 'name')).toEqual({ key: 'x', id });
  });

  it('rejects a cursor issued for another sort order', () => {
    const cursor = encodeCursor('createdAt', '2024-05-01', ID);
    expectInvalidCursor(() => decodeCursor(cursor, 'name'));
    expectInvalidCursor(() => decodeCursor(cursor, 'createdat'));
  });

  it('property: a cursor never decodes under a different sort', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), keyArb, fc.uuid(), (sort, other, key, id) => {
        fc.pre(sort !== other);
        expectInvalidCursor(() => decodeCursor(encodeCursor(sort, key, id), other));
      }),
    );
  });

  it.each([
    ['empty string', ''],
    ['not base64 JSON', 'garbage!!'],
    ['plain base64 text', Buffer.from('hello').toString('base64url')],
    ['JSON object', b64({ sort: 'name', key: 'a', id: ID })],
    ['too short array', b64(['name', 'a'])],
    ['too long array', b64(['name', 'a', ID, 'extra'])],
    ['object key', b64(['name', { a: 1 }, ID])],
    ['boolean key', b64(['name', true, ID])],
    ['array key', b64(['name', ['a'], ID])],
    ['numeric id', b64(['name', 'a', 12])],
    ['non-uuid id', b64(['name', 'a', 'not-a-uuid'])],
    ['id with SQL', b64(['name', 'a', `${ID.slice(0, 30)}' OR 1`])],
    ['JSON null', b64(null)],
  ])('rejects %s', (_label, cursor) => {
    expectInvalidCursor(() => decodeCursor(cursor, 'name'));
  });

  it('property: arbitrary strings either fail with invalid_cursor or decode to a well-formed value', () => {
    fc.assert(
      fc.property(fc.string(), (garbage) => {
        try {
          const { key, id } = decodeCursor(garbage, 'name');
          expect(id).toMatch(/^[0-9a-f-]{36}$/i);
          expect(key === null || typeof key === 'string' || typeof key === 'number').toBe(true);
        } catch (e) {
          expect(e).toBeInstanceOf(AppError);
          expect((e as AppError).code).toBe('invalid_cursor');
        }
      }),
    );
  });

  it('property: arbitrary JSON payloads never decode unless they have the exact shape', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const shaped =
          Array.isArray(value) &&
          value.length === 3 &&
          value[0] === 'name' &&
          typeof value[2] === 'string' &&
          /^[0-9a-f-]{36}$/i.test(value[2]);
        fc.pre(!shaped);
        expectInvalidCursor(() => decodeCursor(b64(value), 'name'));
      }),
    );
  });
});
