import type { components } from '$lib/api/schema';
import { send } from '$lib/finance/finance.server';
import type { BankLine, InvoiceStatus } from '$lib/finance/types';

type Api = App.Locals['api'];
/** A service fee invoice of the platform to a lab, with its month, base and rate. */
export type FeeInvoice = components['schemas']['PlatformFeeInvoice'];
export type FeeRates = components['schemas']['PlatformFeeRates'];

export interface FeeQuery {
  status?: InvoiceStatus | null;
  month?: string | null;
  cursor?: string | null;
}

const query = (q: FeeQuery) => ({
  limit: 50,
  ...(q.status ? { status: q.status } : {}),
  ...(q.month ? { month: q.month } : {}),
  ...(q.cursor ? { cursor: q.cursor } : {}),
});

/** The platform's fee invoices to the lab (its members); null when the API refused. */
export async function labFees(api: Api, labId: string, q: FeeQuery = {}) {
  const { data } = await api.GET('/v1/labs/{labId}/platform-fees', {
    params: { path: { labId }, query: query(q) },
  });
  return data ?? null;
}

/** The fee invoices to the labs in the admin's regions. */
export async function regionFees(api: Api, q: FeeQuery = {}) {
  const { data } = await api.GET('/v1/admin/platform-fees', { params: { query: query(q) } });
  return data ?? null;
}

export async function feeRates(api: Api): Promise<FeeRates | null> {
  const { data } = await api.GET('/v1/admin/fee-rates');
  return data ?? null;
}

export function setFeeRate(api: Api, regionCode: string, rateBp: number) {
  return send(api, 'PUT', '/v1/admin/fee-rates/{regionCode}', { regionCode }, { rateBp });
}

/** The platform's own statement lines (by default its queue of unmatched and suggested lines). */
export async function platformBankLines(api: Api, platformId: string): Promise<BankLine[] | null> {
  const { data } = await api.GET('/v1/admin/platforms/{platformId}/bank-lines', {
    params: { path: { platformId }, query: { limit: 100 } },
  });
  return data?.items ?? null;
}
