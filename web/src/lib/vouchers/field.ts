import type { TFunction } from 'i18next';
import type { FieldError } from '$lib/types';

/**
 * A field's error from a refused form (`form.errors[field]`, a code): the general words
 * (`validation.<code>`) or the voucher rule's (`vouchers.errors.<code>`).
 */
export function fieldError(t: TFunction, form: unknown, action: string, field: string): FieldError | undefined {
  const f = form as { action?: string; errors?: Record<string, string> } | null | undefined;
  if (!f || f.action !== action) return undefined;
  const code = f.errors?.[field];
  return code ? { code, message: t(`vouchers.errors.${code}`, { defaultValue: '' }) } : undefined;
}

/** What was typed into a refused form, to put back. */
export function typed(form: unknown, action: string): Record<string, string> {
  const f = form as { action?: string; values?: Record<string, string> } | null | undefined;
  return f && f.action === action ? (f.values ?? {}) : {};
}

/** A refused form's API problem (code and words), or nothing. */
export function refusal(form: unknown, action: string, rowId?: string): { code: string | null; detail: string | null } {
  const f = form as { action?: string; code?: string | null; detail?: string | null; id?: string } | null | undefined;
  if (!f || f.action !== action || (rowId !== undefined && f.id !== rowId)) return { code: null, detail: null };
  return { code: f.code ?? null, detail: f.detail ?? null };
}
