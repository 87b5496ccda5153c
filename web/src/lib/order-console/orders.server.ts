import { error, fail, type Cookies } from '@sveltejs/kit';
import { apiBaseUrl, need, type Api } from '$lib/server/api';
import { SESSION_COOKIE } from '$lib/server/session';
import { problemCode } from '$lib/lab-console/console.server';
import { fieldErrorsFromProblem } from '$lib/server/problem';
import { fileHeaders } from '$lib/server/files';
import type { OrderStatus } from '$lib/order-console/queue';
import type { OrderListItem } from '$lib/order-console/types';
import type { FieldErrors, Problem } from '$lib/types';

/** The lab's orders in some statuses: one call per status (the API filters one at a time), latest 100 each. */
export async function labOrdersIn(api: Api, labId: string, statuses: readonly OrderStatus[]) {
  const pages = await Promise.all(
    statuses.map((status) =>
      need(api.GET('/v1/orders', { params: { query: { as: 'lab', labId, status, limit: 100 } } })),
    ),
  );
  const items: OrderListItem[] = pages.flatMap((p) => p.items);
  return { items, truncated: pages.some((p) => p.nextCursor !== null) };
}

/**
 * A refused API call of an order form → the action's failure: the problem code for the notice,
 * and the API's field errors placed beside the form's own fields when they name one.
 */
export function orderRefusal(
  action: string,
  problem: unknown,
  status: number,
  extra: { fields?: readonly string[]; values?: Record<string, string>; target?: string } = {},
) {
  const { fieldErrors, unplaced } = fieldErrorsFromProblem(problem as Partial<Problem> | undefined, extra.fields ?? []);
  return fail(status >= 500 ? 502 : status, {
    action,
    target: extra.target ?? null,
    code: unplaced || Object.keys(fieldErrors).length === 0 ? problemCode(problem, status) : null,
    values: extra.values ?? {},
    fieldErrors: fieldErrors as FieldErrors,
  });
}

/** A form the page refused before calling the API: errors beside the fields. */
export function formInvalid(
  action: string,
  values: Record<string, string>,
  fieldErrors: FieldErrors,
  target: string | null = null,
) {
  return fail(400, { action, target, code: null as string | null, values, fieldErrors });
}

export function done(action: string, target: string | null = null) {
  return { action, target, ok: true as const };
}

/**
 * Streams a file the API serves to the signed-in caller (a report PDF, a sample photo, an
 * attachment), with the caller's own token: the API decides who may read it, this route only
 * passes the bytes and the headers that matter through.
 */
export async function proxyApiFile(locals: App.Locals, cookies: Cookies, apiPath: string): Promise<Response> {
  const token = cookies.get(SESSION_COOKIE);
  if (!token || !locals.user) error(401, { message: 'Sign in first', code: 'unauthorized' });
  let upstream: Response;
  try {
    upstream = await fetch(`${apiBaseUrl()}${apiPath}`, {
      headers: { authorization: `Bearer ${token}`, 'accept-language': locals.locale },
    });
  } catch {
    error(503, { message: 'API unavailable', code: 'api_unavailable' });
  }
  if (!upstream.ok) {
    const problem = (await upstream.json().catch(() => null)) as Partial<Problem> | null;
    const status =
      upstream.status === 401 || upstream.status === 403 || upstream.status === 404 ? upstream.status : 502;
    error(upstream.status === 409 ? 404 : status, {
      message: problem?.detail ?? upstream.statusText,
      code: problem?.code ?? String(upstream.status),
    });
  }
  return new Response(upstream.body, { status: 200, headers: fileHeaders(upstream.headers, 'file') });
}
