import { describe, expect, it } from 'vitest';
import { fieldErrorsFromProblem, preferRequired } from './problem';

const base = { type: 't', title: 'Bad Request', status: 400, detail: 'd' };

describe('fieldErrorsFromProblem', () => {
  it('puts JSON-pointer and bare paths on the innermost form field', () => {
    const { fieldErrors, unplaced } = fieldErrorsFromProblem(
      {
        ...base,
        code: 'validation_failed',
        errors: [
          { path: '/organisation/creditCode', code: 'invalid_credit_code', message: 'bad' },
          { path: 'email', code: 'invalid_format', message: 'bad email' },
          { path: '/techniques/0', code: 'too_long', message: 'long' },
        ],
      },
      ['email', 'creditCode', 'techniques'],
    );
    expect(fieldErrors).toEqual({
      creditCode: { code: 'invalid_credit_code', message: 'bad' },
      email: { code: 'invalid_format', message: 'bad email' },
      techniques: { code: 'too_long', message: 'long' },
    });
    expect(unplaced).toBe(false);
  });

  it('maps a field-specific problem code without an errors list to its field', () => {
    const { fieldErrors, unplaced } = fieldErrorsFromProblem({ ...base, status: 409, code: 'email_taken' }, ['email'], {
      email_taken: 'email',
    });
    expect(fieldErrors.email?.code).toBe('email_taken');
    expect(unplaced).toBe(false);
  });

  it('reports problems that belong to no field', () => {
    expect(fieldErrorsFromProblem({ ...base, status: 401, code: 'invalid_credentials' }, ['email']).unplaced).toBe(
      true,
    );
    expect(
      fieldErrorsFromProblem(
        { ...base, code: 'validation_failed', errors: [{ path: '/', code: 'invalid', message: 'm' }] },
        ['email'],
      ).unplaced,
    ).toBe(true);
  });
});

describe('preferRequired', () => {
  it('turns "too short" on an empty field into "required"', () => {
    const errors = preferRequired(
      { nameZh: { code: 'too_short', message: 'm' }, model: { code: 'too_long', message: 'm' } },
      { nameZh: '', model: '' },
    );
    expect(errors.nameZh?.code).toBe('required');
    expect(errors.model?.code).toBe('too_long');
  });
});
