import { error } from '@sveltejs/kit';
import { problemCode } from '$lib/finance/finance.server';
import type { Api } from '$lib/server/api';
import { fileHeaders } from '$lib/server/files';
import type { components } from '$lib/api/schema';

export type AuditEntry = components['schemas']['AuditEntry'];
interface AuditPage {
  items: AuditEntry[];
  nextCursor: string | null;
}

/** The filters the page keeps in its address, as the API takes them. */
export const FILTER_KEYS = ['actor', 'orgId', 'entityType', 'entityId', 'action', 'from', 'to'] as const;
export type AuditFilters = Partial<Record<(typeof FILTER_KEYS)[number], string>>;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** The filters from the address: blanks dropped, malformed ids and dates ignored (not sent to be refused). */
export function auditFilters(params: URLSearchParams): AuditFilters {
  const out: AuditFilters = {};
  for (const key of FILTER_KEYS) {
    const value = params.get(key)?.trim();
    if (!value) continue;
    if (key === 'orgId' && !UUID.test(value)) continue;
    if ((key === 'from' || key === 'to') && !DATE.test(value)) continue;
    out[key] = value.slice(0, 200);
  }
  return out;
}

export async function loadAudit(
  api: Api,
  filters: AuditFilters,
  cursor: string | null,
): Promise<{ ok: true; items: AuditEntry[]; nextCursor: string | null } | { ok: false; code: string }> {
  const query = { ...filters, limit: 50, ...(cursor ? { cursor } : {}) };
  const { data, error: problem, response } = await api.GET('/v1/admin/audit', { params: { query } });
  // The operation answers JSON or CSV; without `format=csv` it is the JSON page.
  if (data) {
    const page = data as AuditPage;
    return { ok: true, items: page.items, nextCursor: page.nextCursor };
  }
  return { ok: false, code: problemCode(problem, response.status) };
}

/** The CSV of every entry the filters match, streamed on with the admin's session. */
export async function proxyAuditCsv(api: Api, filters: AuditFilters): Promise<Response> {
  const {
    data,
    error: problem,
    response,
  } = await api.GET('/v1/admin/audit', {
    params: { query: { ...filters, format: 'csv' } },
    parseAs: 'stream',
  });
  if (!response.ok || !data) {
    const status = [400, 401, 403, 404].includes(response.status) ? response.status : 502;
    error(status, { message: 'Audit export unavailable', code: problemCode(problem, response.status) });
  }
  return new Response(data as ReadableStream, { headers: fileHeaders(response.headers, 'audit.csv') });
}
