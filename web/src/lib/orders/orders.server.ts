import { fail } from '@sveltejs/kit';
import type { Api } from '$lib/server/api';
import { need } from '$lib/server/api';
import { formStatus, problemCode } from '$lib/booking/bookings.server';
import { fileHeaders } from '$lib/server/files';
import { translator, type Locale } from '$lib/i18n';
import type { FieldErrors, Me, Membership, Problem } from '$lib/types';
import {
  type ExpediteRates,
  type MessageList,
  type OrderDetail,
  type OrderPage,
  type OrderRating,
  type OrderStatus,
  type Report,
  type Verification,
} from '$lib/orders/types';

/*
 * The order, report and conversation endpoints, called with the visitor's session. They are
 * written against the contracts in api/src/modules/{orders,reports,conversation}/schema.ts; the
 * calls go through a path-agnostic view of the typed client so the pages build while the generated
 * client catches up, and answers are read as the shapes in $lib/orders/types.
 */
type Init = {
  params?: { path?: Record<string, string>; query?: Record<string, string | number | undefined> };
  body?: unknown;
  parseAs?: 'json' | 'text' | 'stream' | 'arrayBuffer' | 'blob';
  bodySerializer?: (body: unknown) => unknown;
};
type Answer = { data?: unknown; error?: unknown; response: Response };
interface LooseClient {
  GET(path: string, init?: Init): Promise<Answer>;
  POST(path: string, init?: Init): Promise<Answer>;
}

function loose(api: Api): LooseClient {
  return api as unknown as LooseClient;
}

export async function myOrders(
  api: Api,
  query: { status?: OrderStatus | null; cursor?: string | null; limit?: number },
): Promise<OrderPage> {
  return need(
    api.GET('/v1/orders', {
      params: {
        query: {
          as: 'customer',
          status: query.status ?? undefined,
          cursor: query.cursor ?? undefined,
          limit: query.limit ?? 20,
        },
      },
    }),
  );
}

export function loadOrder(api: Api, id: string): Promise<OrderDetail> {
  return need(api.GET('/v1/orders/{id}', { params: { path: { id } } }));
}

/** The order's reports the caller may read (for the customer: issued, replaced and revoked ones). */
export async function loadReports(api: Api, orderId: string): Promise<Report[]> {
  const { data } = await api.GET('/v1/orders/{id}/reports', { params: { path: { id: orderId } } });
  return data?.items ?? [];
}

/** How many messages an order page shows at once. */
export const MESSAGES_PER_PAGE = 50;

/**
 * One page of the order's conversation (the newest, or the earlier one a cursor names), or null
 * when it cannot be read. A cursor the API refuses (stale, or edited by hand) falls back to the newest page.
 */
export async function loadMessages(
  api: Api,
  orderId: string,
  cursor: string | null = null,
): Promise<MessageList | null> {
  const read = (c: string | null) =>
    api.GET('/v1/orders/{id}/messages', {
      params: { path: { id: orderId }, query: { limit: MESSAGES_PER_PAGE, ...(c ? { cursor: c } : {}) } },
    });
  const { data, response } = await read(cursor);
  if (!data && cursor && response.status === 400) return (await read(null)).data ?? null;
  return data ?? null;
}

/** The order's rating and what the caller may do with it, or null when it cannot be read. */
export async function loadRating(api: Api, orderId: string): Promise<OrderRating | null> {
  const { data } = await api.GET('/v1/orders/{id}/rating', { params: { path: { id: orderId } } });
  return data ?? null;
}

/** The lab's expedite percentages, as the order detail carries them (the lab's own terms). */
export function expediteRates(detail: Pick<OrderDetail, 'labTerms'>): { rates: ExpediteRates; known: boolean } {
  const t = detail.labTerms;
  return { rates: { h72: t.expediteH72Pct, h24: t.expediteH24Pct, h8: t.expediteH8Pct }, known: true };
}

/** The public verification record of a report, or null for an unknown code. */
export async function verifyReport(api: Api, code: string): Promise<Verification | null> {
  const call = api.GET('/v1/reports/verify/{code}', { params: { path: { code } } });
  const { response } = await call;
  if (response.status === 404 || response.status === 400) return null;
  return need(call);
}

export type CallOutcome<T> =
  | { ok: true; data: T }
  | { ok: false; status: number; code: string; detail: string | null; problem: Partial<Problem> | null };

/** One POST to the API; a refusal comes back as its status, problem code and text. */
export async function post<T = unknown>(
  api: Api,
  path: string,
  pathParams: Record<string, string>,
  body?: unknown,
): Promise<CallOutcome<T>> {
  const init: Init = { params: { path: pathParams } };
  if (body !== undefined) init.body = body;
  if (body instanceof FormData) init.bodySerializer = (b) => b;
  const { data, error, response } = await loose(api).POST(path, init);
  if (response.ok) return { ok: true, data: data as T };
  const problem = (error as Partial<Problem> | undefined) ?? null;
  return {
    ok: false,
    status: response.status,
    code: problemCode(error, response.status),
    detail: problem?.detail ?? null,
    problem,
  };
}

/** A refused action as the page's `form`: which action, the code and the API's own words. */
export function refused<E extends object = Record<never, never>>(
  action: string,
  outcome: { status: number; code: string; detail: string | null },
  extra?: E,
) {
  return fail(formStatus(outcome.status), { action, code: outcome.code, detail: outcome.detail, ...(extra as E) });
}

/** The API's file answer streamed on to the browser as a download (only the two parties get it). */
export async function proxyFile(
  api: Api,
  path: string,
  pathParams: Record<string, string>,
  fallbackName: string,
): Promise<{ ok: true; response: Response } | { ok: false; status: number; code: string }> {
  const { data, error, response } = await loose(api).GET(path, { params: { path: pathParams }, parseAs: 'stream' });
  if (!response.ok || !data) return { ok: false, status: response.status, code: problemCode(error, response.status) };
  return {
    ok: true,
    response: new Response(data as ReadableStream, { headers: fileHeaders(response.headers, fallbackName) }),
  };
}

/** Field errors whose code has no general wording get the order pages' own, in the visitor's language. */
export function localizeErrors(errors: FieldErrors, locale: Locale): FieldErrors {
  const t = translator(locale);
  const out: FieldErrors = {};
  for (const [field, e] of Object.entries(errors)) {
    const general = t(`validation.${e.code}`, { defaultValue: '' });
    out[field] = general ? e : { code: e.code, message: t(`orders.validation.${e.code}`, { defaultValue: e.message }) };
  }
  return out;
}

/** Enterprises the person may order for (active ones first). */
export function orderingOrgs(user: Me | null): Membership[] {
  return (user?.memberships ?? []).filter((m) => m.orgKind === 'enterprise' && m.orgStatus !== 'suspended');
}

/**
 * The message form action of an order page (customer or console): text to /messages, or one file
 * (with the text as its caption) to /attachments. Refusals come back as `{ action, code, detail, body }`.
 */
export async function postMessage(api: Api, orderId: string, form: FormData, action = 'message') {
  const body = typeof form.get('body') === 'string' ? String(form.get('body')).trim() : '';
  const file = form.get('file');
  const hasFile = file instanceof File && file.size > 0 && file.name !== '';
  if (!hasFile && body === '') return fail(400, { action, code: 'message_empty', detail: null, body });
  let outcome: CallOutcome<unknown>;
  if (hasFile) {
    const upload = new FormData();
    if (body) upload.append('body', body);
    upload.append('file', file, file.name);
    outcome = await post(api, '/v1/orders/{id}/attachments', { id: orderId }, upload);
  } else {
    outcome = await post(api, '/v1/orders/{id}/messages', { id: orderId }, { body });
  }
  if (!outcome.ok) return refused(action, outcome, { body });
  return null;
}
