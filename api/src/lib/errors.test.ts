/**
 * Tests lib/errors.ts and the pure Ajv → FieldError mapping in plugins/errors.ts (kept here because
 * this suite only adds files under src/lib, src/jobs and src/config.test.ts).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  AppError,
  badRequest,
  conflict,
  forbidden,
  notFound,
  unauthenticated,
  unprocessable,
  validationFailed,
  PROBLEM_CODES,
  type FieldError,
} from './errors.ts';
import { ProblemCode } from './schema.ts';
import { fieldErrorsFromValidation } from '../plugins/errors.ts';

type AjvLike = Parameters<typeof fieldErrorsFromValidation>[0][number];
const err = (instancePath: string, keyword: string, params: Record<string, unknown> = {}, message?: string): AjvLike =>
  message === undefined ? { instancePath, keyword, params } : { instancePath, keyword, params, message };
const pathsAndCodes = (errors: ReturnType<typeof fieldErrorsFromValidation>) => errors.map((e) => [e.path, e.code]);

describe('AppError helpers', () => {
  it.each([
    [badRequest('invalid_cursor', 'm'), 400, 'invalid_cursor'],
    [validationFailed([]), 400, 'validation_failed'],
    [unauthenticated(), 401, 'unauthenticated'],
    [forbidden(), 403, 'forbidden'],
    [notFound('lab'), 404, 'not_found'],
    [conflict('duplicate', 'm'), 409, 'duplicate'],
    [unprocessable('illegal_transition', 'm'), 422, 'illegal_transition'],
  ])('%#: status and code', (error, status, code) => {
    expect(error).toBeInstanceOf(AppError);
    expect(error).toBeInstanceOf(Error);
    expect(error.status).toBe(status);
    expect(error.code).toBe(code);
    expect(error.name).toBe('AppError');
  });

  it('carries field errors', () => {
    const fields: FieldError[] = [{ path: '/name', code: 'required', message: 'm' }];
    expect(validationFailed(fields).errors).toEqual(fields);
    expect(badRequest('invalid', 'm', fields).errors).toEqual(fields);
    expect(conflict('duplicate', 'm').errors).toBeUndefined();
  });
});

describe('PROBLEM_CODES', () => {
  it('lists each code once, in snake_case', () => {
    expect(new Set(PROBLEM_CODES).size).toBe(PROBLEM_CODES.length);
    for (const code of PROBLEM_CODES) expect(code).toMatch(/^[a-z]+(_[a-z0-9]+)*$/);
  });

  it('is exactly what the Problem schema and the OpenAPI document the web is generated from list', () => {
    expect(ProblemCode.enum).toEqual(PROBLEM_CODES);
    const committed = new URL('../../../web/src/lib/api/openapi.json', import.meta.url);
    const doc = JSON.parse(readFileSync(committed, 'utf8')) as {
      components: { schemas: Record<string, { enum?: unknown; properties?: Record<string, { $ref?: string }> }> };
    };
    expect(doc.components.schemas.ProblemCode?.enum).toEqual(PROBLEM_CODES);
    expect(doc.components.schemas.Problem?.properties?.code?.$ref).toBe('#/components/schemas/ProblemCode');
    expect(doc.components.schemas.FieldError?.properties?.code?.$ref).toBe('#/components/schemas/ProblemCode');
  });
});

describe('fieldErrorsFromValidation', () => {
  it('required → path to the missing property, code "required"', () => {
    const out = fieldErrorsFromValidation([err('/x', 'required', { missingProperty: 'missingProp' }, 'm')], 'body');
    expect(pathsAndCodes(out)).toEqual([['/x/missingProp', 'required']]);
  });

  it('required at the root → "/prop"', () => {
    const out = fieldErrorsFromValidation([err('', 'required', { missingProperty: 'name' })], 'body');
    expect(pathsAndCodes(out)).toEqual([['/name', 'required']]);
  });

  it('additionalProperties → path to the extra property, code "unknown_field"', () => {
    const out = fieldErrorsFromValidation(
      [err('/org', 'additionalProperties', { additionalProperty: 'hack' })],
      'body',
    );
    expect(pathsAndCodes(out)).toEqual([['/org/hack', 'unknown_field']]);
  });

  it('type → "invalid_type"; an empty path becomes "/"', () => {
    const out = fieldErrorsFromValidation([err('/age', 'type', { type: 'integer' }), err('', 'type', {})], 'body');
    expect(pathsAndCodes(out)).toEqual([
      ['/age', 'invalid_type'],
      ['/', 'invalid_type'],
    ]);
  });

  it.each([
    ['format', 'invalid_format'],
    ['pattern', 'invalid_format'],
    ['minLength', 'too_short'],
    ['maxLength', 'too_long'],
    ['minimum', 'too_small'],
    ['exclusiveMinimum', 'too_small'],
    ['maximum', 'too_large'],
    ['exclusiveMaximum', 'too_large'],
    ['minItems', 'too_few'],
    ['maxItems', 'too_many'],
    ['enum', 'invalid_value'],
    ['const', 'invalid_value'],
    ['anyOf', 'invalid_value'],
    ['uniqueItems', 'duplicate'],
    ['propertyNames', 'invalid'], // unmapped keyword
    ['oneOf', 'invalid'],
  ])('keyword %s → code %s', (keyword, code) => {
    expect(pathsAndCodes(fieldErrorsFromValidation([err('/f', keyword)], 'body'))).toEqual([['/f', code]]);
  });

  it('required/additionalProperties without a string param keep the instance path', () => {
    const out = fieldErrorsFromValidation(
      [err('/a', 'required', {}), err('/b', 'additionalProperties', { additionalProperty: 3 })],
      'body',
    );
    expect(pathsAndCodes(out)).toEqual([
      ['/a', 'required'],
      ['/b', 'unknown_field'],
    ]);
  });

  it('collapses the const errors of a union (plus its anyOf) to one per path', () => {
    const out = fieldErrorsFromValidation(
      [
        err('/status', 'const', { allowedValue: 'draft' }),
        err('/status', 'const', { allowedValue: 'published' }),
        err('/status', 'const', { allowedValue: 'archived' }),
        err('/status', 'anyOf', {}),
        err('/kind', 'const', { allowedValue: 'a' }),
        err('/kind', 'const', { allowedValue: 'b' }),
      ],
      'body',
    );
    expect(pathsAndCodes(out)).toEqual([
      ['/status', 'invalid_value'],
      ['/kind', 'invalid_value'],
    ]);
  });

  it('keeps different problems at the same path, and the same problem at different paths', () => {
    const out = fieldErrorsFromValidation(
      [
        err('/name', 'minLength'),
        err('/name', 'pattern'),
        err('/name', 'minLength'), // exact duplicate
        err('', 'required', { missingProperty: 'a' }),
        err('', 'required', { missingProperty: 'b' }),
      ],
      'body',
    );
    expect(pathsAndCodes(out)).toEqual([
      ['/name', 'too_short'],
      ['/name', 'invalid_format'],
      ['/a', 'required'],
      ['/b', 'required'],
    ]);
  });

  it('prefixes messages with the request part except for the body', () => {
    const [q] = fieldErrorsFromValidation([err('/page', 'minimum', {}, 'must be >= 1')], 'querystring');
    const [b] = fieldErrorsFromValidation([err('/page', 'minimum', {}, 'must be >= 1')], 'body');
    const [n] = fieldErrorsFromValidation([err('/page', 'minimum', {}, 'must be >= 1')], undefined);
    expect(q!.message.startsWith('querystring')).toBe(true);
    expect(b!.message.startsWith('body')).toBe(false);
    expect(n!.message.length).toBeGreaterThan(0);
  });

  // BUG (plugins/errors.ts:59): the dedupe key folds const/anyOf into "value" but leaves enum as
  // "invalid_value", so a union mixing an enum branch with const branches reports the same
  // (path, code) twice: [{/status, invalid_value}, {/status, invalid_value}].
  it('enum + const errors at one path collapse to a single invalid_value', () => {
    const out = fieldErrorsFromValidation(
      [err('/status', 'enum', { allowedValues: ['a', 'b'] }), err('/status', 'const', { allowedValue: 'c' })],
      'body',
    );
    expect(pathsAndCodes(out)).toEqual([['/status', 'invalid_value']]);
  });

  it('returns nothing for no errors', () => {
    expect(fieldErrorsFromValidation([], 'body')).toEqual([]);
  });

  it('property: output never has two entries with the same path and code, and every path is a JSON pointer', () => {
    // 'enum' is left out: see the BUG test below.
    const keyword = fc.constantFrom('required', 'additionalProperties', 'type', 'const', 'anyOf', 'minimum', 'pattern');
    const segment = fc.constantFrom('a', 'b', '0');
    const errorArb = fc
      .record({
        instancePath: fc.array(segment, { maxLength: 3 }).map((s) => s.map((x) => `/${x}`).join('')),
        keyword,
        prop: segment,
      })
      .map(({ instancePath, keyword: k, prop }) =>
        err(instancePath, k, k === 'required' ? { missingProperty: prop } : { additionalProperty: prop }),
      );
    fc.assert(
      fc.property(fc.array(errorArb, { maxLength: 30 }), (errors) => {
        const out = fieldErrorsFromValidation(errors, 'body');
        const keys = out.map((e) => `${e.path}|${e.code}`);
        expect(new Set(keys).size).toBe(keys.length);
        for (const e of out) expect(e.path).toMatch(/^\//);
        // Nothing is lost: every distinct (path, code) of the input appears in the output.
        const expected = new Set(
          errors.map((e) => {
            const [only] = fieldErrorsFromValidation([e], 'body');
            return `${only!.path}|${only!.code}`;
          }),
        );
        expect(new Set(keys)).toEqual(expected);
      }),
    );
  });
});
