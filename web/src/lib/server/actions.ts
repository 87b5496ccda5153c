import { fail, redirect } from '@sveltejs/kit';
import type { Me, Membership, Problem } from '$lib/types';

/**
 * Shared by the wider-catalogue pages (events, calibration, technical assistance, service
 * officer): who may see what, and how a refused API call reaches the form that made it.
 */

/** Signed-in people only: anyone else goes to login and comes back. */
export function requireSignedIn(locals: App.Locals, url: URL): Me {
  if (!locals.user) redirect(303, `/login?redirect=${encodeURIComponent(url.pathname + url.search)}`);
  return locals.user;
}

export function enterpriseMemberships(user: Me | null): Membership[] {
  return (user?.memberships ?? []).filter((m) => m.orgKind === 'enterprise');
}

/** The problem code of a refused call, or a generic one by status. */
export function qiProblemCode(problem: unknown, status: number): string {
  const code = (problem as Partial<Problem> | undefined)?.code;
  if (code) return code;
  if (status === 401) return 'unauthorized';
  if (status === 403) return 'forbidden';
  if (status === 404) return 'not_found';
  return status >= 500 ? 'api_error' : 'unknown';
}

/**
 * A refused call → the action's failure: which form, the problem code, the API's own words (the
 * fallback when the page has no message for the code) and anything the form needs back.
 */
export function refusedQi<E extends Record<string, unknown> = Record<never, never>>(
  action: string,
  problem: unknown,
  status: number,
  extra: E = {} as E,
) {
  const p = problem as Partial<Problem> | undefined;
  const detail = p?.errors?.length ? p.errors.map((e) => `${e.path}: ${e.message}`).join('; ') : (p?.detail ?? null);
  return fail(status >= 500 || status < 400 ? 502 : status, {
    action,
    code: qiProblemCode(problem, status),
    detail: detail as string | null,
    ...extra,
  });
}

/** A form the page itself refuses before asking the API. */
export function invalidQi<E extends Record<string, unknown> = Record<never, never>>(
  action: string,
  code: string,
  extra: E = {} as E,
) {
  return fail(400, { action, code, detail: null as string | null, ...extra });
}

export function text(form: FormData, name: string): string {
  const v = form.get(name);
  return typeof v === 'string' ? v.trim() : '';
}

/** A whole number from a form field, or null. */
export function wholeNumber(form: FormData, name: string): number | null {
  const raw = text(form, name);
  if (!/^\d{1,6}$/.test(raw)) return null;
  return Number(raw);
}

/** After a successful action: back to `path` with a flash message key. */
export function done(path: string, flash: string): never {
  redirect(303, `${path}${path.includes('?') ? '&' : '?'}flash=${flash}`);
}

/** The shape of the ids the API hands out; a form field that is not one is refused before the call. */
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
