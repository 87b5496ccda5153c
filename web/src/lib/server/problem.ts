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
