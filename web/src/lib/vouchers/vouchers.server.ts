import { error } from '@sveltejs/kit';
import { listInvoices, problemCode, type Outcome } from '$lib/finance/finance.server';
import type { Invoice } from '$lib/finance/types';
import type { Api } from '$lib/server/api';
import { fileHeaders } from '$lib/server/files';
import type { Problem } from '$lib/types';
import type { Application, Claim, Programme, Quota, ServiceKind } from './types';

/*
 * The innovation-voucher endpoints (创新券), called with the visitor's session. Lists are read one
 * page of 100 (a region runs a handful of programmes; a lab files a few claims a month).
 */

export async function myQuotas(api: Api): Promise<Quota[]> {
  const { data } = await api.GET('/v1/vouchers/mine');
  return data?.items ?? [];
}

export async function openProgrammes(api: Api): Promise<Programme[]> {
  const { data } = await api.GET('/v1/voucher-programmes', { params: { query: { limit: 100 } } });
  return data?.items ?? [];
}

export async function applications(api: Api, status?: Application['status']): Promise<Application[]> {
  const { data } = await api.GET('/v1/voucher-applications', {
    params: { query: { limit: 100, ...(status ? { status } : {}) } },
  });
  return data?.items ?? [];
}

export async function adminProgrammes(api: Api): Promise<Programme[]> {
  const { data } = await api.GET('/v1/admin/voucher-programmes', { params: { query: { limit: 100 } } });
  return data?.items ?? [];
}

export async function adminClaims(api: Api, status?: Claim['status']): Promise<Claim[]> {
  const { data } = await api.GET('/v1/admin/voucher-claims', {
    params: { query: { limit: 100, ...(status ? { status } : {}) } },
  });
  return data?.items ?? [];
}

export async function labClaims(api: Api, labId: string): Promise<Claim[]> {
  const { data } = await api.GET('/v1/labs/{labId}/voucher-claims', {
    params: { path: { labId }, query: { limit: 100 } },
  });
  return data?.items ?? [];
}

/** Lab names for the admin's claims (the public lab profile), by id. */
export async function labNames(api: Api, ids: string[]): Promise<Record<string, { nameZh: string; nameEn: string }>> {
  const unique = [...new Set(ids)];
  const found = await Promise.all(
    unique.map(async (id) => {
      const { data } = await api.GET('/v1/labs/{id}', { params: { path: { id } } });
      return [id, { nameZh: data?.nameZh ?? '', nameEn: data?.nameEn ?? '' }] as const;
    }),
  );
  return Object.fromEntries(found);
}

/**
 * The service kinds an invoice bills, read from its lines' sources: a booking is instrument time,
 * an event seat is training, an order has its lines' kinds. Null when an order cannot be read.
 */
export async function kindsOfInvoice(api: Api, invoice: Invoice): Promise<ServiceKind[] | null> {
  const kinds = new Set<ServiceKind>();
  const orders = new Set<string>();
  for (const line of invoice.lines) {
    if (line.source.kind === 'booking') kinds.add('instrument_time');
    else if (line.source.kind === 'event_registration') kinds.add('training');
    else if (line.source.kind === 'order') orders.add(line.source.id);
    else return null;
  }
  for (const id of orders) {
    const { data } = await api.GET('/v1/orders/{id}', { params: { path: { id } } });
    if (!data) return null;
    for (const l of data.lines) if (!l.removed) kinds.add(l.kind);
  }
  return [...kinds];
}

export type WorkState = 'done' | 'pending' | 'unknown';

/** Whether the work an invoice bills is finished (bookings checked out, orders reported), as the API asks. */
export async function workDone(api: Api, invoice: Invoice): Promise<WorkState> {
  const sources = [...new Map(invoice.lines.map((l) => [l.source.id, l.source.kind])).entries()];
  const states = await Promise.all(
    sources.map(async ([id, kind]): Promise<WorkState> => {
      if (kind === 'order') {
        const { data } = await api.GET('/v1/orders/{id}', { params: { path: { id } } });
        if (!data) return 'unknown';
        return data.order.status === 'report_issued' || data.order.status === 'closed' ? 'done' : 'pending';
      }
      if (kind === 'booking') {
        const { data } = await api.GET('/v1/bookings/{id}', { params: { path: { id } } });
        if (!data) return 'unknown';
        return data.status === 'completed' ? 'done' : 'pending';
      }
      return 'done';
    }),
  );
  if (states.includes('pending')) return 'pending';
  return states.includes('unknown') ? 'unknown' : 'done';
}

export interface Claimable {
  invoice: Pick<Invoice, 'id' | 'number' | 'customer' | 'total' | 'voucherShare' | 'amountDue' | 'status'>;
  /** ready: file now; unpaid: the customer's own part is still due; work: the work is not finished. */
  state: 'ready' | 'unpaid' | 'work';
}

/**
 * The lab's invoices with a voucher share not yet claimed: ready to claim once the customer's own
 * part has arrived and the work is done; the others show what they wait for.
 */
export async function claimableInvoices(api: Api, labId: string, claims: readonly Claim[]): Promise<Claimable[]> {
  const claimed = new Set(claims.filter((c) => c.status !== 'rejected' && c.status !== 'void').map((c) => c.invoiceId));
  const pages = await Promise.all(
    (['paid', 'open', 'partially_paid'] as const).map((status) => listInvoices(api, { labId, status, limit: 100 })),
  );
  const withShare = pages
    .flatMap((p) => p.items)
    .filter((i) => i.kind === 'invoice' && i.voucherShare.amount > 0 && !claimed.has(i.id));
  return Promise.all(
    withShare.map(async (i): Promise<Claimable> => {
      const invoice = {
        id: i.id,
        number: i.number,
        customer: i.customer,
        total: i.total,
        voucherShare: i.voucherShare,
        amountDue: i.amountDue,
        status: i.status,
      };
      if (i.amountDue.amount > 0) return { invoice, state: 'unpaid' };
      return { invoice, state: (await workDone(api, i)) === 'pending' ? 'work' : 'ready' };
    }),
  );
}

/** The numbers of the invoices claims are for (one read per invoice; a lab's claims are few). */
export async function invoiceNumbers(api: Api, ids: string[]): Promise<Record<string, string>> {
  const found = await Promise.all(
    [...new Set(ids)].map(async (id) => {
      const { data } = await api.GET('/v1/invoices/{id}', { params: { path: { id } } });
      return [id, data?.number ?? ''] as const;
    }),
  );
  return Object.fromEntries(found);
}

/** A PATCH through the typed client, answered like the finance pages' `send`. */
export async function patchProgramme(api: Api, id: string, body: Record<string, unknown>): Promise<Outcome<Programme>> {
  const {
    data,
    error: problem,
    response,
  } = await api.PATCH('/v1/admin/voucher-programmes/{id}', {
    params: { path: { id } },
    body: body as never,
  });
  if (response.ok && data) return { ok: true, data };
  const p = (problem as Partial<Problem> | undefined) ?? null;
  return {
    ok: false,
    status: response.status,
    code: problemCode(problem, response.status),
    detail: p?.detail ?? null,
    problem: p,
  };
}

/** A claim's evidence pack (ZIP), streamed on with the visitor's session: the lab's, or the programme admin's. */
export async function proxyEvidence(api: Api, labId: string, id: string): Promise<Response> {
  const {
    data,
    error: problem,
    response,
  } = await api.GET('/v1/labs/{labId}/voucher-claims/{id}/evidence.zip', {
    params: { path: { labId, id } },
    parseAs: 'stream',
  });
  if (!response.ok || !data) {
    const status = [401, 403, 404].includes(response.status) ? response.status : 502;
    error(status, { message: 'Evidence pack unavailable', code: problemCode(problem, response.status) });
  }
  const headers = fileHeaders(response.headers, `voucher-claim-${id.slice(0, 8)}.zip`);
  // A ZIP is a download (never shown as a page of this site): its own type says what it is.
  headers.set('content-type', 'application/zip');
  return new Response(data as ReadableStream, { headers });
}
