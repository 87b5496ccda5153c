import type { FieldError } from '$lib/types';

/** aria-describedby for an input whose hint and error are rendered by <Field>. */
export function describedBy(id: string, parts: { hint?: boolean; error?: FieldError }): string | undefined {
  const ids = [parts.hint ? `${id}-hint` : '', parts.error ? `${id}-error` : ''].filter(Boolean);
  return ids.length ? ids.join(' ') : undefined;
}

/** After a refused submission, take the person to the first field that needs attention. */
export function focusFirstInvalid(form: HTMLFormElement): void {
  const field = form.querySelector<HTMLElement>('[aria-invalid="true"]');
  if (field) {
    field.focus();
    field.scrollIntoView({ block: 'center' });
  }
}
