import { fail } from '@sveltejs/kit';
import type { FieldErrors, Problem } from '$lib/types';
import type { ProblemCode } from '$lib/ui/problem';

/**
 * problem+json → errors per form field. The API points at fields with JSON pointers
 * (`/organisation/creditCode`, `/rates/externalHour`, `/techniques/0`) or bare names (`nameZh`);
 * a form names its inputs after the innermost meaningful segment, so the deepest segment that is
 * one of the form's fields wins. Errors that fit no field, and problems without field errors, go
 * to `codeFields` (a problem code that belongs to one field, like `email_taken`) or are left for
 * the form-level message.
 */
export function fieldErrorsFromProblem(
  problem: Partial<Problem> | null | undefined,
  fields: readonly string[],
  codeFields: Partial<Record<ProblemCode, string>> = {},
): { fieldErrors: FieldErrors; unplaced: boolean } {
  const fieldErrors: FieldErrors = {};
  let unplaced = false;
  for (const e of problem?.errors ?? []) {
    const segments = e.path.split(/[/.]/).filter((s) => s !== '');
    const field = [...segments].reverse().find((s) => fields.includes(s));
    if (!field) {
      unplaced = true;
      continue;
    }
    fieldErrors[field] ??= { code: e.code, message: e.message };
  }
  const byCode = problem?.code ? codeFields[problem.code] : undefined;
  if (byCode && !fieldErrors[byCode]) fieldErrors[byCode] = { code: problem!.code!, message: problem!.detail ?? '' };
  if (!problem?.errors?.length && !byCode) unplaced = true;
  return { fieldErrors, unplaced };
}

export function formText(form: FormData, name: string): string {
  const v = form.get(name);
  return typeof v === 'string' ? v.trim() : '';
}

/** An empty field the API calls too short or badly formatted was simply left out: say so. */
export function preferRequired(fieldErrors: FieldErrors, values: Record<string, string>): FieldErrors {
  for (const [field, e] of Object.entries(fieldErrors)) {
    if (values[field] === '' && ['too_short', 'invalid_format', 'invalid_value', 'invalid_type'].includes(e.code)) {
      fieldErrors[field] = { code: 'required', message: e.message };
    }
  }
  return fieldErrors;
}

/**
 * An API refusal of a form → the action's failure (the API's own failure as 502) carrying what was
 * typed, the errors beside the fields they name, and the problem's code when some error fits no
 * field. `typed` is the form as text where `values` keeps some field otherwise (ticked ids).
 */
export function formRefused<V extends object>(
  values: V,
  error: unknown,
  status: number,
  fields: readonly string[],
  { codeFields, typed }: { codeFields?: Partial<Record<ProblemCode, string>>; typed?: Record<string, string> } = {},
) {
  const problem = error as Partial<Problem> | undefined;
  const { fieldErrors, unplaced } = fieldErrorsFromProblem(problem, fields, codeFields);
  return fail(status >= 500 ? 502 : status, {
    values,
    fieldErrors: preferRequired(fieldErrors, typed ?? (values as unknown as Record<string, string>)),
    code: unplaced ? (problem?.code ?? 'unknown') : null,
  });
}
