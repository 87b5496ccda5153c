import { error, fail, redirect } from '@sveltejs/kit';
import { need, type Api } from '$lib/server/api';
import { fileHeaders } from '$lib/server/files';
import type { Me, Membership, Problem } from '$lib/types';
import type {
  BankLine,
  BankLineStatus,
  BillingSettings,
  CustomerTerms,
  Invoice,
  InvoiceStatus,
  PaymentMethod,
  TrialBalance,
} from './types';

/*
 * The money endpoints, called with the visitor's session. Reads go through the typed client;
 * writes (`send`: payments, voids, terms, bank lines, the text/csv statement upload), the payment
 * notice PDF stream through a path-agnostic view of it.
 */
type Init = {
  params?: { path?: Record<string, string>; query?: Record<string, string | number | undefined> };
  body?: unknown;
  headers?: Record<string, string>;
  parseAs?: 'json' | 'text' | 'stream';
  bodySerializer?: (body: unknown) => unknown;
};
type Answer = { data?: unknown; error?: unknown; response: Response };
interface LooseClient {
  GET(path: string, init?: Init): Promise<Answer>;
  POST(path: string, init?: Init): Promise<Answer>;
  PUT(path: string, init?: Init): Promise<Answer>;
  DELETE(path: string, init?: Init): Promise<Answer>;
}
const loose = (api: Api) => api as unknown as LooseClient;

/** Organisations whose bills a person sees as a customer: every one they belong to but the platform. */
export function billedOrgs(user: Me | null): Membership[] {
  const orgs = (user?.memberships ?? []).filter((m) => m.orgKind !== 'platform');
  // Enterprises first: they are the customers; a lab is one only when it buys from another lab.
  return [...orgs.filter((m) => m.orgKind === 'enterprise'), ...orgs.filter((m) => m.orgKind !== 'enterprise')];
}

/** Who keeps a lab's books: its managers and staff (the API's issuers); operators do not see money. */
export function requireFinance(locals: App.Locals, url: URL): Membership {
  if (!locals.user) redirect(303, `/login?redirect=${encodeURIComponent(url.pathname + url.search)}`);
  const labs = locals.user.memberships.filter(
    (m) => m.orgKind === 'lab' && (m.role === 'manager' || m.role === 'staff'),
  );
  const wanted = url.searchParams.get('lab');
  const lab = (wanted && labs.find((m) => m.orgId === wanted)) || (wanted ? undefined : labs[0]);
  if (!lab) error(403, { message: 'Lab managers and staff only', code: 'not_lab_staff' });
  return lab;
}

/** Platform administrators (their region's books). */
export function platformAdmin(user: Me | null): Membership | null {
  return (user?.memberships ?? []).find((m) => m.orgKind === 'platform' && m.role === 'admin') ?? null;
}

export function requirePlatformAdmin(locals: App.Locals, url: URL): Membership {
  if (!locals.user) redirect(303, `/login?redirect=${encodeURIComponent(url.pathname + url.search)}`);
  const admin = platformAdmin(locals.user);
  if (!admin) error(403, { message: 'Platform administrators only', code: 'forbidden' });
  return admin;
}

export interface InvoiceQuery {
  status?: InvoiceStatus | null;
  labId?: string | null;
  customerOrgId?: string | null;
  cursor?: string | null;
  limit?: number;
}

export async function listInvoices(
  api: Api,
  q: InvoiceQuery,
): Promise<{ items: Invoice[]; nextCursor: string | null }> {
  const query = {
    limit: q.limit ?? 20,
    ...(q.status ? { status: q.status } : {}),
    ...(q.labId ? { labId: q.labId } : {}),
    ...(q.customerOrgId ? { customerOrgId: q.customerOrgId } : {}),
    ...(q.cursor ? { cursor: q.cursor } : {}),
  };
  const read = (c: typeof query) => api.GET('/v1/invoices', { params: { query: c } });
  let answer = await read(query);
  // A cursor the API refuses (stale, or edited by hand) falls back to the first page.
  if (!answer.data && q.cursor && answer.response.status === 400) {
    const { cursor: _stale, ...first } = query as typeof query & { cursor?: string };
    void _stale;
    answer = await read(first);
  }
  const page = await need(Promise.resolve(answer));
  return { items: page.items, nextCursor: page.nextCursor ?? null };
}

export function loadInvoice(api: Api, id: string): Promise<Invoice> {
  return need(api.GET('/v1/invoices/{id}', { params: { path: { id } } }));
}

/**
 * The documents that belong with an invoice: the credit notes written against it, or for a credit
 * note the invoice it credits. Read from the same lab and customer's list (one page of 100).
 */
export async function relatedDocuments(
  api: Api,
  inv: Invoice,
): Promise<Pick<Invoice, 'id' | 'number' | 'kind' | 'total' | 'issuedAt' | 'reason'>[]> {
  if (inv.kind === 'credit_note') {
    if (!inv.creditsInvoiceId) return [];
    const { data } = await api.GET('/v1/invoices/{id}', { params: { path: { id: inv.creditsInvoiceId } } });
    return data ? [data] : [];
  }
  if (inv.amountCredited.amount === 0) return [];
  const { data } = await api.GET('/v1/invoices', {
    params: { query: { labId: inv.labId, customerOrgId: inv.customerOrgId, limit: 100 } },
  });
  return (data?.items ?? []).filter((i) => i.creditsInvoiceId === inv.id);
}

/** The invoices an order was billed on (its lines name the order as their source). */
export async function invoicesOfOrder(
  api: Api,
  order: { id: string; customerOrgId?: string },
): Promise<Pick<Invoice, 'id' | 'number' | 'status' | 'kind'>[]> {
  const { data } = await api.GET('/v1/invoices', {
    params: { query: { limit: 100, ...(order.customerOrgId ? { customerOrgId: order.customerOrgId } : {}) } },
  });
  return (data?.items ?? [])
    .filter((i) => i.lines.some((l) => l.source.id === order.id))
    .map((i) => ({ id: i.id, number: i.number, status: i.status, kind: i.kind }));
}

export async function trialBalance(
  api: Api,
  scope: { labId: string } | 'admin',
  period: { from: string; to: string },
): Promise<{ ok: true; data: TrialBalance } | { ok: false; code: string }> {
  const {
    data,
    error: problem,
    response,
  } = scope === 'admin'
    ? await api.GET('/v1/admin/ledger/trial-balance', { params: { query: period } })
    : await api.GET('/v1/labs/{labId}/ledger/trial-balance', {
        params: { path: { labId: scope.labId }, query: period },
      });
  if (data) return { ok: true, data };
  return { ok: false, code: problemCode(problem, response.status) };
}

/** The lab's billing settings, or null while the endpoint is not there (or refuses). */
export async function loadBillingSettings(api: Api, labId: string): Promise<BillingSettings | null> {
  const { data } = await api.GET('/v1/labs/{labId}/billing-settings', { params: { path: { labId } } });
  return data ?? null;
}

export async function loadCustomerTerms(api: Api, labId: string): Promise<CustomerTerms[] | null> {
  const { data } = await api.GET('/v1/labs/{labId}/customer-terms', { params: { path: { labId } } });
  return data?.items ?? null;
}

/** The lab's bank lines; without a status the queue (unmatched and suggested lines, oldest first). */
export async function loadBankLines(
  api: Api,
  labId: string,
  status?: BankLineStatus,
): Promise<{ items: BankLine[]; nextCursor: string | null } | null> {
  const { data } = await api.GET('/v1/labs/{labId}/bank-lines', {
    params: { path: { labId }, query: { limit: 100, ...(status ? { status } : {}) } },
  });
  if (!data) return null;
  return { items: data.items, nextCursor: data.nextCursor ?? null };
}

export type Outcome<T> =
  | { ok: true; data: T }
  | { ok: false; status: number; code: string; detail: string | null; problem: Partial<Problem> | null };

/** One write to the API; a refusal comes back as its status, problem code and words. */
export async function send<T = unknown>(
  api: Api,
  method: 'POST' | 'PUT' | 'DELETE',
  path: string,
  pathParams: Record<string, string>,
  body?: unknown,
  headers?: Record<string, string>,
): Promise<Outcome<T>> {
  const init: Init = { params: { path: pathParams } };
  if (body !== undefined) init.body = body;
  if (headers) {
    init.headers = headers;
    init.bodySerializer = (b) => b;
  }
  const { data, error: problem, response } = await loose(api)[method](path, init);
  if (response.ok) return { ok: true, data: data as T };
  const p = (problem as Partial<Problem> | undefined) ?? null;
  return {
    ok: false,
    status: response.status,
    code: problemCode(problem, response.status),
    detail: p?.detail ?? null,
    problem: p,
  };
}

/** The ways the invoice can be paid now (card only when the processor is set up and the lab takes cards). */
export async function paymentMethods(api: Api, invoiceId: string): Promise<PaymentMethod[]> {
  const { data } = await api.GET('/v1/invoices/{id}/payment-methods', { params: { path: { id: invoiceId } } });
  return data?.methods ?? ['bank_transfer'];
}

export function problemCode(problem: unknown, status: number): string {
  const code = (problem as Partial<Problem> | undefined)?.code;
  if (code) return code;
  if (status === 401) return 'unauthorized';
  if (status === 403) return 'forbidden';
  if (status === 404) return 'not_found';
  return status >= 500 ? 'api_error' : 'unknown';
}

/** A refused action as the page's `form`: which form (and which row), the code and the API's words. */
export function refusedMoney(
  action: string,
  outcome: { status: number; code: string; detail: string | null },
  extra: Record<string, unknown> = {},
) {
  const status = outcome.status >= 500 || outcome.status < 400 ? 502 : outcome.status;
  return fail(status, { action, code: outcome.code, detail: outcome.detail, ...extra });
}

/** A form the page refuses itself, with its field errors and what was typed. */
export function invalidMoney(
  action: string,
  errors: Record<string, string>,
  values: Record<string, string>,
  extra: Record<string, unknown> = {},
) {
  return fail(400, { action, code: null as string | null, detail: null as string | null, errors, values, ...extra });
}

/** The payment notice (付款通知书) PDF streamed on with the visitor's session. */
export async function proxyInvoicePdf(api: Api, id: string, number: string): Promise<Response> {
  const {
    data,
    error: problem,
    response,
  } = await loose(api).GET('/v1/invoices/{id}/pdf', {
    params: { path: { id } },
    parseAs: 'stream',
  });
  if (!response.ok || !data) {
    const status = [401, 403, 404, 409].includes(response.status) ? response.status : 502;
    error(status, { message: 'Payment notice unavailable', code: problemCode(problem, response.status) });
  }
  return new Response(data as ReadableStream, { headers: fileHeaders(response.headers, `${number}.pdf`) });
}
