import { error } from '@sveltejs/kit';
import { problemCode } from '$lib/finance/finance.server';
import type { FapiaoRequest } from '$lib/finance/fapiao.server';
import type { Api } from '$lib/server/api';
import { fileHeaders } from '$lib/server/files';
import { pendingFirst, type FapiaoStatus } from './desk';

/**
 * The lab's fapiao requests: one status when asked, otherwise every pending request (oldest first)
 * followed by the latest decided ones.
 */
export async function deskRequests(
  api: Api,
  labId: string,
  status: FapiaoStatus | null,
): Promise<{ items: FapiaoRequest[]; code: string | null }> {
  const read = (query: { limit: number; status?: FapiaoStatus }) =>
    api.GET('/v1/labs/{labId}/fapiao-requests', { params: { path: { labId }, query } });
  const answers = await Promise.all(
    status ? [read({ limit: 100, status })] : [read({ limit: 100, status: 'pending' }), read({ limit: 50 })],
  );
  const refused = answers.find((a) => !a.data);
  if (refused) return { items: [], code: problemCode(refused.error, refused.response.status) };
  const items = answers.flatMap((a) => a.data!.items);
  return { items: status ? items : pendingFirst(items), code: null };
}

/** The customer's requests (every organisation the person belongs to), newest first. */
export async function myRequests(api: Api, orgId: string | null): Promise<FapiaoRequest[]> {
  const { data } = await api.GET('/v1/fapiao-requests', { params: { query: { limit: 50 } } });
  return (data?.items ?? []).filter((r) => !orgId || r.customer.id === orgId);
}

type Answer = { data?: unknown; error?: unknown; response: Response };
type StreamClient = {
  GET(path: string, init: { params: unknown; parseAs: 'stream' }): Promise<Answer>;
};

/** The requests as the XLSX the lab imports into its tax software, streamed on with the session. */
export async function proxyFapiaoExport(api: Api, labId: string, status: FapiaoStatus | null): Promise<Response> {
  const {
    data,
    error: problem,
    response,
  } = await (api as unknown as StreamClient).GET('/v1/labs/{labId}/fapiao-requests.xlsx', {
    params: { path: { labId }, query: status ? { status } : {} },
    parseAs: 'stream',
  });
  if (!response.ok || !data) {
    const status = [401, 403, 404].includes(response.status) ? response.status : 502;
    error(status, { message: 'Export unavailable', code: problemCode(problem, response.status) });
  }
  return new Response(data as ReadableStream, { headers: fileHeaders(response.headers, 'fapiao-requests.xlsx') });
}
